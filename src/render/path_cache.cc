#include "render/path_cache.h"

#include <sys/stat.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <string_view>
#include <unordered_map>

namespace skiff {
namespace {

// Real paths (no symlink anywhere) known to exist, with their st_mode.
using KnownPaths = std::unordered_map<std::string, mode_t>;

thread_local KnownPaths* active = nullptr;

std::string LibcRealPath(const std::string& path) {
  char buf[PATH_MAX];
  if (::realpath(path.c_str(), buf) == nullptr) return {};
  return buf;
}

// realpath(3) walking component by component, lstat'ing only components
// not seen before. Falls back to realpath(3) at the first symlink.
std::string CachedRealPath(KnownPaths& known, const std::string& path) {
  if (path.empty() || path[0] != '/') return LibcRealPath(path);
  std::string out;
  bool out_is_dir = true;  // "/" is
  size_t i = 0;
  while (i < path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string::npos) j = path.size();
    std::string_view part(path.data() + i, j - i);
    i = j + 1;
    if (part.empty()) continue;
    if (!out_is_dir) {
      errno = ENOTDIR;
      return {};
    }
    if (part == ".") continue;
    if (part == "..") {
      size_t slash = out.rfind('/');
      out.resize(slash == std::string::npos ? 0 : slash);
      continue;
    }
    out += '/';
    out += part;
    auto it = known.find(out);
    if (it == known.end()) {
      struct stat st;
      if (::lstat(out.c_str(), &st) != 0) return {};
      if (S_ISLNK(st.st_mode)) return LibcRealPath(path);
      it = known.emplace(out, st.st_mode).first;
    }
    out_is_dir = S_ISDIR(it->second);
  }
  if (!out_is_dir && path.back() == '/') {
    errno = ENOTDIR;
    return {};
  }
  return out.empty() ? "/" : out;
}

}  // namespace

ScopedPathCache::ScopedPathCache() : previous_(active) { active = new KnownPaths(); }

ScopedPathCache::~ScopedPathCache() {
  delete active;
  active = static_cast<KnownPaths*>(previous_);
}

std::string ResolvePath(const std::string& path) {
  if (active == nullptr) return LibcRealPath(path);
  return CachedRealPath(*active, path);
}

bool PathMode(const std::string& path, mode_t* mode) {
  if (active != nullptr) {
    std::string real = CachedRealPath(*active, path);
    if (real.empty()) return false;
    auto it = active->find(real);
    if (it != active->end()) {
      *mode = it->second;
      return true;
    }
  }
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return false;
  *mode = st.st_mode;
  return true;
}

}  // namespace skiff
