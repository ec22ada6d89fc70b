// The public face of the render module: build a kustomization directory as
// `kustomize build DIR` does and print the result with its bytes.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "model/node.h"
#include "model/resource_set.h"

namespace skiff {

struct RenderOptions {
  // Forces an output order instead of the top kustomization's sortOptions.
  enum class OrderOverride { kNone, kLegacy, kFifo };
  OrderOverride order = OrderOverride::kNone;
};

// A rendered set. Invariant: every node of `resources` lives in `arena` or
// one of `worker_arenas`, which the set owns, so the set can be moved around
// freely.
struct RenderedSet {
  std::unique_ptr<Arena> arena;
  ResourceSet resources;
  std::vector<std::unique_ptr<Arena>> worker_arenas;  // bases built on other threads
};

// Renders the kustomization in `dir`. Warnings (deprecated fields, in
// kustomize's text) are appended to `warnings` even when the render fails,
// since kustomize prints them before it fails.
Result<RenderedSet> Render(std::string_view dir, const RenderOptions& options,
                           std::vector<std::string>& warnings);

// The set as `kustomize build` prints it: documents joined by "---\n".
std::string EmitRendered(const RenderedSet& set);

// Top-level finishing steps, exposed for tests: drops objects annotated
// config.kubernetes.io/local-config (any value but "false") and removes the
// build annotations kustomize strips (an emptied annotations map goes away).
void DropLocalConfig(ResourceSet& set);
void StripBuildAnnotations(Arena& arena, ResourceSet& set);
// The same keeping config.kubernetes.io/origin and/or
// alpha.config.kubernetes.io/transformations (buildMetadata options).
void StripBuildAnnotations(Arena& arena, ResourceSet& set, bool keep_origin,
                           bool keep_transformations);

}  // namespace skiff
