// Factories for kustomize's built-in transformers. Each takes the value of
// its kustomization field (a node with source positions), validates it and
// returns a transformer; errors name the file, line and field.
#pragma once

#include "render/transformer.h"

namespace skiff {

Result<TransformerPtr> MakeNamespaceTransformer(const Node* value, RenderContext& ctx);
Result<TransformerPtr> MakeNamePrefixTransformer(const Node* value, RenderContext& ctx);
Result<TransformerPtr> MakeNameSuffixTransformer(const Node* value, RenderContext& ctx);
// One entry of `labels`.
Result<TransformerPtr> MakeLabelsTransformer(const Node* entry, RenderContext& ctx);
Result<TransformerPtr> MakeCommonLabelsTransformer(const Node* value, RenderContext& ctx);
Result<TransformerPtr> MakeCommonAnnotationsTransformer(const Node* value, RenderContext& ctx);
// One entry of `images` (or of the deprecated `imageTags`).
Result<TransformerPtr> MakeImageTransformer(const Node* entry, RenderContext& ctx);
// The whole `replicas` list.
Result<TransformerPtr> MakeReplicasTransformer(const Node* value, RenderContext& ctx);

// Slots for the patch and replacement transformers. Until their
// implementations link, a fallback fails with "<field> is not supported yet".
// The whole `patchesStrategicMerge` list.
Result<TransformerPtr> MakePatchesStrategicMergeTransformer(const Node* value, RenderContext& ctx);
// One entry of `patches`.
Result<TransformerPtr> MakePatchTransformer(const Node* entry, RenderContext& ctx);
// The whole `patchesJson6902` list.
Result<TransformerPtr> MakePatchesJson6902Transformer(const Node* value, RenderContext& ctx);
// The whole `replacements` list.
Result<TransformerPtr> MakeReplacementsTransformer(const Node* value, RenderContext& ctx);

}  // namespace skiff
