// The defaults the API server gives workload specs that clients rely on
// when they read them back: `kubectl rollout status` refuses StatefulSets
// and DaemonSets whose spec.updateStrategy.type is not RollingUpdate, and
// the real server fills that in when it is absent. Only those fields are
// defaulted; everything else is stored as sent.
#pragma once

#include "local/api_catalog.h"
#include "model/node.h"

namespace skiff::local {

// Fills in absent updateStrategy fields of apps StatefulSets and DaemonSets
// (no-op for other kinds and for strategies the client set).
void DefaultWorkloadSpec(const ApiResource& res, Node* object, Arena& arena);

}  // namespace skiff::local
