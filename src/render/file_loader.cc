#include "render/file_loader.h"

#include <sys/stat.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <fstream>

namespace skiff {
namespace {

std::string Quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

// realpath(3) into a std::string; empty with errno set on failure.
std::string RealPath(const std::string& path) {
  char buf[PATH_MAX];
  if (::realpath(path.c_str(), buf) == nullptr) return {};
  return buf;
}

bool IsAtOrUnder(const std::string& path, const std::string& root) {
  if (path == root) return true;
  if (root == "/") return true;
  return path.size() > root.size() && path.compare(0, root.size(), root) == 0 &&
         path[root.size()] == '/';
}

std::string Join(const std::string& root, std::string_view rel) {
  std::string out = root;
  if (out.empty() || out.back() != '/') out += '/';
  out += rel;
  return out;
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// Refusals shared by file and directory loads, before touching the disk.
Status CheckPathForm(std::string_view path, std::string_view field) {
  if (path.empty()) return MakeError(std::string(field) + ": empty path");
  if (LooksLikeRemoteUrl(path)) {
    return MakeError(std::string(field) + ": " + Quoted(path) +
                     " is a remote URL; skiff refuses remote resources and bases (copy them into "
                     "the repository instead)");
  }
  if (path.front() == '/') {
    return MakeError(std::string(field) + ": " + Quoted(path) +
                     " is an absolute path; only paths relative to the kustomization are allowed");
  }
  return Status::Ok();
}

}  // namespace

bool LooksLikeRemoteUrl(std::string_view path) {
  if (path.find("://") != std::string_view::npos) return true;
  if (StartsWith(path, "git@") || StartsWith(path, "git::")) return true;
  for (std::string_view host : {"github.com/", "gitlab.com/", "bitbucket.org/", "www.github.com/"}) {
    if (StartsWith(path, host)) return true;
  }
  return false;
}

Result<FileLoader> FileLoader::ForRoot(std::string_view root) {
  std::string resolved = RealPath(std::string(root));
  if (resolved.empty()) {
    return MakeError("cannot resolve kustomization root " + Quoted(root) + ": " +
                     std::strerror(errno));
  }
  struct stat st;
  if (::stat(resolved.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return MakeError(Quoted(root) + " is not a directory");
  }
  FileLoader loader;
  loader.root_ = std::move(resolved);
  return loader;
}

FileLoader::Entry FileLoader::Classify(std::string_view path) const {
  if (path.empty() || path.front() == '/') return Entry::kMissing;
  struct stat st;
  if (::stat(Join(root_, path).c_str(), &st) != 0) return Entry::kMissing;
  return S_ISDIR(st.st_mode) ? Entry::kDirectory : Entry::kFile;
}

Result<std::string> FileLoader::ReadFile(std::string_view path, std::string_view field) const {
  SKIFF_RETURN_IF_ERROR(CheckPathForm(path, field));
  std::string joined = Join(root_, path);
  std::string resolved = RealPath(joined);
  if (resolved.empty()) {
    return MakeError(std::string(field) + ": cannot read " + Quoted(path) + ": " +
                     std::strerror(errno));
  }
  if (!IsAtOrUnder(resolved, root_)) {
    return MakeError(std::string(field) + ": security: file " + Quoted(path) + " resolves to " +
                     Quoted(resolved) + ", which is not in or below the kustomization root " +
                     Quoted(root_));
  }
  struct stat st;
  if (::stat(resolved.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
    return MakeError(std::string(field) + ": " + Quoted(path) + " is not a regular file");
  }
  if (static_cast<size_t>(st.st_size) > kMaxFileBytes) {
    return MakeError(std::string(field) + ": " + Quoted(path) + " is larger than the " +
                     std::to_string(kMaxFileBytes >> 20) + " MiB limit");
  }
  std::ifstream in(resolved, std::ios::binary);
  if (!in) {
    return MakeError(std::string(field) + ": cannot open " + Quoted(path) + ": " +
                     std::strerror(errno));
  }
  std::string text(static_cast<size_t>(st.st_size), '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<size_t>(in.gcount()));
  return text;
}

Result<std::string> FileLoader::ResolveDir(std::string_view path) const {
  SKIFF_RETURN_IF_ERROR(CheckPathForm(path, "directory"));
  std::string resolved = RealPath(Join(root_, path));
  if (resolved.empty()) {
    return MakeError("cannot resolve directory " + Quoted(path) + ": " + std::strerror(errno));
  }
  struct stat st;
  if (::stat(resolved.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return MakeError(Quoted(path) + " is not a directory");
  }
  return resolved;
}

}  // namespace skiff
