// Tenant boundaries checked object by object on a rendered set: each object is
// judged by its own namespace, kind, images and routes, never by what the
// kustomization that produced it claims.
#pragma once

#include <string_view>
#include <vector>

#include "model/resource_set.h"
#include "policy/finding.h"
#include "policy/project.h"

namespace skiff::policy {

// Rule ids of the findings CheckTenancy reports (all error severity).
inline constexpr std::string_view kRuleTenancyNamespace = "tenancy/namespace";
inline constexpr std::string_view kRuleTenancyClusterKind = "tenancy/cluster-kind";
inline constexpr std::string_view kRuleTenancyDeniedKind = "tenancy/denied-kind";
inline constexpr std::string_view kRuleTenancyRegistry = "tenancy/registry";
inline constexpr std::string_view kRuleTenancySourceRepo = "tenancy/source-repo";
inline constexpr std::string_view kRuleTenancyIstioGateway = "tenancy/istio-gateway";
inline constexpr std::string_view kRuleTenancyIstioBinding = "tenancy/istio-gateway-binding";
inline constexpr std::string_view kRuleTenancyIstioHost = "tenancy/istio-host";
inline constexpr std::string_view kRuleTenancyIstioExportTo = "tenancy/istio-export-to";

// Checks every object of `tenant_objects` (a tenant's render) against `p`:
//  - namespaced objects must carry a namespace the project allows;
//  - cluster-scoped kinds must be whitelisted (Namespace included);
//  - blacklisted namespaced kinds are refused;
//  - every container image (containers, initContainers, ephemeralContainers,
//    at any depth, so custom pod-bearing kinds too) must parse and come from
//    an allowed registry;
//  - `source_repo`, when not empty, must be allowed;
//  - Istio: no Gateways; VirtualService gateways, hosts and exportTo must stay
//    within the project.
// Findings come in object order; one object may have several.
std::vector<Finding> CheckTenancy(const Project& p, const ResourceSet& tenant_objects,
                                  std::string_view source_repo);

}  // namespace skiff::policy
