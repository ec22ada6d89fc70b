#include "local/api_catalog.h"

#include <algorithm>
#include <map>
#include <set>

namespace skiff::local {
namespace {

struct Extras {
  const char* plural;
  std::vector<std::string> short_names;
  bool in_all_category;
};

// kubectl resolves these short names through discovery; the OpenAPI
// document does not carry them.
const std::vector<Extras>& KnownExtras() {
  static const auto* extras = new std::vector<Extras>{
      {"pods", {"po"}, true},
      {"services", {"svc"}, true},
      {"configmaps", {"cm"}, false},
      {"namespaces", {"ns"}, false},
      {"nodes", {"no"}, false},
      {"endpoints", {"ep"}, false},
      {"events", {"ev"}, false},
      {"serviceaccounts", {"sa"}, false},
      {"secrets", {}, false},
      {"persistentvolumeclaims", {"pvc"}, false},
      {"persistentvolumes", {"pv"}, false},
      {"replicationcontrollers", {"rc"}, true},
      {"resourcequotas", {"quota"}, false},
      {"limitranges", {"limits"}, false},
      {"deployments", {"deploy"}, true},
      {"replicasets", {"rs"}, true},
      {"statefulsets", {"sts"}, true},
      {"daemonsets", {"ds"}, true},
      {"jobs", {}, true},
      {"cronjobs", {"cj"}, true},
      {"horizontalpodautoscalers", {"hpa"}, true},
      {"ingresses", {"ing"}, false},
      {"networkpolicies", {"netpol"}, false},
      {"poddisruptionbudgets", {"pdb"}, false},
      {"podsecuritypolicies", {"psp"}, false},
      {"priorityclasses", {"pc"}, false},
      {"storageclasses", {"sc"}, false},
      {"customresourcedefinitions", {"crd", "crds"}, false},
      {"certificatesigningrequests", {"csr"}, false},
  };
  return *extras;
}

struct PathInfo {
  std::string group, version, plural;
  bool namespaced_path = false;
  std::string subresource;  // "" for the resource itself
};

// Splits "/api/v1/namespaces/{namespace}/pods/{name}/status" and
// "/apis/apps/v1/deployments" into their parts; false for other paths.
bool ParsePath(std::string_view path, PathInfo& out) {
  std::vector<std::string_view> parts;
  size_t i = 1;
  while (i <= path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    parts.push_back(path.substr(i, j - i));
    i = j + 1;
  }
  size_t at = 0;
  if (parts.size() >= 2 && parts[0] == "api") {
    out.version = std::string(parts[1]);
    at = 2;
  } else if (parts.size() >= 3 && parts[0] == "apis") {
    out.group = std::string(parts[1]);
    out.version = std::string(parts[2]);
    at = 3;
  } else {
    return false;
  }
  if (at < parts.size() && parts[at] == "watch") return false;
  if (at + 2 < parts.size() && parts[at] == "namespaces" && parts[at + 1] == "{namespace}") {
    out.namespaced_path = true;
    at += 2;
  }
  if (at >= parts.size()) return false;
  out.plural = std::string(parts[at]);
  if (out.plural.find('{') != std::string::npos) return false;
  if (at + 1 < parts.size() && parts[at + 1] != "{name}") return false;
  if (at + 2 < parts.size()) out.subresource = std::string(parts[at + 2]);
  return at + 3 >= parts.size();
}

int VersionRank(std::string_view v, int& major, int& minor) {
  major = 0;
  minor = 0;
  size_t i = 1;
  while (i < v.size() && isdigit(static_cast<unsigned char>(v[i]))) major = major * 10 + (v[i++] - '0');
  int level = 3;
  std::string_view rest = v.substr(i);
  if (rest.rfind("beta", 0) == 0) {
    level = 2;
    rest.remove_prefix(4);
  } else if (rest.rfind("alpha", 0) == 0) {
    level = 1;
    rest.remove_prefix(5);
  } else if (!rest.empty()) {
    level = 0;
  }
  for (char c : rest) {
    if (isdigit(static_cast<unsigned char>(c))) minor = minor * 10 + (c - '0');
  }
  return level;
}

}  // namespace

bool VersionPreferred(std::string_view a, std::string_view b) {
  int amaj, amin, bmaj, bmin;
  int al = VersionRank(a, amaj, amin), bl = VersionRank(b, bmaj, bmin);
  if (al != bl) return al > bl;
  if (amaj != bmaj) return amaj > bmaj;
  if (amin != bmin) return amin > bmin;
  return a < b;
}

Result<ApiCatalog> ApiCatalog::FromOpenApi(const Node* spec) {
  const Node* paths = spec != nullptr ? spec->Get("paths") : nullptr;
  if (paths == nullptr || !paths->IsMap()) return MakeError("OpenAPI document has no paths");
  std::map<std::string, ApiResource> by_key;  // group/version/plural
  std::set<std::string> namespaced;
  for (const MapEntry& e : paths->entries()) {
    PathInfo p;
    if (!ParsePath(e.key, p)) continue;
    std::string key = p.group + "/" + p.version + "/" + p.plural;
    if (p.namespaced_path) namespaced.insert(key);
    if (!p.subresource.empty()) {
      if (p.subresource == "status") by_key[key].has_status = true;
      continue;
    }
    const Node* get = e.value->Get("get");
    if (get == nullptr) continue;
    const Node* gvk = get->Get("x-kubernetes-group-version-kind");
    if (gvk == nullptr || get->GetString("x-kubernetes-action") != "list") continue;
    ApiResource& r = by_key[key];
    r.group = p.group;
    r.version = p.version;
    r.plural = p.plural;
    r.kind = std::string(gvk->GetString("kind"));
  }
  ApiCatalog catalog;
  for (auto& [key, r] : by_key) {
    if (r.kind.empty()) continue;
    r.namespaced = namespaced.count(key) > 0;
    for (const Extras& x : KnownExtras()) {
      if (r.plural != x.plural) continue;
      r.short_names = x.short_names;
      if (x.in_all_category) r.categories = {"all"};
    }
    catalog.resources_.push_back(std::move(r));
  }
  return catalog;
}

const ApiResource* ApiCatalog::Find(std::string_view group, std::string_view version,
                                    std::string_view plural) const {
  for (const ApiResource& r : resources_) {
    if (r.group == group && r.version == version && r.plural == plural) return &r;
  }
  return nullptr;
}

const ApiResource* ApiCatalog::FindKind(std::string_view group, std::string_view version,
                                        std::string_view kind) const {
  for (const ApiResource& r : resources_) {
    if (r.group == group && r.version == version && r.kind == kind) return &r;
  }
  return nullptr;
}

const ApiResource* ApiCatalog::FindAnyVersion(std::string_view group, std::string_view plural) const {
  for (const ApiResource& r : resources_) {
    if (r.group == group && r.plural == plural) return &r;
  }
  return nullptr;
}

void ApiCatalog::Upsert(ApiResource r) {
  for (ApiResource& existing : resources_) {
    if (existing.group == r.group && existing.version == r.version && existing.plural == r.plural) {
      existing = std::move(r);
      return;
    }
  }
  resources_.push_back(std::move(r));
}

void ApiCatalog::RemoveCustom(std::string_view group, std::string_view plural) {
  std::erase_if(resources_, [&](const ApiResource& r) {
    return r.custom && r.group == group && r.plural == plural;
  });
}

std::vector<GroupVersions> ApiCatalog::Groups() const {
  std::map<std::string, std::set<std::string>> versions;
  for (const ApiResource& r : resources_) versions[r.group].insert(r.version);
  std::vector<GroupVersions> out;
  for (auto& [group, set] : versions) {
    GroupVersions g{group, {set.begin(), set.end()}};
    std::sort(g.versions.begin(), g.versions.end(),
              [](const std::string& a, const std::string& b) { return VersionPreferred(a, b); });
    out.push_back(std::move(g));
  }
  return out;
}

std::vector<const ApiResource*> ApiCatalog::InGroupVersion(std::string_view group,
                                                           std::string_view version) const {
  std::vector<const ApiResource*> out;
  for (const ApiResource& r : resources_) {
    if (r.group == group && r.version == version) out.push_back(&r);
  }
  return out;
}

}  // namespace skiff::local
