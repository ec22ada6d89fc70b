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
      : pairs_(std::move(pairs)), specs_(std::move(specs)) {}

  Status Apply(ResourceSet& set, RenderContext& ctx) override;

 private:
  Status ApplyOne(Resource& r, Arena& arena) const;

  StringPairs pairs_;
  std::vector<FieldSpec> specs_;
};

// The field specs one `labels` entry acts on: with includeSelectors the whole
// commonLabels table; else metadata/labels, plus the template table with
// includeTemplates; `fields` merged in first either way.
Result<std::vector<FieldSpec>> LabelEntrySpecs(std::vector<FieldSpec> fields,
                                               bool include_selectors, bool include_templates,
                                               const TransformerConfig& config);

}  // namespace skiff
