// A kustomization's `openapi:` field: the schema strategic merge patches
// consult. kustomize keeps one schema for the whole build: the first
// kustomization met (the top one, then bases and components depth first)
// whose `openapi` names a `path` or a `version` chooses it, and later ones are
// ignored. A custom document replaces the built-in Kubernetes tables
// entirely: a kind it does not describe (even Deployment) has no schema, so
// its lists are replaced by a patch instead of merged.
//
// The custom document is a swagger document: `definitions` maps type names
// to schemas; a definition with `x-kubernetes-group-version-kind` is the root
// type of those kinds; `$ref: "#/definitions/NAME"` links types; list fields
// carry `x-kubernetes-patch-strategy`, `x-kubernetes-patch-merge-key` and
// `x-kubernetes-list-map-keys` as in the Kubernetes definitions.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "model/node.h"
#include "model/resource.h"

namespace skiff {

// One schema of a custom document, with its `$ref` kept by name (resolved on
// use, so cycles between definitions cost nothing).
struct OpenApiNode {
  std::map<std::string, OpenApiNode, std::less<>> properties;
  std::unique_ptr<OpenApiNode> additional;  // additionalProperties, as a schema
  std::unique_ptr<OpenApiNode> items;       // items, as a schema
  std::string ref;                          // definition name, "" when none
  bool is_array = false;                    // `type` is exactly ["array"]
  bool strategy_merge = false;              // x-kubernetes-patch-strategy has "merge"
  std::vector<std::string> merge_keys;      // list-map keys, else the patch merge key
};

// A parsed custom OpenAPI document. Invariant: every node reachable through
// Resolve() belongs to this object.
class OpenApiSchema {
 public:
  // Parses the document `text` read from `file` (JSON or YAML). An empty
  // document is a valid schema that describes nothing.
  static Result<std::shared_ptr<const OpenApiSchema>> Parse(std::string_view text,
                                                            const std::string& file);

  // The root schema of a kind, or nullptr when the document does not name it.
  const OpenApiNode* ForGvk(const Gvk& gvk) const;

  // The scope the document gives a kind through its `paths`, as kustomize
  // reads it: a GET operation tagged with the kind on a path under
  // namespaces/{namespace} makes it namespaced, on any other path
  // cluster-scoped (unless another path says namespaced); nullopt when no
  // path names the kind.
  std::optional<bool> Namespaced(const Gvk& gvk) const;

  // Follows `node`'s `$ref` chain (bounded, so a cycle of references ends in
  // nullptr); nullptr in, nullptr out.
  const OpenApiNode* Resolve(const OpenApiNode* node) const;

  // The schema of field `key` of an object described by `node` (a property,
  // else additionalProperties), resolved; nullptr when unknown.
  const OpenApiNode* Field(const OpenApiNode* node, std::string_view key) const;

  // The schema of the elements of a list described by `node`, resolved;
  // nullptr unless `node` is an array with items.
  const OpenApiNode* Elements(const OpenApiNode* node) const;

 private:
  void ReadPaths(const Node* paths);

  std::map<std::string, OpenApiNode, std::less<>> definitions_;
  std::map<std::string, std::string, std::less<>> root_by_api_version_kind_;
  std::map<std::string, bool, std::less<>> namespaced_by_api_version_kind_;
};

// The schema in force while a tree is built (see the file comment). An
// invalid custom document makes kustomize fail only once a lookup needs it,
// so the parse error is kept and reported by the first user.
struct SchemaSelection {
  bool chosen = false;
  std::shared_ptr<const OpenApiSchema> custom;  // nullptr: built-in tables
  std::string invalid;                          // why the custom document is unusable

  // Applies one kustomization's `openapi` field (may be null): `document` is
  // the text of its `path` (nullptr when it names none). `first` is true for
  // the top kustomization, whose choice always wins. `where` prefixes errors.
  Status Choose(const Node* openapi, const std::string* document, const std::string& file,
                bool first, const std::string& where);

  // The custom schema for a merge, or the deferred parse error.
  Result<const OpenApiSchema*> ForMerge() const;
};

}  // namespace skiff
