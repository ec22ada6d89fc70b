// Converges a cluster to a rendered set: validate everything first
// (server-side dry-run), then server-side apply in plan order, record the
// set's members in its ApplySet inventory, and optionally prune what the set
// no longer has.
//
// Safety rules it keeps:
//  - a set with an invalid object changes nothing;
//  - an existing object skiff does not own (not in this inventory, or no
//    `skiff` field manager) is reported as a conflict, never taken over;
//  - prune runs only after every apply succeeded, and never for an empty
//    render unless explicitly allowed;
//  - an object the dry-run shows unchanged is not written, so a re-apply of
//    the same set writes nothing.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "base/result.h"
#include "kube/client.h"
#include "model/resource_set.h"

namespace skiff::sync {

inline constexpr std::string_view kFieldManager = "skiff";

struct ApplyRequest {
  std::string app;                                   // inventory name: skiff-<app>
  std::string inventory_namespace = "skiff-system";
  std::string tooling_version = "0.0.0";             // recorded as skiff/<version>
  bool prune = false;
  bool allow_empty = false;  // prune even when the render is empty
  bool dry_run = false;      // validate and report, write nothing
  std::chrono::milliseconds crd_timeout{60000};  // wait for a CRD to be Established
};

enum class ObjectOutcome { kCreated, kConfigured, kUnchanged, kPruned, kFailed };
std::string_view OutcomeName(ObjectOutcome outcome);

// What happened to one object. `origin` is the render's file:line ("" for
// pruned objects, which have none).
struct ObjectReport {
  ResId id;
  ObjectOutcome outcome = ObjectOutcome::kFailed;
  std::string origin;
  std::string message;  // why it failed, or a note ("validated after its CRD")
};

struct ApplyReport {
  std::string applyset_id;
  std::string inventory;  // "Secret skiff-system/skiff-app"
  std::vector<ObjectReport> objects;  // in the order things happened
  std::vector<std::string> notes;     // run-level remarks
  bool validation_failed = false;     // nothing was written
  bool prune_skipped = false;         // prune requested but not run (failures)
  int writes = 0;                     // create/update/delete requests sent (dry-run: 0)
  // Ids of the applied objects (not failed, not pruned), for waiting on health.
  std::vector<ResId> applied;

  bool ok() const;
  int Count(ObjectOutcome outcome) const;
};

// Runs the whole apply. The Result is an error only when the run could not
// start or the cluster could not be read (nothing or a consistent part was
// written); per-object failures are in the report.
Result<ApplyReport> ApplyResources(kube::Client& client, ResourceSet& set, Arena& arena,
                                   const ApplyRequest& request);

}  // namespace skiff::sync
