#include "render/path_cache.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <memory>
#include <memory_resource>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string_view>
#include <unordered_map>

#include "model/slab_resource.h"

namespace skiff {

// What lstat(2) said about a real path (no symlink on the way), and the files
// read whole. Entries are never removed while the cache lives, so pointers to
// remembered texts stay valid. Everything is allocated from one pool, under
// the exclusive lock, so the cache dies in a few frees: freed entry by entry,
// a 300-app tree's cache took 3 ms to destroy.
class PathCacheState {
 public:
  struct Known {
    mode_t mode;  // 0 when lstat failed
    int error;    // lstat's errno, 0 on success
  };

  bool Find(std::string_view path, Known* out) const {
    std::shared_lock lock(mu_);
    auto it = paths_.find(path);
    if (it == paths_.end()) return false;
    *out = it->second;
    return true;
  }
  void Add(std::string_view path, Known known) {
    std::unique_lock lock(mu_);
    if (paths_.count(path) == 0) paths_.emplace(Keep(path), known);
  }
  std::optional<std::string_view> FindText(std::string_view path) const {
    std::shared_lock lock(mu_);
    auto it = texts_.find(path);
    if (it == texts_.end()) return std::nullopt;
    return it->second;
  }
  void AddText(std::string_view path, std::string_view text) {
    std::unique_lock lock(mu_);
    if (texts_.count(path) == 0) texts_.emplace(Keep(path), Keep(text));
  }

 private:
  // Copies `s` into the pool (caller holds the exclusive lock).
  std::string_view Keep(std::string_view s) {
    char* p = static_cast<char*>(pool_.allocate(s.size(), 1));
    std::copy(s.begin(), s.end(), p);
    return {p, s.size()};
  }

  mutable std::shared_mutex mu_;
  std::pmr::monotonic_buffer_resource pool_{64 * 1024, SlabResource()};
  std::pmr::unordered_map<std::string_view, Known> paths_{&pool_};
  std::pmr::unordered_map<std::string_view, std::string_view> texts_{&pool_};
};

namespace {

thread_local PathCacheState* active = nullptr;

std::string LibcRealPath(const std::string& path) {
  char buf[PATH_MAX];
  if (::realpath(path.c_str(), buf) == nullptr) return {};
  return buf;
}

// True for an absolute path with no empty, "." or ".." component and no
// trailing slash: its own real path if it resolves without symlinks.
bool IsPlainAbsolute(std::string_view path) {
  if (path.size() < 2 || path[0] != '/' || path.back() == '/') return false;
  for (size_t i = 0; i < path.size(); ++i) {
    if (path[i] != '/') continue;
    std::string_view rest = path.substr(i + 1);
    if (rest.empty() || rest[0] == '/') return false;
    if (rest[0] == '.' && (rest.size() == 1 || rest[1] == '/' ||
                           (rest[1] == '.' && (rest.size() == 2 || rest[2] == '/')))) {
      return false;
    }
  }
  return true;
}

// realpath(3) walking component by component, lstat'ing only components
// not seen before. Falls back to realpath(3) at the first symlink. `mode`,
// when given, gets the result's st_mode (0 when the cache cannot tell: "/",
// or a path through a symlink).
std::string CachedRealPath(PathCacheState& cache, const std::string& path,
                           mode_t* mode = nullptr) {
  if (mode != nullptr) *mode = 0;
  if (path.empty() || path[0] != '/') return LibcRealPath(path);
  // A path asked before answers with one lookup: the cache holds a path only
  // once every component before it was found and none is a symlink.
  if (IsPlainAbsolute(path)) {
    PathCacheState::Known known;
    if (cache.Find(path, &known)) {
      if (known.error != 0) {
        errno = known.error;
        return {};
      }
      if (mode != nullptr) *mode = known.mode;
      return path;
    }
  }
  std::string out;
  bool out_is_dir = true;  // "/" is
  mode_t out_mode = 0;     // of `out`, when looked up last
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
      out_mode = 0;
      continue;
    }
    out += '/';
    out += part;
    PathCacheState::Known known;
    if (!cache.Find(out, &known)) {
      struct stat st;
      if (::lstat(out.c_str(), &st) != 0) {
        known = {0, errno};
      } else if (S_ISLNK(st.st_mode)) {
        return LibcRealPath(path);
      } else {
        known = {st.st_mode, 0};
      }
      cache.Add(out, known);
    }
    if (known.error != 0) {
      errno = known.error;
      return {};
    }
    out_is_dir = S_ISDIR(known.mode);
    out_mode = known.mode;
  }
  if (!out_is_dir && path.back() == '/') {
    errno = ENOTDIR;
    return {};
  }
  if (mode != nullptr) *mode = out_mode;
  return out.empty() ? "/" : out;
}

}  // namespace

ScopedPathCache::ScopedPathCache() : ScopedPathCache(nullptr) {}

ScopedPathCache::ScopedPathCache(PathCacheState* shared)
    : previous_(active), owned_(shared == nullptr ? new PathCacheState() : nullptr) {
  active = shared != nullptr ? shared : owned_;
}

ScopedPathCache::~ScopedPathCache() {
  active = previous_;
  delete owned_;
}

PathCacheState* ScopedPathCache::Active() { return active; }

std::string ResolvePath(const std::string& path) {
  if (active == nullptr) return LibcRealPath(path);
  return CachedRealPath(*active, path);
}

bool PathMode(const std::string& path, mode_t* mode) {
  if (active != nullptr) {
    mode_t known = 0;
    if (CachedRealPath(*active, path, &known).empty()) return false;
    if (known != 0) {
      *mode = known;
      return true;
    }
  }
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return false;
  *mode = st.st_mode;
  return true;
}

std::optional<std::string_view> RememberedFileText(const std::string& resolved) {
  if (active == nullptr) return std::nullopt;
  return active->FindText(resolved);
}

void RememberFileText(const std::string& resolved, std::string_view text) {
  if (active != nullptr) active->AddText(resolved, text);
}

}  // namespace skiff
