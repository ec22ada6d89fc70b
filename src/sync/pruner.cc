#include "sync/pruner.h"

#include <algorithm>
#include <string>
#include <unordered_set>

#include "sync/plan.h"

namespace skiff::sync {
namespace {

// Splits "Kind.group" (the group may itself contain dots).
std::pair<std::string, std::string> SplitGroupKind(const std::string& group_kind) {
  size_t dot = group_kind.find('.');
  if (dot == std::string::npos) return {"", group_kind};
  return {group_kind.substr(dot + 1), group_kind.substr(0, dot)};
}

// The first version the server lists for group/kind, or "" if none serves it.
kube::ApiResult<std::string> ServedVersion(kube::Client& client, const std::string& group,
                                           const std::string& kind) {
  auto group_versions = client.discovery().GroupVersions();
  if (!group_versions.ok()) return group_versions.error();
  for (const std::string& gv : *group_versions) {
    size_t slash = gv.find('/');
    std::string gv_group = slash == std::string::npos ? "" : gv.substr(0, slash);
    if (gv_group != group) continue;
    auto resources = client.discovery().Resources(gv);
    if (!resources.ok()) continue;
    for (const kube::ApiResourceInfo& info : *resources) {
      if (info.kind == kind) return slash == std::string::npos ? gv : gv.substr(slash + 1);
    }
  }
  return std::string();
}

// Identity without the version: the same object may be listed through another one.
std::string GroupKindNamespaceName(const ResId& id) {
  return id.gvk.group + "|" + id.gvk.kind + "|" + id.ns + "|" + id.name;
}

bool InScope(const Inventory& inventory, std::string_view ns) {
  return ns.empty() || ns == inventory.parent_namespace ||
         inventory.additional_namespaces.count(std::string(ns)) > 0;
}

bool HasOwnerReferences(const Node* live) {
  const Node* refs = live->GetPath({"metadata", "ownerReferences"});
  return refs != nullptr && refs->IsSeq() && !refs->items().empty();
}

}  // namespace

kube::ApiResult<std::vector<PruneCandidate>> FindPruneCandidates(kube::Client& client,
                                                                 const Inventory& inventory,
                                                                 const ResourceSet& keep,
                                                                 Arena& arena) {
  std::unordered_set<std::string> kept;
  for (const Resource& r : keep) kept.insert(GroupKindNamespaceName(r.Id()));

  ResourceSet found;  // live members to delete, as a set so they can be planned
  std::vector<PruneCandidate> unordered;
  kube::ListOptions options;
  options.label_selector = std::string(kApplySetPartOfLabel) + "=" + inventory.id;
  for (const std::string& group_kind : inventory.group_kinds) {
    auto [group, kind] = SplitGroupKind(group_kind);
    auto version = ServedVersion(client, group, kind);
    if (!version.ok()) return version.error();
    if (version->empty()) continue;  // the kind is gone, and its objects with it
    auto page = client.ListAll(Gvk{group, *version, kind}, "", options, arena);
    if (!page.ok()) {
      if (kube::IsNotFound(page.error())) continue;
      return page.error();
    }
    for (Node* item : page->items) {
      Resource r;
      r.root = item;
      ResId id = r.Id();
      if (kept.count(GroupKindNamespaceName(id)) || !InScope(inventory, id.ns) ||
          HasOwnerReferences(item)) {
        continue;
      }
      found.AddUnchecked(std::move(r));
      unordered.push_back(PruneCandidate{std::move(id), item});
    }
  }
  // Live objects carry no wave annotation problems worth failing a prune
  // over; fall back to kind order when one is malformed.
  std::vector<PruneCandidate> ordered;
  auto plan = PlanApply(found);
  if (plan.ok()) {
    for (auto it = plan->steps.rbegin(); it != plan->steps.rend(); ++it) {
      ordered.push_back(unordered[it->index]);
    }
  } else {
    ordered = std::move(unordered);
    std::stable_sort(ordered.begin(), ordered.end(), [](const auto& a, const auto& b) {
      return KindRank(a.id.gvk.group, a.id.gvk.kind) > KindRank(b.id.gvk.group, b.id.gvk.kind);
    });
  }
  return ordered;
}

kube::ApiStatus DeleteCandidate(kube::Client& client, const PruneCandidate& candidate,
                                Arena& arena) {
  kube::DeleteOptions options;
  options.propagation_policy = "Background";
  const Node* uid = candidate.live->GetPath({"metadata", "uid"});
  if (uid != nullptr) options.precondition_uid = std::string(uid->scalar());
  auto deleted = client.Delete(candidate.id, options, arena);
  if (!deleted.ok() && !kube::IsNotFound(deleted.error())) return deleted.error();
  return kube::ApiStatus();
}

}  // namespace skiff::sync
