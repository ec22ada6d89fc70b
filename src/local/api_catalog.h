// The resources this control plane serves: every built-in kind listed in the
// embedded schema's "resources" index (apiVersion, kind, scope; plural
// derived from the kind, /status where the definition has a status) plus the
// kinds CustomResourceDefinitions add at run time.
//
// Invariant: at most one ApiResource per (group, version, plural); objects of
// a (group, plural) share one storage whatever version they are read through.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "model/node.h"

namespace skiff::local {

struct ApiResource {
  std::string group;    // "" for the core group
  std::string version;
  std::string kind;
  std::string plural;
  bool namespaced = true;
  bool has_status = false;  // serves the /status subresource
  bool custom = false;      // defined by a CustomResourceDefinition
  std::vector<std::string> short_names;
  std::vector<std::string> categories;

  std::string ApiVersion() const { return group.empty() ? version : group + "/" + version; }
  // Storage prefix shared by all versions: "group/plural".
  std::string StorageKind() const { return group + "/" + plural; }
};

struct GroupVersions {
  std::string group;
  std::vector<std::string> versions;  // preferred first
};

class ApiCatalog {
 public:
  // Built-in resources from the schema's "resources" index.
  static Result<ApiCatalog> FromOpenApi(const Node* spec);

  const ApiResource* Find(std::string_view group, std::string_view version,
                          std::string_view plural) const;
  const ApiResource* FindKind(std::string_view group, std::string_view version,
                              std::string_view kind) const;
  // Any version of the group/plural (for storage-level questions).
  const ApiResource* FindAnyVersion(std::string_view group, std::string_view plural) const;

  // Adds or replaces (same group/version/plural) a resource.
  void Upsert(ApiResource r);
  // Removes every version of group/plural that is custom.
  void RemoveCustom(std::string_view group, std::string_view plural);

  std::vector<GroupVersions> Groups() const;
  std::vector<const ApiResource*> InGroupVersion(std::string_view group, std::string_view version) const;
  const std::vector<ApiResource>& all() const { return resources_; }

 private:
  std::vector<ApiResource> resources_;
};

// Orders versions as Kubernetes does: GA before beta before alpha, higher
// numbers first within each level.
bool VersionPreferred(std::string_view a, std::string_view b);

}  // namespace skiff::local
