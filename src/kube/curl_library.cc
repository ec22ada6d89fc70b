#include "kube/curl_library.h"

#include <dlfcn.h>

#include <csignal>
#include <mutex>

namespace skiff::kube {
namespace {

// The soname of the libcurl 4 ABI (every libcurl since 7.16); the
// development symlink "libcurl.so" is not there on machines without headers.
constexpr const char* kSoname = "libcurl.so.4";

struct Loaded {
  CurlLibrary library{};
  std::string error;
  bool ok = false;
};

template <typename Fn>
bool Resolve(void* handle, const char* name, Fn& out, std::string& error) {
  void* symbol = dlsym(handle, name);
  if (symbol == nullptr) {
    error = std::string(kSoname) + ": missing symbol " + name;
    return false;
  }
  out = reinterpret_cast<Fn>(symbol);
  return true;
}

Loaded Open() {
  Loaded loaded;
  void* handle = dlopen(kSoname, RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* why = dlerror();
    loaded.error = std::string("cannot load ") + kSoname + " (Debian package libcurl4): " +
                   (why != nullptr ? why : "unknown reason");
    return loaded;
  }
  CurlLibrary& l = loaded.library;
  std::string& e = loaded.error;
  loaded.ok = Resolve(handle, "curl_global_init", l.global_init, e) &&
              Resolve(handle, "curl_easy_init", l.easy_init, e) &&
              Resolve(handle, "curl_easy_setopt", l.easy_setopt, e) &&
              Resolve(handle, "curl_easy_perform", l.easy_perform, e) &&
              Resolve(handle, "curl_easy_getinfo", l.easy_getinfo, e) &&
              Resolve(handle, "curl_easy_reset", l.easy_reset, e) &&
              Resolve(handle, "curl_easy_cleanup", l.easy_cleanup, e) &&
              Resolve(handle, "curl_easy_strerror", l.easy_strerror, e) &&
              Resolve(handle, "curl_slist_append", l.slist_append, e) &&
              Resolve(handle, "curl_slist_free_all", l.slist_free_all, e);
  if (!loaded.ok) return loaded;
  // The handle stays open for the life of the process: easy handles live in
  // pools that outlast any one caller.
  l.global_init(CURL_GLOBAL_DEFAULT);
  // With CURLOPT_NOSIGNAL (needed for threads) a TLS write to a server that
  // hung up raises SIGPIPE; it must fail the request, not the process.
  std::signal(SIGPIPE, SIG_IGN);
  return loaded;
}

}  // namespace

const CurlLibrary* LoadCurlLibrary(std::string& error) {
  static const Loaded loaded = Open();  // thread-safe, once
  if (!loaded.ok) {
    error = loaded.error;
    return nullptr;
  }
  return &loaded.library;
}

}  // namespace skiff::kube
