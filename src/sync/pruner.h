// Prune: deletes the members of an applied set that its new render no longer
// has. Only objects labelled part-of the set's id, of the group-kinds and in
// the namespaces its inventory records, are ever considered; objects with
// owner references are left to their owners. Deletion runs in reverse apply
// order (webhooks first, namespaces and CRDs last).
#pragma once

#include <vector>

#include "kube/client.h"
#include "model/resource_set.h"
#include "sync/inventory.h"

namespace skiff::sync {

// A member found in the cluster that the new render lacks.
struct PruneCandidate {
  ResId id;
  Node* live = nullptr;
};

// Finds the candidates, already in deletion order. `keep` is the new render.
kube::ApiResult<std::vector<PruneCandidate>> FindPruneCandidates(kube::Client& client,
                                                                 const Inventory& inventory,
                                                                 const ResourceSet& keep,
                                                                 Arena& arena);

// Deletes one candidate (background propagation, guarded by its uid so an
// object recreated meanwhile by someone else survives). Already gone is fine.
kube::ApiStatus DeleteCandidate(kube::Client& client, const PruneCandidate& candidate,
                                Arena& arena);

}  // namespace skiff::sync
