// The `commonAnnotations` field: the same writer as labels, over the
// annotation field specs (object metadata and workload pod templates).
#include "render/builtin_transformers.h"
#include "render/labels_transformer.h"

namespace skiff {

Result<TransformerPtr> MakeCommonAnnotationsTransformer(const Node* value, RenderContext& ctx) {
  SKIFF_ASSIGN_OR_RETURN(StringPairs pairs, ReadStringMapArg(value, "commonAnnotations", ctx));
  return TransformerPtr(
      new MapEntriesTransformer(std::move(pairs), &ctx.config.common_annotations));
}

}  // namespace skiff
