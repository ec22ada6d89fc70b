// Reads files for one kustomization, enforcing kustomize's root-only rule:
// every file load is made absolute, symlinks resolved, and must lie at or
// under the kustomization root (path-traversal and symlink escapes). Remote URLs are
// refused: skiff renders only what is in the repository it was given.
#pragma once

#include <string>
#include <string_view>

#include "base/result.h"

namespace skiff {

class FileLoader {
 public:
  // `root` is the kustomization directory (made absolute and resolved).
  static Result<FileLoader> ForRoot(std::string_view root);

  const std::string& root() const { return root_; }

  // Reads `path` (relative to the root, as written in the kustomization).
  // `field` names the kustomization field for error messages.
  Result<std::string> ReadFile(std::string_view path, std::string_view field) const;

  // Resolves `path` against the root without the root restriction (for
  // directories used as bases). Fails when it does not exist.
  Result<std::string> ResolveDir(std::string_view path) const;

  // What `path` (relative to the root) names on disk, symlinks followed,
  // before any restriction is applied: lets a caller choose between a file
  // load and a base directory as kustomize does.
  enum class Entry { kMissing, kFile, kDirectory };
  Entry Classify(std::string_view path) const;

  // Largest file ReadFile accepts (a huge file must not exhaust memory).
  static constexpr size_t kMaxFileBytes = 256u << 20;

 private:
  std::string root_;
};

// Reads the kustomization file at `path` (found by the caller: no root
// restriction), at most FileLoader::kMaxFileBytes. A render reads each one
// once, however many kustomizations use it (a component shared by every app).
Result<std::string> ReadKustomizationFile(const std::string& path);

// True for the forms kustomize would fetch instead of reading from disk:
// URLs with a scheme, git@host:repo, git::..., and host-like first path
// segments (github.com/org/repo) when nothing local has that name.
bool LooksLikeRemoteUrl(std::string_view path);

}  // namespace skiff
