#include "local/api_router.h"

#include <vector>

#include "local/api_status.h"
#include "local/discovery.h"

namespace skiff::local {
namespace {

std::vector<std::string> Split(const std::string& path) {
  std::vector<std::string> parts;
  size_t i = 0;
  while (i < path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string::npos) j = path.size();
    if (j > i) parts.push_back(path.substr(i, j - i));
    i = j + 1;
  }
  return parts;
}

// Discovery documents live at fixed paths and at /api[s] paths too short to
// name a resource; only those need a catalog snapshot.
bool IsDiscoveryPath(const std::string& path) {
  std::vector<std::string> parts = Split(path);
  if (parts.empty()) return false;
  if (parts[0] == "api") return parts.size() <= 2;
  if (parts[0] == "apis") return parts.size() <= 3;
  return true;
}

}  // namespace

std::optional<ResourceTarget> ResolveResourcePath(const ControlPlane& cp, const std::string& path) {
  std::vector<std::string> parts = Split(path);
  std::string group, version;
  size_t at = 0;
  if (parts.size() >= 3 && parts[0] == "api") {
    version = parts[1];
    at = 2;
  } else if (parts.size() >= 4 && parts[0] == "apis") {
    group = parts[1];
    version = parts[2];
    at = 3;
  } else {
    return std::nullopt;
  }
  std::string ns;
  // "namespaces/<ns>/<plural>" unless <plural> is a namespace subresource.
  if (parts.size() >= at + 3 && parts[at] == "namespaces") {
    auto r = cp.Find(group, version, parts[at + 2]);
    if (r && r->namespaced) {
      ns = parts[at + 1];
      at += 2;
    }
  }
  auto res = cp.Find(group, version, parts[at]);
  if (!res || parts.size() > at + 3) return std::nullopt;
  if (res->namespaced != !ns.empty() && !(res->namespaced && parts.size() == at + 1)) return std::nullopt;
  ResourceTarget t{*res, ns, parts.size() > at + 1 ? parts[at + 1] : "", parts.size() > at + 2 ? parts[at + 2] : ""};
  return t;
}

HttpResponse ApiRouter::HandleFaultAdmin(const HttpRequest& req) {
  if (req.method == "DELETE") {
    faults_.Clear();
    HttpResponse r;
    r.body = R"({"kind":"Status","apiVersion":"v1","status":"Success","code":200})";
    return r;
  }
  if (req.method != "POST") return StatusResponse(405, "MethodNotAllowed", "POST rules or DELETE them");
  Status s = faults_.AddRules(req.body);
  if (!s.ok()) return BadRequest(s.error().message);
  HttpResponse r;
  r.status = 201;
  r.body = R"({"kind":"Status","apiVersion":"v1","status":"Success","code":201})";
  return r;
}

HttpResponse ApiRouter::HandleOpenApiV3(const HttpRequest& req) {
  if (req.method != "GET") return StatusResponse(405, "MethodNotAllowed", "the OpenAPI documents are read-only");
  // Built-in kinds only: clients check custom resources against the core
  // group's document, so CRDs added later need no rebuild.
  std::call_once(openapi_v3_once_, [this] {
    openapi_v3_ = std::make_unique<OpenApiV3>(OpenApiV3::Build(cp_.openapi(), cp_.CatalogSnapshot()));
  });
  HttpResponse r;
  std::string_view rest = std::string_view(req.path).substr(std::string_view("/openapi/v3").size());
  if (rest.empty() || rest == "/") {
    r.body = openapi_v3_->IndexJson();
    return r;
  }
  const std::string* doc = openapi_v3_->Document(rest.substr(1));
  if (doc == nullptr) return StatusResponse(404, "NotFound", "the server could not find the requested resource");
  r.body = *doc;
  return r;
}

HttpResponse ApiRouter::Handle(const HttpRequest& req) {
  if (req.path == "/skiff/faults") return HandleFaultAdmin(req);
  if (req.path == "/openapi/v3" || req.path.rfind("/openapi/v3/", 0) == 0) return HandleOpenApiV3(req);
  if (IsDiscoveryPath(req.path)) {
    ApiCatalog catalog = cp_.CatalogSnapshot();
    if (auto r = ServeDiscovery(req, catalog, server_address_)) return *r;
  }
  if (auto target = ResolveResourcePath(cp_, req.path)) return handler_.Handle(req, *target);
  return StatusResponse(404, "NotFound", "the server could not find the requested resource");
}

}  // namespace skiff::local
