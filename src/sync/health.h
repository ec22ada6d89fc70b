// Health of a live Kubernetes object: whether it has reached the state its
// spec asks for, is still getting there, or has failed to.
//
// The rules follow what `kubectl rollout status` and common GitOps health
// checks consider per kind; kinds without a rule are judged by their
// status.conditions (Ready) and status.observedGeneration.
#pragma once

#include <string>
#include <string_view>

#include "model/node.h"

namespace skiff::sync {

enum class Health { kHealthy, kProgressing, kDegraded, kMissing };

// The verdict on one object. `reason` says why in a few words when the
// object is not Healthy (and may say why when it is, e.g. "suspended").
struct HealthStatus {
  Health health = Health::kMissing;
  std::string reason;
};

// "Healthy", "Progressing", "Degraded", "Missing".
std::string_view HealthName(Health health);

// Judges a live object as returned by the API server; nullptr -> Missing.
HealthStatus AssessHealth(const Node* live);

}  // namespace skiff::sync
