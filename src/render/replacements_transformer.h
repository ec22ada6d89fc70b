// kustomize's `replacements`: copy a field of one object (the source) into
// fields of others (the targets). MakeReplacementsTransformer (declared in
// builtin_transformers.h) reads the kustomization's list, inline entries and
// `path:` files alike.
#pragma once

#include <string>
#include <vector>

#include "model/resource.h"
#include "render/field_path.h"
#include "render/patch_target.h"
#include "render/transformer.h"

namespace skiff {

// An object selector compared for equality against every identity an object
// had (current and previous names, namespaces, kinds). Empty parts match any.
struct ReplacementIdSelector {
  std::string group, version, kind, name, ns;

  bool Empty() const;
  bool Selects(const ResId& id) const;
  // kustomize's text for messages: "ConfigMap.[noVer].[noGrp]/name.[noNs]".
  std::string String() const;
};

// `select` or one `reject` entry of a target: identity plus label and
// annotation selectors.
struct ReplacementSelector {
  ReplacementIdSelector id;
  bool has_labels = false, has_annotations = false;
  LabelSelector labels, annotations;

  bool MatchesLabelsAndAnnotations(const Resource& r) const;
};

// `options` of a source or a target.
struct ReplacementOptions {
  std::string delimiter;
  long index = 0;
  bool create = false;
};

struct ReplacementTarget {
  ReplacementSelector select;
  std::vector<ReplacementSelector> reject;
  std::vector<FieldPath> field_paths;  // never empty: defaults to metadata.name
  ReplacementOptions options;
};

// One replacement. `where` names it in messages ("file:line: replacements[2]").
struct Replacement {
  std::string where;
  ReplacementIdSelector source;
  FieldPath source_path;  // defaults to metadata.name
  ReplacementOptions source_options;
  std::vector<ReplacementTarget> targets;
};

// Applies replacements in order; each reads its source after the previous
// ones have been applied.
class ReplacementsTransformer : public Transformer {
 public:
  explicit ReplacementsTransformer(std::vector<Replacement> replacements)
      : replacements_(std::move(replacements)) {}
  Status Apply(ResourceSet& set, RenderContext& ctx) override;

 private:
  std::vector<Replacement> replacements_;
};

}  // namespace skiff
