// What applying a rendered set would change in a cluster, object by object,
// as unified diffs between the live objects and what the API server says it
// would store (a server-side apply dry-run), plus the objects that would be
// created and, for a set with an inventory, pruned.
//
// Both sides are compared without the fields every write changes by itself
// (managedFields, resourceVersion, generation, uid, creationTimestamp) and
// without status; Secret values are masked on both sides and in errors.
#pragma once

#include <string>
#include <vector>

#include "base/result.h"
#include "kube/client.h"
#include "model/resource_set.h"

namespace skiff::sync {

struct DiffOptions {
  std::string field_manager = "skiff";
  // The inventory whose members would be pruned: Secret
  // `inventory_namespace/skiff-<app>`. Empty app: no prune preview.
  std::string app;
  std::string inventory_namespace = "skiff-system";
  bool color = false;  // ANSI colours in the diff text
};

enum class DiffAction { kUnchanged, kChanged, kCreated, kPruned, kFailed };
std::string_view DiffActionName(DiffAction action);  // "unchanged", "changed", ...

// One object's verdict. `diff` is the unified diff ("" when unchanged or
// failed); `error` says why the object could not be compared.
struct ObjectDiff {
  ResId id;
  DiffAction action = DiffAction::kUnchanged;
  std::string origin;  // file:line in the render; "" for pruned objects
  std::string diff;
  std::string error;
};

struct DiffReport {
  std::vector<ObjectDiff> objects;  // render order, then pruned objects
  bool HasChanges() const;
  bool HasFailures() const;
};

// "Deployment/shop/web", or "Namespace/shop" for cluster-scoped objects: the
// path after "live/" and "desired/" in the diff headers.
std::string DiffPath(const ResId& id);

// Removes the fields no apply controls (see above) from a live object.
void DropNoise(Node* object);

// Compares `desired` with the cluster. An error only when the cluster cannot
// be reached or the inventory cannot be read; per-object failures are in the
// report.
Result<DiffReport> DiffAgainstCluster(kube::Client& client, const ResourceSet& desired,
                                      const DiffOptions& options);

}  // namespace skiff::sync
