#include "render/order.h"

#include <algorithm>
#include <unordered_map>

#include "render/ordered_jobs.h"

namespace skiff {
namespace {

std::string GvkSortText(const Gvk& gvk) {
  std::string s = gvk.group.empty() ? "~G" : gvk.group;
  s += '_';
  s += gvk.version.empty() ? "~V" : gvk.version;
  s += '_';
  s += gvk.kind.empty() ? "~K" : gvk.kind;
  return s;
}

std::string NameSortText(const ResId& id) {
  std::string s = id.ns.empty() ? "~X" : id.ns;
  s += '|';
  s += id.name.empty() ? "~N" : id.name;
  return s;
}

// Precomputed sort key, so the comparison does no tree walks.
struct SortKey {
  int rank;
  std::string gvk;
  std::string name;
  size_t position;
  bool namespace_kind;
  bool core_group;
};

// kustomize's legacy GVK order: by rank, then by GVK text, except that two
// Namespace kinds of which one is in the core group compare in reverse, so
// the core v1 Namespace comes before those of other groups ("~G" sorts last).
bool GvkLess(const SortKey& a, const SortKey& b) {
  if (a.rank != b.rank) return a.rank < b.rank;
  if (a.namespace_kind && b.namespace_kind && (a.core_group || b.core_group)) {
    return a.gvk > b.gvk;
  }
  return a.gvk < b.gvk;
}

Result<std::vector<std::string>> ParseKindList(const Node* value, const std::string& where,
                                               std::string_view field) {
  std::vector<std::string> kinds;
  if (value == nullptr || value->IsNull()) return kinds;
  if (!value->IsSeq()) {
    return MakeError(where + ": sortOptions.legacySortOptions." + std::string(field) +
                     " must be a list of kinds");
  }
  for (const Node* item : value->items()) {
    if (!item->IsString()) {
      return MakeError(where + ": sortOptions.legacySortOptions." + std::string(field) +
                       " must be a list of kinds");
    }
    kinds.emplace_back(item->scalar());
  }
  return kinds;
}

}  // namespace

SortOptions SortOptions::Legacy() {
  SortOptions o;
  o.order_first = {"Namespace", "ResourceQuota", "StorageClass", "CustomResourceDefinition",
                   "ServiceAccount", "PodSecurityPolicy", "Role", "ClusterRole", "RoleBinding",
                   "ClusterRoleBinding", "ConfigMap", "Secret", "Endpoints", "Service",
                   "LimitRange", "PriorityClass", "PersistentVolume", "PersistentVolumeClaim",
                   "Deployment", "StatefulSet", "CronJob", "PodDisruptionBudget"};
  o.order_last = {"MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"};
  return o;
}

Result<SortOptions> ParseSortOptions(const Node* value, const std::string& where) {
  if (value == nullptr) return SortOptions::Legacy();
  if (!value->IsMap()) return MakeError(where + ": sortOptions must be a map");
  const Node* order = value->Get("order");
  const Node* legacy = value->Get("legacySortOptions");
  for (const MapEntry& e : value->entries()) {
    if (e.key != "order" && e.key != "legacySortOptions") {
      return MakeError(where + ": invalid Kustomization: unknown field \"sortOptions." +
                       std::string(e.key) + "\"");
    }
  }
  std::string_view order_text = order != nullptr ? order->scalar() : std::string_view();
  if (order == nullptr || !order->IsString() ||
      (order_text != "legacy" && order_text != "fifo")) {
    return MakeError(where + ": the field 'sortOptions.order' must be one of [fifo, legacy]");
  }
  if (order_text == "fifo") {
    if (legacy != nullptr && !legacy->IsNull()) {
      return MakeError(where +
                       ": the field 'sortOptions.legacySortOptions' is set but the selected sort "
                       "order is 'fifo', not 'legacy'");
    }
    SortOptions o;
    o.order = SortOptions::Order::kFifo;
    return o;
  }
  if (legacy == nullptr || legacy->IsNull()) return SortOptions::Legacy();
  if (!legacy->IsMap()) return MakeError(where + ": sortOptions.legacySortOptions must be a map");
  SortOptions o;
  for (const MapEntry& e : legacy->entries()) {
    if (e.key != "orderFirst" && e.key != "orderLast") {
      return MakeError(where + ": invalid Kustomization: unknown field \"sortOptions." +
                       "legacySortOptions." + std::string(e.key) + "\"");
    }
  }
  SKIFF_ASSIGN_OR_RETURN(o.order_first, ParseKindList(legacy->Get("orderFirst"), where,
                                                      "orderFirst"));
  SKIFF_ASSIGN_OR_RETURN(o.order_last, ParseKindList(legacy->Get("orderLast"), where,
                                                     "orderLast"));
  return o;
}

void SortResources(ResourceSet& set, const SortOptions& options) {
  if (options.order == SortOptions::Order::kFifo || set.size() < 2) return;
  // Kinds first get negative ranks, kinds last positive ones, the rest 0;
  // a kind in both lists is ranked by orderLast, as kustomize does.
  std::unordered_map<std::string_view, int> rank;
  int first_count = static_cast<int>(options.order_first.size());
  for (int i = 0; i < first_count; ++i) rank[options.order_first[i]] = i - first_count;
  for (size_t i = 0; i < options.order_last.size(); ++i) {
    rank[options.order_last[i]] = static_cast<int>(i) + 1;
  }
  // Each key reads only its own object: worked out on all threads.
  std::vector<SortKey> keys(set.size());
  Status made = ParallelChunks(set.size(), 256, RenderThreads(),
                               [&](size_t begin, size_t end) -> Status {
    for (size_t i = begin; i < end; ++i) {
      ResId id = set[i].Id();
      auto it = rank.find(id.gvk.kind);
      keys[i] = SortKey{it == rank.end() ? 0 : it->second, GvkSortText(id.gvk), NameSortText(id),
                        i, id.gvk.kind == "Namespace", id.gvk.group.empty()};
    }
    return Status::Ok();
  });
  (void)made;  // cannot fail
  std::stable_sort(keys.begin(), keys.end(), [](const SortKey& a, const SortKey& b) {
    if (a.gvk != b.gvk) return GvkLess(a, b);
    return a.name < b.name;
  });
  std::vector<Resource> sorted;
  sorted.reserve(set.size());
  for (const SortKey& k : keys) sorted.push_back(std::move(set[k.position]));
  set.items() = std::move(sorted);
  set.Reindex();
}

}  // namespace skiff
