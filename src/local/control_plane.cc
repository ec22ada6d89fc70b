#include "local/control_plane.h"

#include "local/openapi_blob.h"
#include "local/json_codec.h"

namespace skiff::local {
namespace {

// The ApiResources a CRD object defines, one per served version.
std::vector<ApiResource> CrdResources(const Node* crd) {
  std::vector<ApiResource> out;
  const Node* spec = crd->Get("spec");
  if (spec == nullptr || !spec->IsMap()) return out;
  const Node* names = spec->Get("names");
  const Node* versions = spec->Get("versions");
  if (names == nullptr || versions == nullptr || !versions->IsSeq()) return out;
  for (const Node* v : versions->items()) {
    const Node* served = v->Get("served");
    if (served != nullptr && served->scalar() == "false") continue;
    ApiResource r;
    r.group = std::string(spec->GetString("group"));
    r.version = std::string(v->GetString("name"));
    r.kind = std::string(names->GetString("kind"));
    r.plural = std::string(names->GetString("plural"));
    r.namespaced = spec->GetString("scope") != "Cluster";
    r.has_status = v->GetPath({"subresources", "status"}) != nullptr;
    r.custom = true;
    if (const Node* sn = names->Get("shortNames"); sn != nullptr && sn->IsSeq()) {
      for (const Node* s : sn->items()) r.short_names.emplace_back(s->scalar());
    }
    if (const Node* cats = names->Get("categories"); cats != nullptr && cats->IsSeq()) {
      for (const Node* c : cats->items()) r.categories.emplace_back(c->scalar());
    }
    if (!r.group.empty() && !r.version.empty() && !r.kind.empty() && !r.plural.empty()) out.push_back(r);
  }
  return out;
}

}  // namespace

Result<std::unique_ptr<ControlPlane>> ControlPlane::Open(const std::string& data_dir) {
  std::unique_ptr<ControlPlane> cp(new ControlPlane());
  SKIFF_ASSIGN_OR_RETURN(cp->store_, ObjectStore::Open(data_dir.empty() ? "" : data_dir + "/store.db"));
  SKIFF_ASSIGN_OR_RETURN(Node * spec, ParseJsonText(OpenApiJson(), cp->openapi_arena_));
  cp->openapi_ = spec;
  SKIFF_ASSIGN_OR_RETURN(cp->catalog_, ApiCatalog::FromOpenApi(spec));
  const ApiResource* crds = cp->catalog_.FindAnyVersion("apiextensions.k8s.io", "customresourcedefinitions");
  if (crds != nullptr) {
    std::vector<std::string> texts;
    cp->store_->List(crds->StorageKind(), "", "", [&](const StoredObject& o) {
      texts.push_back(o.json);
      return true;
    });
    for (const std::string& text : texts) {
      Arena arena;
      auto crd = ParseJsonText(text, arena);
      if (crd.ok()) cp->ServeCrd(*crd);
    }
  }
  return cp;
}

std::optional<ApiResource> ControlPlane::Find(std::string_view group, std::string_view version,
                                              std::string_view plural) const {
  std::lock_guard<std::mutex> lock(catalog_mu_);
  const ApiResource* r = catalog_.Find(group, version, plural);
  if (r == nullptr) return std::nullopt;
  return *r;
}

std::optional<ApiResource> ControlPlane::FindKind(std::string_view group, std::string_view version,
                                                  std::string_view kind) const {
  std::lock_guard<std::mutex> lock(catalog_mu_);
  const ApiResource* r = catalog_.FindKind(group, version, kind);
  if (r == nullptr) return std::nullopt;
  return *r;
}

ApiCatalog ControlPlane::CatalogSnapshot() const {
  std::lock_guard<std::mutex> lock(catalog_mu_);
  return catalog_;
}

void ControlPlane::ServeCrd(const Node* crd) {
  std::vector<ApiResource> resources = CrdResources(crd);
  std::lock_guard<std::mutex> lock(catalog_mu_);
  if (!resources.empty()) catalog_.RemoveCustom(resources[0].group, resources[0].plural);
  for (ApiResource& r : resources) catalog_.Upsert(std::move(r));
}

void ControlPlane::StopServingCrd(const Node* crd) {
  const Node* spec = crd->Get("spec");
  if (spec == nullptr) return;
  std::lock_guard<std::mutex> lock(catalog_mu_);
  catalog_.RemoveCustom(spec->GetString("group"), spec->GetPath({"names"}) != nullptr
                                                      ? spec->GetPath({"names"})->GetString("plural")
                                                      : std::string_view());
}

}  // namespace skiff::local
