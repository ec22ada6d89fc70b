// Path resolution and file contents for file loads, remembered for the
// duration of one render.
//
// realpath(3) asks the kernel about every component of every path it is
// given (a readlink per component); a 300-app tree made ~20k such calls,
// a third of a render's time. While a ScopedPathCache is alive on a thread,
// ResolvePath and PathMode answer from what earlier lookups of the same
// render learned, and files read once are not read again (a component used
// by every app is one read). Invariant: the cache holds only paths that were
// lstat'ed and are not symlinks, with their mode or the error lstat gave,
// and files read whole; the tree is assumed not to change while it renders,
// and the cache dies with the render. The worker threads of one render share
// its cache (ScopedPathCache(Active())); lookups take a shared lock.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <string_view>

namespace skiff {

class PathCacheState;

// Installs a cache for the current thread until destroyed (nests).
class ScopedPathCache {
 public:
  // A new, empty cache.
  ScopedPathCache();
  // Joins `shared` (from Active() on another thread of the same render), or
  // makes a new cache when it is null. `shared` must outlive this object.
  explicit ScopedPathCache(PathCacheState* shared);
  ~ScopedPathCache();
  ScopedPathCache(const ScopedPathCache&) = delete;
  ScopedPathCache& operator=(const ScopedPathCache&) = delete;

  // The cache installed on this thread, or null.
  static PathCacheState* Active();

 private:
  PathCacheState* previous_;
  PathCacheState* owned_;
};

// realpath(3): absolute `path` with symlinks, "." and ".." resolved; empty
// with errno set on failure.
std::string ResolvePath(const std::string& path);

// The st_mode of `path` after following symlinks (as stat(2)); false with
// errno set when it does not resolve.
bool PathMode(const std::string& path, mode_t* mode);

// The text of the regular file at `path` when this render has read it
// before, else nullopt. Valid while the cache lives.
std::optional<std::string_view> RememberedFileText(const std::string& path);

// Remembers what was read from `path` (no-op without a cache).
void RememberFileText(const std::string& path, std::string_view text);

}  // namespace skiff
