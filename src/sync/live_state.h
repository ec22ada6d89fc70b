// What the cluster holds for the objects of a rendered set, fetched with one
// list per kind instead of one read per object, and the comparisons the
// applier makes against it (is it ours? would applying change it?).
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "kube/client.h"
#include "model/node.h"
#include "model/resource_set.h"

namespace skiff::sync {

// Live copies of a set's objects. Invariant: `objects` is keyed by the set's
// own ids (apiVersion as rendered), whatever version the server listed.
struct LiveState {
  std::unordered_map<ResId, Node*, ResIdHash> objects;
  // Kinds of the set the server does not serve yet ("Kind.group").
  std::unordered_set<std::string> unserved_kinds;
  // Namespaces that exist in the cluster.
  std::unordered_set<std::string> namespaces;

  Node* Find(const ResId& id) const {
    auto it = objects.find(id);
    return it == objects.end() ? nullptr : it->second;
  }
};

// Lists every kind of `set` once (all namespaces) and keeps the members of
// `set`. A kind the server does not know lands in `unserved_kinds`; any other
// failure is returned.
kube::ApiResult<LiveState> FetchLiveState(kube::Client& client, const ResourceSet& set,
                                          Arena& arena);

// Whether `live` is ours to overwrite: labelled part-of `applyset_id` and,
// when the server tracks field managers, written by `field_manager`.
bool OwnedBy(const Node* live, std::string_view applyset_id, std::string_view field_manager);

// Who else holds `live`, for the conflict message ("the applied set
// applyset-…", "field manager(s) kubectl-create"), or "" when nobody is recorded.
std::string ForeignOwner(const Node* live, std::string_view applyset_id,
                         std::string_view field_manager);

// Equality of two server answers for one object, ignoring what every write
// changes by itself (managedFields, resourceVersion, generation) and status,
// which applying the main resource never writes.
bool SameContent(const Node* a, const Node* b);

std::string_view ResourceVersion(const Node* object);

}  // namespace skiff::sync
