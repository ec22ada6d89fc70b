// The write path every verb and the background controllers share: server
// metadata on create, optimistic-concurrency-safe replacement on update, and
// deletion that honours finalizers. Also the side effects particular kinds
// have (CRDs start or stop being served, namespaces become Terminating).
//
// Callers hold ControlPlane::write_mu and pass objects parsed into `arena`.
// With `dry_run` nothing is stored and no event is recorded, but the
// returned object is what would have been stored.
#pragma once

#include <string>

#include "base/result.h"
#include "local/api_catalog.h"
#include "local/control_plane.h"
#include "local/object_store.h"
#include "model/node.h"

namespace skiff::local {

ObjectKey KeyOf(const ApiResource& res, std::string_view ns, std::string_view name);

// Root of `json` parsed into `arena`, apiVersion set to `res`'s.
Result<Node*> ParseStored(const std::string& json, const ApiResource& res, Arena& arena);
// `json` as read through `res`'s version (apiVersion rewritten if needed).
std::string AsVersion(const std::string& json, const ApiResource& res);

// Stores a new object: uid, creationTimestamp, generation 1, resourceVersion.
Result<std::string> StoreNew(ControlPlane& cp, const ApiResource& res, Node* obj, Arena& arena, bool dry_run);

// Replaces `old` with `updated`: keeps uid, creationTimestamp, namespace and
// deletionTimestamp; bumps generation when the spec changed; keeps old's
// status when `keep_status`. A change-free update stores nothing. An object
// being deleted whose finalizers are now empty is removed.
Result<std::string> StoreUpdate(ControlPlane& cp, const ApiResource& res, const Node* old, Node* updated,
                                bool keep_status, Arena& arena, bool dry_run);

// Deletes `current`, or, when it has finalizers (or is a namespace), marks
// it with deletionTimestamp and leaves the rest to whoever owns them.
Result<std::string> StoreDelete(ControlPlane& cp, const ApiResource& res, Node* current, Arena& arena,
                                bool dry_run);

}  // namespace skiff::local
