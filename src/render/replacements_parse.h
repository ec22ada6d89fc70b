// Reading a kustomization's `replacements` list into Replacement values:
// inline entries (unknown fields are errors, as in the kustomization) and
// `path:` entries naming a root-restricted file that holds one replacement or
// a list of them (read leniently, as kustomize does).
#pragma once

#include <vector>

#include "render/replacements_transformer.h"

namespace skiff {

Result<std::vector<Replacement>> ReadReplacements(const Node* value, const RenderContext& ctx);

}  // namespace skiff
