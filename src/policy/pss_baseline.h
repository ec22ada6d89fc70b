// Pod Security Standards, Baseline profile (policy version v1.32): every
// control, checked on a pod spec and its containers.
#pragma once

#include "policy/pod_spec.h"

namespace skiff::policy {

// Reports every Baseline violation of `pod` through `sink` (rule ids
// "pss-baseline/<control>", severity error).
void CheckPssBaseline(const PodSpecRef& pod, FindingSink& sink);
// The same with the pod's containers already listed (Containers(pod)), so the
// rule families share one walk of the pod spec.
void CheckPssBaseline(const PodSpecRef& pod, const std::vector<ContainerRef>& cs,
                      FindingSink& sink);

}  // namespace skiff::policy
