#include "local/api_catalog.h"

#include <algorithm>
#include <cctype>
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

// The resource name Kubernetes derives from a kind ("NetworkPolicy" →
// "networkpolicies", "Ingress" → "ingresses", "Endpoints" → "endpoints").
std::string PluralOf(std::string_view kind) {
  std::string lower;
  for (char c : kind) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "endpoints") return lower;
  if (lower.size() > 1 && lower.back() == 'y' && std::string_view("aeiou").find(lower[lower.size() - 2]) == std::string_view::npos) {
    return lower.substr(0, lower.size() - 1) + "ies";
  }
  if (lower.back() == 's' || lower.back() == 'x' || lower.ends_with("ch") || lower.ends_with("sh")) return lower + "es";
  return lower + "s";
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
  const Node* resources = spec != nullptr ? spec->Get("resources") : nullptr;
  const Node* definitions = spec != nullptr ? spec->Get("definitions") : nullptr;
  if (resources == nullptr || !resources->IsSeq() || definitions == nullptr) {
    return MakeError("OpenAPI document has no resources/definitions");
  }
  ApiCatalog catalog;
  for (const Node* entry : resources->items()) {
    std::string_view scope = entry->GetString("scope");
    std::string_view kind = entry->GetString("kind");
    if (scope.empty() || kind.empty() || kind.ends_with("List")) continue;
    std::string_view api_version = entry->GetString("apiVersion");
    ApiResource r;
    size_t slash = api_version.find('/');
    if (slash != std::string_view::npos) r.group = std::string(api_version.substr(0, slash));
    r.version = std::string(slash == std::string_view::npos ? api_version : api_version.substr(slash + 1));
    r.kind = std::string(kind);
    r.plural = PluralOf(kind);
    r.namespaced = scope == "Namespaced";
    const Node* def = definitions->Get(entry->GetString("definition"));
    r.has_status = def != nullptr && def->GetPath({"properties", "status"}) != nullptr;
    for (const Extras& x : KnownExtras()) {
      if (r.plural != x.plural) continue;
      r.short_names = x.short_names;
      if (x.in_all_category) r.categories = {"all"};
    }
    catalog.Upsert(std::move(r));
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
