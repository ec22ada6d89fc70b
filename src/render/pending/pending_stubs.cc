// Fallbacks for render entry points whose implementations have not linked
// yet. They live in their own archive, linked after skiff_render, and are
// weak, so a real definition always wins. Each fails with a message naming
// the feature; delete a fallback once its implementation lands.
#include "render/builtin_transformers.h"
#include "render/generators.h"
#include "render/transformer.h"
#include "yaml/yaml.h"

#define SKIFF_PENDING __attribute__((weak))

namespace skiff {
namespace {

Error NotSupported(std::string_view field, const RenderContext& ctx) {
  return MakeError(ctx.kustomization_file + ": " + std::string(field) + " is not supported yet");
}

}  // namespace

SKIFF_PENDING Result<TransformerPtr> MakeNamespaceTransformer(const Node*, RenderContext& ctx) {
  return NotSupported("namespace", ctx);
}
SKIFF_PENDING Result<TransformerPtr> MakeNamePrefixTransformer(const Node*, RenderContext& ctx) {
  return NotSupported("namePrefix", ctx);
}
SKIFF_PENDING Result<TransformerPtr> MakeNameSuffixTransformer(const Node*, RenderContext& ctx) {
  return NotSupported("nameSuffix", ctx);
}
SKIFF_PENDING Result<TransformerPtr> MakeLabelsTransformer(const Node*, RenderContext& ctx) {
  return NotSupported("labels", ctx);
}
SKIFF_PENDING Result<TransformerPtr> MakeCommonLabelsTransformer(const Node*, RenderContext& ctx) {
  return NotSupported("commonLabels", ctx);
}
SKIFF_PENDING Result<TransformerPtr> MakeCommonAnnotationsTransformer(const Node*,
                                                                      RenderContext& ctx) {
  return NotSupported("commonAnnotations", ctx);
}
SKIFF_PENDING Result<TransformerPtr> MakeImageTransformer(const Node*, RenderContext& ctx) {
  return NotSupported("images", ctx);
}
SKIFF_PENDING Result<TransformerPtr> MakeReplicasTransformer(const Node*, RenderContext& ctx) {
  return NotSupported("replicas", ctx);
}
SKIFF_PENDING Result<TransformerPtr> MakePatchesStrategicMergeTransformer(const Node*,
                                                                          RenderContext& ctx) {
  return NotSupported("patchesStrategicMerge", ctx);
}
SKIFF_PENDING Result<TransformerPtr> MakePatchTransformer(const Node*, RenderContext& ctx) {
  return NotSupported("patches", ctx);
}
SKIFF_PENDING Result<TransformerPtr> MakePatchesJson6902Transformer(const Node*,
                                                                    RenderContext& ctx) {
  return NotSupported("patchesJson6902", ctx);
}

SKIFF_PENDING const TransformerConfig& TransformerConfig::Builtin() {
  static const TransformerConfig empty;
  return empty;
}

SKIFF_PENDING Status RunGenerators(const Node*, const Node*, const Node*, ResourceSet&,
                                   RenderContext& ctx) {
  return NotSupported("configMapGenerator/secretGenerator", ctx);
}
SKIFF_PENDING Status ApplyHashSuffixes(ResourceSet&, RenderContext& ctx) {
  return NotSupported("the generator hash suffix", ctx);
}
SKIFF_PENDING Status FixNameReferences(ResourceSet&, RenderContext& ctx) {
  return NotSupported("name references", ctx);
}

namespace {

// Flow-style text of a node; stands in until the real emitter links.
void EmitFlow(const Node* n, std::string& out) {
  if (n->IsMap()) {
    out += '{';
    for (size_t i = 0; i < n->entries().size(); ++i) {
      if (i > 0) out += ", ";
      out += '"';
      out += n->entries()[i].key;
      out += "\": ";
      EmitFlow(n->entries()[i].value, out);
    }
    out += '}';
  } else if (n->IsSeq()) {
    out += '[';
    for (size_t i = 0; i < n->items().size(); ++i) {
      if (i > 0) out += ", ";
      EmitFlow(n->items()[i], out);
    }
    out += ']';
  } else if (n->IsString()) {
    out += '"';
    out += n->scalar();
    out += '"';
  } else {
    out += n->scalar();
  }
}

}  // namespace

SKIFF_PENDING void EmitYamlStream(const std::vector<const Node*>& docs, std::string& out) {
  for (size_t i = 0; i < docs.size(); ++i) {
    if (i > 0) out += "---\n";
    EmitFlow(docs[i], out);
    out += '\n';
  }
}

}  // namespace skiff
