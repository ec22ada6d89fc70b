// Platform rules: the operational guard rails a platform team expects of every
// workload and object (resources, image pinning, probes, network isolation,
// RBAC hygiene, ...). Rule ids are "platform/<name>", warnings by default.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "model/resource_set.h"
#include "policy/finding.h"
#include "policy/pod_spec.h"

namespace skiff::policy {

// Settings the rules read from the policy file.
struct PlatformSettings {
  // Registry prefixes images may come from; empty disables platform/image-registry.
  std::vector<std::string> allowed_registries;
  std::vector<std::string> required_labels = {"app.kubernetes.io/name"};
};

// Facts about the whole set that per-object rules look up, gathered in one
// pass so checking stays linear in the number of objects.
struct SetIndex {
  // "namespace/name" of ServiceAccounts that set automountServiceAccountToken: false.
  std::set<std::string> accounts_without_token;
};
SetIndex IndexSet(const ResourceSet& set);

// Per-workload rules on one pod-bearing object.
void CheckWorkloadRules(const Resource& r, const PodSpecRef& pod, const SetIndex& index,
                        const PlatformSettings& settings, FindingSink& sink);
// The same with the pod's containers already listed (Containers(pod)).
void CheckWorkloadRules(const Resource& r, const PodSpecRef& pod,
                        const std::vector<ContainerRef>& cs, const SetIndex& index,
                        const PlatformSettings& settings, FindingSink& sink);

// Rules that look at one object on its own but are not about pods: default
// namespace, Service exposure, deprecated APIs, RBAC.
void CheckObjectRules(const Resource& r, bool cluster_scoped, FindingSink& sink);

// Rules over the whole set: NetworkPolicy coverage per namespace and
// PodDisruptionBudgets for multi-replica workloads.
void CheckSetRules(const ResourceSet& set, std::vector<Finding>& out);

}  // namespace skiff::policy
