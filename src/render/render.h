// The public face of the render module: build a kustomization directory as
// `kustomize build DIR` does and print the result with its bytes.
#pragma once

#include <functional>
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
  // Leaves the JSON-encodability check to WriteRendered, which makes it only
  // for the objects its fast writer cannot take (a walk over every object
  // saved); for callers that print the set and nothing else.
  bool check_json_when_written = false;
};

// A rendered set. Invariant: every node of `resources` lives in `arena` or
// one of `worker_arenas`, which the set owns, so the set can be moved around
// freely.
struct RenderedSet {
  std::unique_ptr<Arena> arena;
  ResourceSet resources;
  std::vector<std::unique_ptr<Arena>> worker_arenas;  // bases built on other threads
  bool json_unchecked = false;  // see RenderOptions::check_json_when_written
};

// Renders the kustomization in `dir`. Warnings (deprecated fields, in
// kustomize's text) are appended to `warnings` even when the render fails,
// since kustomize prints them before it fails.
Result<RenderedSet> Render(std::string_view dir, const RenderOptions& options,
                           std::vector<std::string>& warnings);

// The set as `kustomize build` prints it: documents joined by "---\n" (empty
// for a set whose deferred JSON check fails: see WriteRendered).
std::string EmitRendered(const RenderedSet& set);
// The same handed to `write` piece by piece, in order, on the calling thread
// (the pieces are made on all threads). A set whose JSON check was left to
// this call fails with Render's error when an object fails it, and nothing
// is written.
Status WriteRendered(const RenderedSet& set, const std::function<void(std::string_view)>& write);

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
