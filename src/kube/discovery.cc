#include "kube/discovery.h"

#include <cctype>

#include "model/node.h"
#include "yaml/yaml.h"

namespace skiff::kube {

namespace {

std::string Scalar(const Node* map, std::string_view key) {
  if (map == nullptr || !map->IsMap()) return {};
  const Node* v = map->Get(key);
  return v != nullptr && v->IsScalar() && !v->IsNull() ? std::string(v->scalar()) : std::string();
}

std::string GroupPrefix(const Gvk& gvk) {
  return gvk.group.empty() ? "/api/" + gvk.version : "/apis/" + gvk.group + "/" + gvk.version;
}

std::string DiscoveryPath(const std::string& group_version) {
  return group_version.find('/') == std::string::npos ? "/api/" + group_version
                                                      : "/apis/" + group_version;
}

ApiResult<Node*> ParseBody(const ApiResult<std::string>& body, Arena& arena, std::string_view what) {
  if (!body.ok()) return body.error();
  auto parsed = ParseJson(*body, arena);
  if (!parsed.ok() || !(*parsed)->IsMap()) {
    return LocalError("discovery " + std::string(what) + ": the answer is not a JSON object");
  }
  return *parsed;
}

}  // namespace

std::string UrlEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

std::string RestMapping::CollectionPath(std::string_view ns) const {
  std::string path = GroupPrefix(gvk);
  if (namespaced && !ns.empty()) path += "/namespaces/" + UrlEncode(ns);
  return path + "/" + resource;
}

std::string RestMapping::ObjectPath(std::string_view ns, std::string_view name,
                                    std::string_view subresource) const {
  std::string path = CollectionPath(ns) + "/" + UrlEncode(name);
  if (!subresource.empty()) path += "/" + std::string(subresource);
  return path;
}

std::string GuessPlural(std::string_view kind) {
  std::string lower;
  for (char c : kind) lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  if (lower.empty()) return lower;
  if (lower.ends_with("s") || lower.ends_with("x") || lower.ends_with("z") || lower.ends_with("ch") ||
      lower.ends_with("sh")) {
    return lower + "es";
  }
  if (lower.size() > 1 && lower.back() == 'y' &&
      std::string_view("aeiou").find(lower[lower.size() - 2]) == std::string_view::npos) {
    return lower.substr(0, lower.size() - 1) + "ies";
  }
  return lower + "s";
}

ApiResult<std::vector<std::string>> Discovery::GroupVersions() {
  std::lock_guard<std::mutex> lock(mu_);
  if (!group_versions_.empty()) return group_versions_;
  Arena arena;
  ++fetches_;
  auto core = ParseBody(fetch_("/api"), arena, "/api");
  if (!core.ok()) return core.error();
  std::vector<std::string> out;
  if (const Node* versions = (*core)->Get("versions"); versions != nullptr && versions->IsSeq()) {
    for (const Node* v : versions->items()) out.emplace_back(v->scalar());
  }
  ++fetches_;
  auto groups = ParseBody(fetch_("/apis"), arena, "/apis");
  if (!groups.ok()) return groups.error();
  if (const Node* list = (*groups)->Get("groups"); list != nullptr && list->IsSeq()) {
    for (const Node* g : list->items()) {
      const Node* versions = g->Get("versions");
      if (versions == nullptr || !versions->IsSeq()) continue;
      for (const Node* v : versions->items()) out.push_back(Scalar(v, "groupVersion"));
    }
  }
  group_versions_ = out;
  return out;
}

ApiResult<std::vector<ApiResourceInfo>> Discovery::FetchResources(const std::string& group_version) {
  Arena arena;
  ++fetches_;
  auto doc = ParseBody(fetch_(DiscoveryPath(group_version)), arena, group_version);
  if (!doc.ok()) return doc.error();
  std::vector<ApiResourceInfo> out;
  const Node* list = (*doc)->Get("resources");
  if (list == nullptr || !list->IsSeq()) return out;
  for (const Node* r : list->items()) {
    ApiResourceInfo info;
    info.name = Scalar(r, "name");
    if (info.name.empty() || info.name.find('/') != std::string::npos) continue;  // subresource
    info.singular_name = Scalar(r, "singularName");
    info.kind = Scalar(r, "kind");
    info.namespaced = Scalar(r, "namespaced") == "true";
    if (const Node* verbs = r->Get("verbs"); verbs != nullptr && verbs->IsSeq()) {
      for (const Node* v : verbs->items()) info.verbs.emplace_back(v->scalar());
    }
    out.push_back(std::move(info));
  }
  return out;
}

ApiResult<std::vector<ApiResourceInfo>> Discovery::Resources(const std::string& group_version) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = resources_.find(group_version);
  if (it != resources_.end()) return it->second;
  auto fetched = FetchResources(group_version);
  if (!fetched.ok()) return fetched.error();
  resources_[group_version] = *fetched;
  return fetched;
}

ApiResult<RestMapping> Discovery::Mapping(const Gvk& gvk) {
  std::string gv = gvk.ApiVersion();
  std::lock_guard<std::mutex> lock(mu_);
  auto find_kind = [&]() -> const ApiResourceInfo* {
    for (const ApiResourceInfo& r : resources_[gv]) {
      if (r.kind == gvk.kind) return &r;
    }
    return nullptr;
  };
  bool cached = resources_.count(gv) != 0;
  const ApiResourceInfo* found = cached ? find_kind() : nullptr;
  if (found == nullptr) {
    // Unknown so far, or a kind a CRD may have added since: look again.
    auto fetched = FetchResources(gv);
    if (!fetched.ok() && !IsNotFound(fetched.error())) return fetched.error();
    resources_[gv] = fetched.ok() ? std::move(*fetched) : std::vector<ApiResourceInfo>{};
    found = find_kind();
  }
  if (found != nullptr) return RestMapping{gvk, found->name, found->namespaced};
  ApiError e;
  e.code = 404;
  e.reason = "NotFound";
  e.message = "no matches for kind \"" + gvk.kind + "\" in version \"" + gv + "\"";
  return e;
}

void Discovery::Invalidate() {
  std::lock_guard<std::mutex> lock(mu_);
  group_versions_.clear();
  resources_.clear();
}

}  // namespace skiff::kube
