#include "local/openapi_v3.h"

#include <openssl/evp.h>

#include <set>
#include <vector>

#include "local/api_status.h"
#include "local/json_codec.h"

namespace skiff::local {
namespace {

constexpr std::string_view kV2RefPrefix = "#/definitions/";
constexpr std::string_view kV3RefPrefix = "#/components/schemas/";
constexpr const char* kStatusDef = "io.k8s.apimachinery.pkg.apis.meta.v1.Status";
constexpr const char* kDeleteOptionsDef = "io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions";

std::string Sha512Hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), digest, &len, EVP_sha512(), nullptr);
  static const char kHex[] = "0123456789ABCDEF";
  std::string hex;
  for (unsigned int i = 0; i < len; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 15];
  }
  return hex;
}

// "group/version/kind" → definition name, from x-kubernetes-group-version-kind.
std::map<std::string, std::string> DefinitionsByGvk(const Node* definitions) {
  std::map<std::string, std::string> out;
  for (const MapEntry& e : definitions->entries()) {
    const Node* gvks = e.value->Get("x-kubernetes-group-version-kind");
    if (gvks == nullptr || !gvks->IsSeq()) continue;
    for (const Node* g : gvks->items()) {
      std::string key = std::string(g->GetString("group")) + "/" + std::string(g->GetString("version")) + "/" +
                        std::string(g->GetString("kind"));
      out.emplace(key, std::string(e.key));
    }
  }
  return out;
}

void CollectRefs(const Node* node, std::vector<std::string>& refs) {
  if (node == nullptr) return;
  if (node->IsSeq()) {
    for (const Node* item : node->items()) CollectRefs(item, refs);
  } else if (node->IsMap()) {
    for (const MapEntry& e : node->entries()) {
      if (e.key == "$ref" && e.value->scalar().substr(0, kV2RefPrefix.size()) == kV2RefPrefix) {
        refs.emplace_back(e.value->scalar().substr(kV2RefPrefix.size()));
      } else {
        CollectRefs(e.value, refs);
      }
    }
  }
}

// `roots` plus every definition they reference, transitively.
std::set<std::string> Closure(const Node* definitions, std::vector<std::string> pending) {
  std::set<std::string> seen;
  while (!pending.empty()) {
    std::string name = std::move(pending.back());
    pending.pop_back();
    const Node* def = definitions->Get(name);
    if (def == nullptr || !seen.insert(name).second) continue;
    CollectRefs(def, pending);
  }
  return seen;
}

std::string SchemasJson(const Node* definitions, const std::set<std::string>& names) {
  std::string out = "{";
  for (const std::string& name : names) {
    if (out.size() > 1) out += ',';
    out += JsonQuote(name) + ":";
    EmitJsonText(definitions->Get(name), out);
  }
  out += "}";
  // Rewrite the references; the prefix only occurs in $ref values.
  std::string quoted_v2 = "\"" + std::string(kV2RefPrefix);
  std::string quoted_v3 = "\"" + std::string(kV3RefPrefix);
  for (size_t at = out.find(quoted_v2); at != std::string::npos; at = out.find(quoted_v2, at + quoted_v3.size())) {
    out.replace(at, quoted_v2.size(), quoted_v3);
  }
  return out;
}

std::string Param(std::string_view name, std::string_view in, std::string_view type) {
  std::string p = "{\"name\":" + JsonQuote(name) + ",\"in\":" + JsonQuote(in);
  if (in == "path") p += ",\"required\":true";
  return p + ",\"schema\":{\"type\":" + JsonQuote(type) + ",\"uniqueItems\":true}}";
}

std::string SchemaRef(const std::string& def) {
  return def.empty() ? "{\"type\":\"object\"}" : "{\"$ref\":" + JsonQuote(std::string(kV3RefPrefix) + def) + "}";
}

std::string JsonContent(const std::string& def) {
  return "{\"application/json\":{\"schema\":" + SchemaRef(def) + "},\"application/yaml\":{\"schema\":" +
         SchemaRef(def) + "}}";
}

struct OperationSpec {
  std::string_view method;  // get, put, post, patch, delete
  std::string_view action;  // x-kubernetes-action
  std::string operation_id;
  std::string request_def;  // empty: no body
  std::string response_def;
};

std::string Operation(const OperationSpec& op, const ApiResource& r) {
  std::vector<std::string> params;
  bool writes = op.method != "get";
  if (writes) params.push_back(Param("dryRun", "query", "string"));
  if (op.method == "put" || op.method == "post" || op.method == "patch") {
    params.push_back(Param("fieldManager", "query", "string"));
    params.push_back(Param("fieldValidation", "query", "string"));
  }
  if (op.method == "patch") params.push_back(Param("force", "query", "boolean"));
  if (op.action == "list" || op.action == "deletecollection") {
    for (const char* p : {"labelSelector", "fieldSelector", "continue", "resourceVersion"}) {
      params.push_back(Param(p, "query", "string"));
    }
    params.push_back(Param("limit", "query", "integer"));
  }
  if (op.action == "list") {
    params.push_back(Param("watch", "query", "boolean"));
    params.push_back(Param("allowWatchBookmarks", "query", "boolean"));
    params.push_back(Param("timeoutSeconds", "query", "integer"));
  }
  std::string s = "{\"operationId\":" + JsonQuote(op.operation_id) + ",\"parameters\":[";
  for (size_t i = 0; i < params.size(); ++i) s += (i > 0 ? "," : "") + params[i];
  s += "]";
  if (op.method == "patch") {
    s += ",\"requestBody\":{\"content\":{";
    bool first = true;
    for (const char* type : {"application/apply-patch+yaml", "application/json-patch+json",
                             "application/merge-patch+json", "application/strategic-merge-patch+json"}) {
      s += std::string(first ? "" : ",") + JsonQuote(type) + ":{\"schema\":{\"type\":\"object\"}}";
      first = false;
    }
    s += "},\"required\":true}";
  } else if (!op.request_def.empty()) {
    s += ",\"requestBody\":{\"content\":" + JsonContent(op.request_def) + ",\"required\":true}";
  }
  std::string ok_code = op.method == "post" ? "201" : "200";
  s += ",\"responses\":{" + JsonQuote(ok_code) + ":{\"description\":\"OK\",\"content\":" +
       JsonContent(op.response_def) + "},\"401\":{\"description\":\"Unauthorized\"}}";
  s += ",\"x-kubernetes-action\":" + JsonQuote(op.action);
  s += ",\"x-kubernetes-group-version-kind\":{\"group\":" + JsonQuote(r.group) + ",\"version\":" +
       JsonQuote(r.version) + ",\"kind\":" + JsonQuote(r.kind) + "}}";
  return s;
}

std::string PathItem(const std::vector<std::string>& path_params, const std::vector<std::string>& operations) {
  std::string s = "{\"parameters\":[";
  for (size_t i = 0; i < path_params.size(); ++i) s += (i > 0 ? "," : "") + Param(path_params[i], "path", "string");
  if (!path_params.empty()) s += ",";
  s += Param("pretty", "query", "string") + "]";
  for (const std::string& op : operations) s += "," + op;
  return s + "}";
}

// The paths of one resource: collection, item, and /status when served.
std::string ResourcePaths(const ApiResource& r, const std::string& def, const std::string& list_def) {
  std::string base = r.group.empty() ? "/api/" + r.version : "/apis/" + r.group + "/" + r.version;
  std::string collection = base + (r.namespaced ? "/namespaces/{namespace}/" : "/") + r.plural;
  std::string item = collection + "/{name}";
  std::string id_suffix = (r.namespaced ? "Namespaced" : "") + r.kind;
  std::vector<std::string> scope = r.namespaced ? std::vector<std::string>{"namespace"} : std::vector<std::string>{};
  std::vector<std::string> named = scope;
  named.push_back("name");
  auto op = [&](std::string_view method, std::string_view action, std::string_view id_verb, const std::string& req,
                const std::string& resp, std::string_view id_tail) {
    return "\"" + std::string(method) + "\":" +
           Operation({method, action, std::string(id_verb) + id_suffix + std::string(id_tail), req, resp}, r);
  };
  std::string s = JsonQuote(collection) + ":" +
                  PathItem(scope, {op("get", "list", "list", "", list_def, ""), op("post", "post", "create", def, def, ""),
                                   op("delete", "deletecollection", "deleteCollection", kDeleteOptionsDef, kStatusDef, "")});
  s += "," + JsonQuote(item) + ":" +
       PathItem(named, {op("get", "get", "read", "", def, ""), op("put", "put", "replace", def, def, ""),
                        op("patch", "patch", "patch", "", def, ""),
                        op("delete", "delete", "delete", kDeleteOptionsDef, kStatusDef, "")});
  if (r.has_status) {
    s += "," + JsonQuote(item + "/status") + ":" +
         PathItem(named, {op("get", "get", "read", "", def, "Status"), op("put", "put", "replace", def, def, "Status"),
                          op("patch", "patch", "patch", "", def, "Status")});
  }
  return s;
}

std::string GroupVersionDocument(const Node* definitions, const std::map<std::string, std::string>& by_gvk,
                     const std::vector<const ApiResource*>& resources) {
  std::vector<std::string> roots = {kStatusDef, kDeleteOptionsDef};
  std::string paths;
  for (const ApiResource* r : resources) {
    std::string gv = r->group + "/" + r->version + "/";
    auto def = by_gvk.find(gv + r->kind);
    auto list = by_gvk.find(gv + r->kind + "List");
    std::string def_name = def == by_gvk.end() ? "" : def->second;
    std::string list_name = list == by_gvk.end() ? "" : list->second;
    if (!def_name.empty()) roots.push_back(def_name);
    if (!list_name.empty()) roots.push_back(list_name);
    if (!paths.empty()) paths += ',';
    paths += ResourcePaths(*r, def_name, list_name);
  }
  return R"({"openapi":"3.0.0","info":{"title":"Kubernetes","version":"v1.21.2"},"paths":{)" + paths +
         R"(},"components":{"schemas":)" + SchemasJson(definitions, Closure(definitions, roots)) + "}}";
}

}  // namespace

OpenApiV3 OpenApiV3::Build(const Node* spec, const ApiCatalog& catalog) {
  OpenApiV3 v3;
  const Node* definitions = spec != nullptr ? spec->Get("definitions") : nullptr;
  std::string index = R"({"paths":{)";
  bool first = true;
  if (definitions != nullptr && definitions->IsMap()) {
    std::map<std::string, std::string> by_gvk = DefinitionsByGvk(definitions);
    for (const GroupVersions& g : catalog.Groups()) {
      for (const std::string& version : g.versions) {
        std::vector<const ApiResource*> builtin;
        for (const ApiResource* r : catalog.InGroupVersion(g.group, version)) {
          if (!r->custom) builtin.push_back(r);
        }
        if (builtin.empty()) continue;
        std::string gv_path = g.group.empty() ? "api/" + version : "apis/" + g.group + "/" + version;
        std::string doc = GroupVersionDocument(definitions, by_gvk, builtin);
        if (!first) index += ',';
        first = false;
        index += JsonQuote(gv_path) + ":{\"serverRelativeURL\":" +
                 JsonQuote("/openapi/v3/" + gv_path + "?hash=" + Sha512Hex(doc)) + "}";
        v3.documents_.emplace(gv_path, std::move(doc));
      }
    }
  }
  v3.index_ = index + "}}";
  return v3;
}

const std::string* OpenApiV3::Document(std::string_view gv_path) const {
  auto it = documents_.find(gv_path);
  return it == documents_.end() ? nullptr : &it->second;
}

}  // namespace skiff::local
