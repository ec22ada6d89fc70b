// Server-side apply and field ownership for writes: merging an applied
// configuration into the live object, removing fields an applier stopped
// applying, detecting conflicts with other managers, and recording which
// manager owns which fields (metadata.managedFields) for every write.
//
// Merge rules come from the kind's OpenAPI schema: maps merge; lists typed
// x-kubernetes-list-type map (or patch strategy merge with a merge key)
// merge per key; sets (list-type set, or merge without a key) merge per
// value; every other list is atomic and replaced whole. An invalid schema
// (custom resources) merges maps and replaces lists.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "local/http_types.h"
#include "local/managed_fields.h"
#include "local/patch_schema.h"
#include "model/node.h"

namespace skiff::local {

// What a write needs to know besides the objects.
struct OwnershipContext {
  SchemaType schema;         // the kind's definition; invalid: maps merge, lists atomic
  std::string api_version;   // "apps/v1": the version the request used
  std::string subresource;   // "" or "status"
  bool has_status = false;   // main-resource writes do not own status
  std::string now;           // RFC 3339 time for entries that change
};

// A field another manager owns with a different value than applied.
struct FieldConflict {
  std::string owner;  // ManagerEntry::Describe()
  FieldPath path;
};

struct ApplyOutcome {
  Node* object = nullptr;  // the merged object, metadata.managedFields set
  std::vector<FieldConflict> conflicts;  // non-empty: the apply was refused
};

// Applies `config` (the request body, identity already checked) as
// `manager` to `live` (nullptr when the object does not exist yet). With
// `force`, conflicting fields change owner instead of failing. Fails on
// configurations whose associative lists cannot be keyed.
Result<ApplyOutcome> ServerSideApply(const Node* live, const Node* config, std::string_view manager, bool force,
                                     const OwnershipContext& ctx, Arena& arena);

// Records a non-apply write by `manager` on `updated` (its final form),
// replacing its metadata.managedFields: the manager takes the fields it
// added or changed from everyone else. `live` is nullptr for a create.
// managedFields sent as [] or [{}] strip all entries instead.
void RecordUpdate(const Node* live, Node* updated, std::string_view manager, const OwnershipContext& ctx,
                  Arena& arena);

// The manager name of a non-apply write: fieldManager, else the user
// agent's product token ("kubectl" for "kubectl/v1.32 (linux/amd64)").
std::string UpdateManagerName(std::string_view field_manager, std::string_view user_agent);

// The 409 the API server answers for apply conflicts.
HttpResponse ApplyConflictResponse(const std::vector<FieldConflict>& conflicts);

// The set of fields `obj` specifies, as an applier of it would own them
// (ignoring server-owned metadata).
FieldSet AppliedFieldSet(const Node* obj, const OwnershipContext& ctx);

}  // namespace skiff::local
