// The Project kind (skiff.dev/v1alpha1): what one tenant may deploy, where,
// from which repositories and images. The schema is documented in
// docs/tenancy.md; this file is its in-memory form and the parser for it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "model/resource.h"
#include "model/resource_set.h"

namespace skiff::policy {

inline constexpr std::string_view kProjectGroup = "skiff.dev";
inline constexpr std::string_view kProjectVersion = "v1alpha1";
inline constexpr std::string_view kProjectKind = "Project";

// A group/kind pattern of clusterResourceWhitelist / namespaceResourceBlacklist.
// Both parts are globs ("*" any run, "?" one character); "" is the core group.
struct GroupKind {
  std::string group;
  std::string kind;
};

// Which Istio ingress a tenant may use.
struct IstioPolicy {
  std::vector<std::string> gateways;  // "namespace/name" globs a VirtualService may bind
  std::vector<std::string> hosts;     // host globs a VirtualService may claim
};

// One tenant's boundaries. Pattern lists (sourceRepos, destinations) hold
// globs; an entry starting with "!" denies. A value is allowed when it
// matches at least one positive entry and no negated one (the order of
// entries does not matter, and an empty list allows nothing).
//
// Invariant: every pattern was validated by ParseProject.
struct Project {
  std::string name;
  std::string ns;  // metadata.namespace; empty when cluster-scoped
  Origin origin;

  std::vector<std::string> source_repos;
  std::vector<std::string> destinations;  // namespace globs
  std::vector<GroupKind> cluster_resource_whitelist;  // empty: no cluster-scoped kind
  std::vector<GroupKind> namespace_resource_blacklist;
  std::vector<std::string> allowed_registries;  // prefixes, see image_ref.h
  IstioPolicy istio;

  // Repository URLs compare without scheme case, trailing "/" or ".git".
  bool SourceRepoAllowed(std::string_view repo_url) const;
  // Reserved namespaces (ReservedNamespace) are allowed only by an exact,
  // wildcard-free entry: "*" never hands a tenant kube-system.
  bool DestinationAllowed(std::string_view ns) const;
  bool ClusterKindAllowed(std::string_view group, std::string_view kind) const;
  bool NamespacedKindDenied(std::string_view group, std::string_view kind) const;
  // `gateway` is "namespace/name".
  bool GatewayAllowed(std::string_view gateway) const;
  bool HostAllowed(std::string_view host) const;
};

// Namespaces of the platform and of skiff itself, which a wildcard
// destination never grants: skiff-system, kube-system, kube-public,
// kube-node-lease.
bool ReservedNamespace(std::string_view ns);

// Glob match over the whole text: "*" matches any run of characters
// (including "/" and "."), "?" exactly one; everything else is literal.
bool GlobMatch(std::string_view pattern, std::string_view text);

// Allow/deny over a pattern list as described on Project.
bool MatchesPatternList(const std::vector<std::string>& patterns, std::string_view value);

// Parses one Project object. Errors read "file:line: field: problem"; unknown
// fields, wrong types, empty or malformed patterns are errors.
Result<Project> ParseProject(const Resource& r);

// Every Project (skiff.dev, kind Project) in `set`, parsed. Fails on the first
// invalid one, on a skiff.dev Project of another version, and on two Projects
// with the same name.
Result<std::vector<Project>> LoadProjects(const ResourceSet& set);

// The project named `name` in `projects`, or nullptr.
const Project* FindProject(const std::vector<Project>& projects, std::string_view name);

}  // namespace skiff::policy
