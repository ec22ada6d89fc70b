// Pod Security Standards, Restricted profile (policy version v1.32): the
// controls Restricted adds on top of Baseline.
#pragma once

#include "policy/pod_spec.h"

namespace skiff::policy {

// Reports every violation of a Restricted-only control ("pss-restricted/*").
// Callers run CheckPssBaseline as well: Restricted includes Baseline.
void CheckPssRestricted(const PodSpecRef& pod, FindingSink& sink);
// The same with the pod's containers already listed (Containers(pod)).
void CheckPssRestricted(const PodSpecRef& pod, const std::vector<ContainerRef>& cs,
                        FindingSink& sink);

}  // namespace skiff::policy
