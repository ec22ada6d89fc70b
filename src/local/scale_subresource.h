// The /scale subresource of workloads (autoscaling/v1 Scale): a view of the
// parent's spec.replicas, status.replicas and selector, through which
// `kubectl scale` changes the replica count.
#pragma once

#include <optional>
#include <string>

#include "local/api_catalog.h"
#include "model/node.h"

namespace skiff::local {

// True for the kinds that serve /scale: Deployments, ReplicaSets,
// StatefulSets and ReplicationControllers.
bool HasScaleSubresource(const ApiResource& res);

// The discovery entry "<plural>/scale" for `res` (JSON object text).
std::string ScaleDiscoveryEntry(const ApiResource& res);

// The Scale object (JSON text) of `parent`.
std::string ScaleJson(const Node* parent);

// The replica count a written Scale asks for, or nullopt when it has none.
std::optional<long long> ScaleReplicas(const Node* scale);

}  // namespace skiff::local
