// The Kubernetes OpenAPI v2 document this control plane serves and derives
// its resource catalog from, embedded in the binary at build time.
#pragma once

#include <string>
#include <string_view>

#include "base/result.h"

namespace skiff::local {

// The gzipped bytes as embedded.
std::string_view OpenApiGzipped();

// The decompressed JSON text (decompressed on first call, then cached):
// definitions plus a "resources" index (apiVersion, kind, scope, definition).
const std::string& OpenApiJson();

// The Swagger 2.0 document served at /openapi/v2: the definitions under the
// envelope clients expect.
const std::string& OpenApiServedJson();

}  // namespace skiff::local
