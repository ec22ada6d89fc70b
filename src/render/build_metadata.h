// A kustomization's `buildMetadata`: provenance kustomize can write into the
// output. When the top kustomization lists any option, every object records
// where it came from while the tree is built:
//  - config.kubernetes.io/origin: `path: <file>` for an object read from a
//    file, or `configuredIn: <kustomization file>` plus `configuredBy` (the
//    builtin generator kind) for a generated one;
//  - alpha.config.kubernetes.io/transformations: one entry per built-in
//    transformer that ran on a set holding the object (whether or not it
//    changed it), in the order they ran.
// Paths are relative to the top kustomization's directory, joined and
// cleaned the way Go's filepath.Join does (`../base/deploy.yaml`). At the
// end, `originAnnotations` / `transformerAnnotations` keep those annotations
// (otherwise they are removed, even when written by hand), and
// `managedByLabel` labels every object app.kubernetes.io/managed-by with
// the kustomize version string of the oracle (`kustomize-(devel)`, what
// kubectl's embedded kustomize prints).
#pragma once

#include <string>
#include <string_view>

#include "model/node.h"
#include "model/resource_set.h"

namespace skiff {

// The options of a top kustomization's `buildMetadata` (may be null). Values
// kustomize does not know are accepted and ignored, as kustomize does.
struct BuildMetadata {
  bool track = false;  // any option listed: record provenance while building
  bool origin_annotations = false;
  bool transformer_annotations = false;
  bool managed_by_label = false;

  static BuildMetadata FromField(const Node* build_metadata);
};

// The label value kustomize writes for managedByLabel.
inline constexpr std::string_view kManagedByValue = "kustomize-(devel)";

// Go's filepath.Join(dir, rel) (cleaned; "" when both are empty).
std::string JoinOriginPath(std::string_view dir, std::string_view rel);

// Records that `r` was read from `path`.
void SetFileOrigin(Arena& arena, Resource& r, std::string_view path);

// Records that `r` was made by the builtin generator `kind` configured in
// the kustomization file `configured_in`.
void SetGeneratorOrigin(Arena& arena, Resource& r, std::string_view configured_in,
                        std::string_view kind);

// Appends the builtin transformer `kind` configured in `configured_in` to
// the transformations annotation of every object of `set`.
void AddTransformation(Arena& arena, ResourceSet& set, std::string_view configured_in,
                       std::string_view kind);

// Labels every object with app.kubernetes.io/managed-by.
void AddManagedByLabel(Arena& arena, ResourceSet& set);

}  // namespace skiff
