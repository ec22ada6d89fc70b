#include "yaml/json_plugin_loader.h"

#if defined(SKIFF_JSON_PLUGIN)

#include <dlfcn.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>

// The shared object's bytes, linked in by the generated json_plugin_blob.cc.
extern "C" const char skiff_json_plugin_start[];
extern "C" const char skiff_json_plugin_end[];

namespace skiff {
namespace {

bool WriteAll(int fd, const char* p, size_t n) {
  while (n > 0) {
    ssize_t w = ::write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    p += w;
    n -= static_cast<size_t>(w);
  }
  return true;
}

// Opens the embedded object from a memory file; where executable memory
// files are refused, from a private temporary file removed once loaded.
void* OpenEmbedded(std::string* why) {
  const char* bytes = skiff_json_plugin_start;
  size_t size = static_cast<size_t>(skiff_json_plugin_end - skiff_json_plugin_start);
  int fd = ::memfd_create("skiff-json", MFD_CLOEXEC);
  if (fd >= 0) {
    void* handle = nullptr;
    if (WriteAll(fd, bytes, size)) {
      std::string path = "/proc/self/fd/" + std::to_string(fd);
      handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
      if (handle == nullptr) *why = ::dlerror();
    }
    ::close(fd);
    if (handle != nullptr) return handle;
  }
  const char* dir = std::getenv("TMPDIR");
  std::string path = std::string(dir != nullptr && *dir != '\0' ? dir : "/tmp") +
                     "/skiff-json-XXXXXX";
  fd = ::mkostemp(path.data(), O_CLOEXEC);
  if (fd < 0) {
    *why += std::string(why->empty() ? "" : "; ") + "cannot create " + path + ": " +
            std::strerror(errno);
    return nullptr;
  }
  void* handle = nullptr;
  if (WriteAll(fd, bytes, size)) {
    handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) *why += std::string(why->empty() ? "" : "; ") + ::dlerror();
  }
  ::close(fd);
  ::unlink(path.c_str());
  return handle;
}

}  // namespace

Result<SkiffJsonWalkFn> JsonWalker() {
  static std::once_flag once;
  static SkiffJsonWalkFn walk = nullptr;
  static std::string* failure = nullptr;
  std::call_once(once, [] {
    std::string why;
    void* handle = OpenEmbedded(&why);
    if (handle != nullptr) {
      walk = reinterpret_cast<SkiffJsonWalkFn>(::dlsym(handle, "skiff_json_walk"));
      if (walk == nullptr) why = ::dlerror();
    }
    if (walk == nullptr) {
      failure = new std::string("cannot load the JSON reader: " + why);
    }
  });
  if (walk == nullptr) return MakeError(*failure);
  return walk;
}

}  // namespace skiff

#else

namespace skiff {

Result<SkiffJsonWalkFn> JsonWalker() { return &skiff_json_walk; }

}  // namespace skiff

#endif
