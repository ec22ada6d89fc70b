// The `namespace` field: moves every namespaced object into one namespace,
// with kustomize v5.5's special cases.
#pragma once

#include <string>
#include <vector>

#include "render/transformer.h"

namespace skiff {

// Sets metadata.namespace on every object the schema does not know as
// cluster-scoped (unknown kinds count as namespaced), renames v1 Namespace
// objects, sets the namespace of (Cluster)RoleBinding subjects named
// "default" (whatever their kind) and the remaining field specs
// (APIService service, CRD conversion webhook service). Every object's prior
// identity is pushed onto previous_ids. Two objects ending with one identity
// is an error.
class OpenApiSchema;

class NamespaceTransformer : public Transformer {
 public:
  NamespaceTransformer(std::string name_space, std::vector<FieldSpec> specs)
      : namespace_(std::move(name_space)), specs_(std::move(specs)) {}

  Status Apply(ResourceSet& set, RenderContext& ctx) override;

 private:
  Status ApplyOne(Resource& r, Arena& arena, const OpenApiSchema* custom) const;

  std::string namespace_;
  std::vector<FieldSpec> specs_;
};

}  // namespace skiff
