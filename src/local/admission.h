// What every write of an object passes through after decoding and before
// storage, like the API server's admission chain: defaulting of built-in
// workload specs (workload_defaults.h), then pruning and schema validation
// of custom resources (crd_schema_validation.h).
#pragma once

#include <optional>

#include "local/api_catalog.h"
#include "local/control_plane.h"
#include "local/http_types.h"
#include "model/node.h"

namespace skiff::local {

// Mutates `object` (defaults, pruning); the failure response when it may
// not be stored, nullopt when it may.
std::optional<HttpResponse> AdmitObject(const ControlPlane& cp, const ApiResource& res, Node* object, Arena& arena);

}  // namespace skiff::local
