// Pod Security Standards, Baseline profile (policy version v1.32): every
// control, checked on a pod spec and its containers.
#pragma once

#include "policy/pod_spec.h"

namespace skiff::policy {

// Reports every Baseline violation of `pod` through `sink` (rule ids
// "pss-baseline/<control>", severity error).
void CheckPssBaseline(const PodSpecRef& pod, FindingSink& sink);

}  // namespace skiff::policy
