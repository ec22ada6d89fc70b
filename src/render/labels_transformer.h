// The `labels`, `commonLabels` and `commonAnnotations` fields: key/value
// pairs written into the maps that field specs point at.
#pragma once

#include <string>
#include <vector>

#include "render/transformer.h"
#include "render/transformer_args.h"

namespace skiff {

// Sets every pair in each map its specs reach. A spec with `create` makes a
// missing (or null) map; without it a missing or null map is left alone. A
// value that is not a map is an error naming the object and field.
class MapEntriesTransformer : public Transformer {
 public:
  MapEntriesTransformer(StringPairs pairs, std::vector<FieldSpec> specs)
      : pairs_(std::move(pairs)), owned_(std::move(specs)), specs_(&owned_) {}
  // Acts on a table of the render's configuration, which outlives the
  // transformer (a table has dozens of specs: copied for every kustomization
  // that sets labels, it cost more than the labelling).
  MapEntriesTransformer(StringPairs pairs, const std::vector<FieldSpec>* table)
      : pairs_(std::move(pairs)), specs_(table) {}
  MapEntriesTransformer(const MapEntriesTransformer&) = delete;
  MapEntriesTransformer& operator=(const MapEntriesTransformer&) = delete;

  Status Apply(ResourceSet& set, RenderContext& ctx) override;

 private:
  Status ApplyOne(Resource& r, Arena& arena) const;

  StringPairs pairs_;
  std::vector<FieldSpec> owned_;
  const std::vector<FieldSpec>* specs_;
};

// The field specs one `labels` entry acts on: with includeSelectors the whole
// commonLabels table; else metadata/labels, plus the template table with
// includeTemplates; `fields` merged in first either way.
Result<std::vector<FieldSpec>> LabelEntrySpecs(std::vector<FieldSpec> fields,
                                               bool include_selectors, bool include_templates,
                                               const TransformerConfig& config);

}  // namespace skiff
