#include "local/discovery.h"

#include <cctype>

#include "local/api_status.h"
#include "local/openapi_blob.h"
#include "local/scale_subresource.h"

namespace skiff::local {
namespace {

HttpResponse Json(std::string body) {
  HttpResponse r;
  r.body = std::move(body);
  return r;
}

std::string StringList(const std::vector<std::string>& items) {
  std::string s = "[";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) s += ',';
    s += JsonQuote(items[i]);
  }
  return s + "]";
}

std::string VersionJson() {
  return R"({"major":"1","minor":"21","gitVersion":"v1.21.2","gitCommit":"skiff-local","gitTreeState":"clean",)"
         R"("buildDate":"2021-06-16T12:53:14Z","goVersion":"go1.16.5","compiler":"gc","platform":"linux/amd64"})";
}

std::string ResourceEntry(const ApiResource& r, bool status) {
  static const std::vector<std::string> kVerbs = {"create", "delete", "deletecollection", "get",
                                                  "list",   "patch",  "update",           "watch"};
  static const std::vector<std::string> kStatusVerbs = {"get", "patch", "update"};
  std::string name = status ? r.plural + "/status" : r.plural;
  std::string singular;
  for (char c : r.kind) singular += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string s = "{\"name\":" + JsonQuote(name) + ",\"singularName\":" + JsonQuote(status ? "" : singular) +
                  ",\"namespaced\":" + (r.namespaced ? "true" : "false") + ",\"kind\":" + JsonQuote(r.kind) +
                  ",\"verbs\":" + StringList(status ? kStatusVerbs : kVerbs);
  if (!status && !r.short_names.empty()) s += ",\"shortNames\":" + StringList(r.short_names);
  if (!status && !r.categories.empty()) s += ",\"categories\":" + StringList(r.categories);
  return s + "}";
}

std::string ResourceList(const ApiCatalog& catalog, const std::string& group, const std::string& version) {
  std::string gv = group.empty() ? version : group + "/" + version;
  std::string s = R"({"kind":"APIResourceList","apiVersion":"v1","groupVersion":)" + JsonQuote(gv) + ",\"resources\":[";
  bool first = true;
  for (const ApiResource* r : catalog.InGroupVersion(group, version)) {
    if (!first) s += ',';
    first = false;
    s += ResourceEntry(*r, false);
    if (r->has_status) s += "," + ResourceEntry(*r, true);
    if (HasScaleSubresource(*r)) s += "," + ScaleDiscoveryEntry(*r);
  }
  return s + "]}";
}

std::string GroupJson(const GroupVersions& g) {
  std::string versions;
  for (size_t i = 0; i < g.versions.size(); ++i) {
    if (i > 0) versions += ',';
    versions += "{\"groupVersion\":" + JsonQuote(g.group + "/" + g.versions[i]) +
                ",\"version\":" + JsonQuote(g.versions[i]) + "}";
  }
  return "{\"name\":" + JsonQuote(g.group) + ",\"versions\":[" + versions + "],\"preferredVersion\":{\"groupVersion\":" +
         JsonQuote(g.group + "/" + g.versions[0]) + ",\"version\":" + JsonQuote(g.versions[0]) + "}}";
}

std::string GroupList(const ApiCatalog& catalog) {
  std::string s = R"({"kind":"APIGroupList","apiVersion":"v1","groups":[)";
  bool first = true;
  for (const GroupVersions& g : catalog.Groups()) {
    if (g.group.empty()) continue;
    if (!first) s += ',';
    first = false;
    s += GroupJson(g);
  }
  return s + "]}";
}

}  // namespace

std::optional<HttpResponse> ServeDiscovery(const HttpRequest& req, const ApiCatalog& catalog,
                                           const std::string& server_address) {
  if (req.method != "GET") return std::nullopt;
  const std::string& p = req.path;
  if (p == "/version" || p == "/version/") return Json(VersionJson());
  if (p == "/healthz" || p == "/readyz" || p == "/livez") {
    HttpResponse r;
    r.content_type = "text/plain; charset=utf-8";
    r.body = "ok";
    return r;
  }
  if (p == "/api" || p == "/api/") {
    return Json(R"({"kind":"APIVersions","versions":["v1"],"serverAddressByClientCIDRs":[{"clientCIDR":"0.0.0.0/0","serverAddress":)" +
                JsonQuote(server_address) + "}]}");
  }
  if (p == "/api/v1" || p == "/api/v1/") return Json(ResourceList(catalog, "", "v1"));
  if (p == "/apis" || p == "/apis/") return Json(GroupList(catalog));
  if (p == "/openapi/v2") {
    // Always JSON: kubectl asks for protobuf but accepts a JSON answer,
    // while a 406 makes it give up.
    return Json(OpenApiServedJson());
  }
  if (p.rfind("/apis/", 0) == 0) {
    std::string rest = p.substr(6);
    if (!rest.empty() && rest.back() == '/') rest.pop_back();
    size_t slash = rest.find('/');
    for (const GroupVersions& g : catalog.Groups()) {
      if (slash == std::string::npos && rest == g.group) {
        return Json(R"({"kind":"APIGroup","apiVersion":"v1",)" + GroupJson(g).substr(1));
      }
      if (slash != std::string::npos && rest.substr(0, slash) == g.group) {
        std::string version = rest.substr(slash + 1);
        for (const std::string& v : g.versions) {
          if (v == version) return Json(ResourceList(catalog, g.group, v));
        }
      }
    }
  }
  return std::nullopt;
}

}  // namespace skiff::local
