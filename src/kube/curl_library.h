// libcurl, opened on the first request instead of at program start.
//
// libcurl pulls in about 25 shared libraries (HTTP/2, IDN, GnuTLS for RTMP,
// Kerberos, LDAP, ...). Linked directly, the dynamic loader maps and relocates
// all of them before main() on every run: ~15 M instructions, three times a
// whole one-app `skiff build`, which never talks to a cluster. Opening it
// with dlopen() when a Transport is made puts that cost only on the commands
// that use the network.
#pragma once

#include <curl/curl.h>

#include <string>

namespace skiff::kube {

// The libcurl entry points skiff uses. Invariant: every pointer is set once
// Load() has succeeded.
struct CurlLibrary {
  CURLcode (*global_init)(long flags);
  CURL* (*easy_init)();
  CURLcode (*easy_setopt)(CURL* handle, CURLoption option, ...);
  CURLcode (*easy_perform)(CURL* handle);
  CURLcode (*easy_getinfo)(CURL* handle, CURLINFO info, ...);
  void (*easy_reset)(CURL* handle);
  void (*easy_cleanup)(CURL* handle);
  const char* (*easy_strerror)(CURLcode code);
  curl_slist* (*slist_append)(curl_slist* list, const char* text);
  void (*slist_free_all)(curl_slist* list);
};

// Opens libcurl and runs curl_global_init once per process (thread-safe).
// Returns nullptr and sets `error` (naming the library and the loader's
// reason) when it cannot be loaded.
const CurlLibrary* LoadCurlLibrary(std::string& error);

}  // namespace skiff::kube
