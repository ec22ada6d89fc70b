// configMapGenerator / secretGenerator, the content-hash name suffix and the
// name-reference fix-up that follows renames.
#pragma once

#include "render/transformer.h"

namespace skiff {

// Runs every entry of `config_maps` (configMapGenerator) then `secrets`
// (secretGenerator), either may be nullptr, with `options`
// (generatorOptions, may be nullptr), and combines the results with `set`
// according to each entry's behavior (create / merge / replace).
Status RunGenerators(const Node* config_maps, const Node* secrets, const Node* options,
                     ResourceSet& set, RenderContext& ctx);

// Top level only: appends the content hash to generated objects that need it.
Status ApplyHashSuffixes(ResourceSet& set, RenderContext& ctx);

// Top level only: rewrites references to objects whose names changed
// (prefix/suffix/hash/namespace) using config.name_reference.
Status FixNameReferences(ResourceSet& set, RenderContext& ctx);

}  // namespace skiff
