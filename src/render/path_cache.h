// Path resolution for file loads, remembered for the duration of one render.
//
// realpath(3) asks the kernel about every component of every path it is
// given (a readlink per component); a 300-app tree made ~20k such calls,
// a third of a render's time. While a ScopedPathCache is alive on a thread,
// ResolvePath and PathMode answer from what earlier lookups of the same
// render learned. Invariant: the cache holds only paths that were lstat'ed
// and are not symlinks, with their mode; the tree is assumed not to change
// while it renders, and the cache dies with the render.
#pragma once

#include <sys/types.h>

#include <string>

namespace skiff {

// Installs a cache for the current thread until destroyed (nests).
class ScopedPathCache {
 public:
  ScopedPathCache();
  ~ScopedPathCache();
  ScopedPathCache(const ScopedPathCache&) = delete;
  ScopedPathCache& operator=(const ScopedPathCache&) = delete;

 private:
  void* previous_;
};

// realpath(3): absolute `path` with symlinks, "." and ".." resolved; empty
// with errno set on failure.
std::string ResolvePath(const std::string& path);

// The st_mode of `path` after following symlinks (as stat(2)); false with
// errno set when it does not resolve.
bool PathMode(const std::string& path, mode_t* mode);

}  // namespace skiff
