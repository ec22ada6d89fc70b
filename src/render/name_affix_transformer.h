// The `namePrefix` and `nameSuffix` fields.
#pragma once

#include <string>
#include <vector>

#include "render/transformer.h"

namespace skiff {

// Prepends or appends a fixed text to the name fields its specs select
// (metadata.name by default). Selection is on each object's original
// identity; CustomResourceDefinitions and Namespaces of any group and
// apiregistration.k8s.io APIServices are never renamed. An object whose
// metadata.name changes gets its prior identity pushed onto previous_ids and
// the affix recorded in name_prefixes / name_suffixes.
class NameAffixTransformer : public Transformer {
 public:
  enum class Position : uint8_t { kPrefix, kSuffix };

  NameAffixTransformer(Position position, std::string affix, std::vector<FieldSpec> specs)
      : position_(position), affix_(std::move(affix)), specs_(std::move(specs)) {}

  Status Apply(ResourceSet& set, RenderContext& ctx) override;

  // Whether kustomize leaves objects originally of `gvk` alone.
  static bool IsExempt(const Gvk& gvk);

 private:
  Status ApplyOne(Resource& r, Arena& arena) const;

  Position position_;
  std::string affix_;
  std::vector<FieldSpec> specs_;
};

}  // namespace skiff
