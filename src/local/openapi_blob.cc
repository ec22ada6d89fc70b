#include "local/openapi_blob.h"

#include <zlib.h>

#include <mutex>

#include "local/json_codec.h"

// The build passes the file's path; .incbin keeps a 130 KB blob out of the
// C++ front end entirely.
__asm__(
    ".section .rodata\n"
    ".global skiff_openapi_gz_begin\n"
    ".global skiff_openapi_gz_end\n"
    ".balign 16\n"
    "skiff_openapi_gz_begin:\n"
    ".incbin \"" SKIFF_OPENAPI_GZ_PATH "\"\n"
    "skiff_openapi_gz_end:\n"
    ".previous\n");

extern "C" const char skiff_openapi_gz_begin[];
extern "C" const char skiff_openapi_gz_end[];

namespace skiff::local {

std::string_view OpenApiGzipped() {
  return std::string_view(skiff_openapi_gz_begin,
                          static_cast<size_t>(skiff_openapi_gz_end - skiff_openapi_gz_begin));
}

namespace {

std::string Gunzip(std::string_view gz) {
  z_stream zs{};
  inflateInit2(&zs, 16 + MAX_WBITS);
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gz.data()));
  zs.avail_in = static_cast<uInt>(gz.size());
  std::string out;
  char buf[64 * 1024];
  int rc = Z_OK;
  while (rc == Z_OK) {
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = sizeof buf;
    rc = inflate(&zs, Z_NO_FLUSH);
    out.append(buf, sizeof buf - zs.avail_out);
  }
  inflateEnd(&zs);
  return out;
}

}  // namespace

const std::string& OpenApiJson() {
  static std::once_flag once;
  static std::string* json = nullptr;
  std::call_once(once, [] { json = new std::string(Gunzip(OpenApiGzipped())); });
  return *json;
}

const std::string& OpenApiServedJson() {
  static std::once_flag once;
  static std::string* served = nullptr;
  std::call_once(once, [] {
    Arena arena(1 << 20);
    std::string out = R"({"swagger":"2.0","info":{"title":"Kubernetes","version":"v1.21.2"},"paths":{},"definitions":)";
    auto spec = ParseJsonText(OpenApiJson(), arena);
    const Node* defs = spec.ok() ? (*spec)->Get("definitions") : nullptr;
    if (defs != nullptr) {
      EmitJsonText(defs, out);
    } else {
      out += "{}";
    }
    out += "}";
    served = new std::string(std::move(out));
  });
  return *served;
}

}  // namespace skiff::local
