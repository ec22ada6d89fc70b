#include "render/file_loader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>

#include "render/path_cache.h"

namespace skiff {
namespace {

std::string Quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

// realpath(3) into a std::string (cached during a render); empty with errno
// set on failure.
std::string RealPath(const std::string& path) { return ResolvePath(path); }

// stat(2)'s verdict on `path` (cached during a render).
bool IsDirectory(const std::string& path) {
  mode_t mode = 0;
  return PathMode(path, &mode) && S_ISDIR(mode);
}

// Reads a whole regular file with open/fstat/read (no stream machinery).
Result<std::string> ReadWhole(const std::string& resolved, std::string_view path,
                              std::string_view field, size_t max_bytes) {
  int fd = ::open(resolved.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return MakeError(std::string(field) + ": cannot open " + Quoted(path) + ": " +
                     std::strerror(errno));
  }
  struct stat st;
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return MakeError(std::string(field) + ": " + Quoted(path) + " is not a regular file");
  }
  if (static_cast<size_t>(st.st_size) > max_bytes) {
    ::close(fd);
    return MakeError(std::string(field) + ": " + Quoted(path) + " is larger than the " +
                     std::to_string(max_bytes >> 20) + " MiB limit");
  }
  std::string text(static_cast<size_t>(st.st_size), '\0');
  size_t got = 0;
  while (got < text.size()) {
    ssize_t n = ::read(fd, text.data() + got, text.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<size_t>(n);
  }
  ::close(fd);
  text.resize(got);
  return text;
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

Result<std::string> ReadKustomizationFile(const std::string& path) {
  if (std::optional<std::string_view> known = RememberedFileText(path)) {
    return std::string(*known);
  }
  Result<std::string> text = ReadWhole(path, path, "kustomization file", FileLoader::kMaxFileBytes);
  if (text.ok()) RememberFileText(path, *text);
  return text;
}

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
  if (!IsDirectory(resolved)) return MakeError(Quoted(root) + " is not a directory");
  FileLoader loader;
  loader.root_ = std::move(resolved);
  return loader;
}

FileLoader::Entry FileLoader::Classify(std::string_view path) const {
  if (path.empty() || path.front() == '/') return Entry::kMissing;
  mode_t mode = 0;
  if (!PathMode(Join(root_, path), &mode)) return Entry::kMissing;
  return S_ISDIR(mode) ? Entry::kDirectory : Entry::kFile;
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
  mode_t mode = 0;
  if (!PathMode(resolved, &mode) || !S_ISREG(mode)) {
    // Checked before opening: opening a FIFO would block.
    return MakeError(std::string(field) + ": " + Quoted(path) + " is not a regular file");
  }
  return ReadWhole(resolved, path, field, kMaxFileBytes);
}

Result<std::string> FileLoader::ResolveDir(std::string_view path) const {
  SKIFF_RETURN_IF_ERROR(CheckPathForm(path, "directory"));
  std::string resolved = RealPath(Join(root_, path));
  if (resolved.empty()) {
    return MakeError("cannot resolve directory " + Quoted(path) + ": " + std::strerror(errno));
  }
  if (!IsDirectory(resolved)) return MakeError(Quoted(path) + " is not a directory");
  return resolved;
}

}  // namespace skiff
