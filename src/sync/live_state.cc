#include "sync/live_state.h"

#include <map>

#include "sync/inventory.h"

namespace skiff::sync {
namespace {

bool IgnoredMetadataKey(std::string_view key) {
  return key == "managedFields" || key == "resourceVersion" || key == "generation";
}

// Maps compared as key sets, skipping the ignored keys.
bool SameMetadata(const Node* a, const Node* b) {
  if (a == nullptr || b == nullptr || !a->IsMap() || !b->IsMap()) return DeepEqual(a, b);
  size_t a_count = 0;
  for (const MapEntry& e : a->entries()) {
    if (IgnoredMetadataKey(e.key)) continue;
    ++a_count;
    const Node* other = b->Get(e.key);
    if (other == nullptr || !DeepEqual(e.value, other)) return false;
  }
  size_t b_count = 0;
  for (const MapEntry& e : b->entries()) b_count += IgnoredMetadataKey(e.key) ? 0 : 1;
  return a_count == b_count;
}

}  // namespace

std::string_view ResourceVersion(const Node* object) {
  const Node* rv = object ? object->GetPath({"metadata", "resourceVersion"}) : nullptr;
  return rv ? rv->scalar() : std::string_view{};
}

bool SameContent(const Node* a, const Node* b) {
  if (a == nullptr || b == nullptr) return a == b;
  // Status is the controllers' side: an apply to the main resource does not
  // write it, and servers may restamp condition times in a dry-run answer.
  auto counted = [](std::string_view key) { return key != "status"; };
  size_t a_count = 0;
  for (const MapEntry& e : a->entries()) {
    if (!counted(e.key)) continue;
    ++a_count;
    const Node* other = b->Get(e.key);
    if (other == nullptr) return false;
    bool same = e.key == "metadata" ? SameMetadata(e.value, other) : DeepEqual(e.value, other);
    if (!same) return false;
  }
  size_t b_count = 0;
  for (const MapEntry& e : b->entries()) b_count += counted(e.key) ? 1 : 0;
  return a_count == b_count;
}

bool OwnedBy(const Node* live, std::string_view applyset_id, std::string_view field_manager) {
  const Node* labels = live->GetPath({"metadata", "labels"});
  if (labels == nullptr || !labels->IsMap() ||
      labels->GetString(kApplySetPartOfLabel) != applyset_id) {
    return false;
  }
  const Node* managed = live->GetPath({"metadata", "managedFields"});
  if (managed == nullptr || !managed->IsSeq() || managed->items().empty()) return true;
  for (const Node* entry : managed->items()) {
    if (entry->IsMap() && entry->GetString("manager") == field_manager) return true;
  }
  return false;
}

std::string ForeignOwner(const Node* live, std::string_view applyset_id,
                         std::string_view field_manager) {
  const Node* labels = live->GetPath({"metadata", "labels"});
  std::string_view part_of =
      labels && labels->IsMap() ? labels->GetString(kApplySetPartOfLabel) : std::string_view{};
  if (!part_of.empty() && part_of != applyset_id) return "the applied set " + std::string(part_of);
  const Node* managed = live->GetPath({"metadata", "managedFields"});
  std::string managers;
  if (managed != nullptr && managed->IsSeq()) {
    for (const Node* entry : managed->items()) {
      std::string_view m = entry->IsMap() ? entry->GetString("manager") : std::string_view{};
      if (m.empty() || m == field_manager) continue;
      if (!managers.empty()) managers += ", ";
      managers += m;
    }
  }
  return managers.empty() ? "" : "field manager(s) " + managers;
}

kube::ApiResult<LiveState> FetchLiveState(kube::Client& client, const ResourceSet& set,
                                          Arena& arena) {
  LiveState state;
  // One list per group/kind; the ids of the set's objects of that kind.
  std::map<std::pair<std::string, std::string>, std::vector<ResId>> by_kind;
  for (const Resource& r : set) {
    ResId id = r.Id();
    by_kind[{id.gvk.group, id.gvk.kind}].push_back(std::move(id));
  }
  by_kind[{"", "Namespace"}];  // always needed: which namespaces exist
  for (const auto& [group_kind, ids] : by_kind) {
    Gvk gvk = ids.empty() ? Gvk{"", "v1", "Namespace"} : ids.front().gvk;
    auto page = client.ListAll(gvk, "", kube::ListOptions{}, arena);
    if (!page.ok()) {
      if (kube::IsNotFound(page.error())) {
        state.unserved_kinds.insert(GroupKindString(gvk));
        continue;
      }
      return page.error();
    }
    std::unordered_map<std::string, Node*> by_name;  // "ns/name"
    for (Node* item : page->items) {
      const Node* meta = item->Get("metadata");
      if (meta == nullptr) continue;
      std::string key = std::string(meta->GetString("namespace")) + "/" +
                        std::string(meta->GetString("name"));
      if (group_kind.second == "Namespace" && group_kind.first.empty()) {
        state.namespaces.emplace(meta->GetString("name"));
      }
      by_name.emplace(std::move(key), item);
    }
    for (const ResId& id : ids) {
      auto it = by_name.find(id.ns + "/" + id.name);
      if (it != by_name.end()) state.objects.emplace(id, it->second);
    }
  }
  return state;
}

}  // namespace skiff::sync
