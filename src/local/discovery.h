// The discovery documents kubectl reads before anything else: /version,
// /api, /apis, /api/v1, /apis/<group>/<version>, and the OpenAPI document
// at /openapi/v2.
#pragma once

#include <optional>

#include "local/api_catalog.h"
#include "local/http_types.h"

namespace skiff::local {

// The response for a discovery path, or nullopt when `req` is not one.
// `server_address` is "127.0.0.1:port" for /api's serverAddressByClientCIDRs.
std::optional<HttpResponse> ServeDiscovery(const HttpRequest& req, const ApiCatalog& catalog,
                                           const std::string& server_address);

}  // namespace skiff::local
