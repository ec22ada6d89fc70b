// The kustomization fields that patch objects: `patches` (one transformer
// per entry), and the deprecated `patchesStrategicMerge` and
// `patchesJson6902`. The factories are declared in builtin_transformers.h;
// this header exposes the pieces they are built from for tests.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/json_patch.h"
#include "render/patch_target.h"
#include "render/transformer.h"

namespace skiff {

class OpenApiSchema;

// One loaded patch. Invariant: exactly one of `smp` and `json_ops` is
// non-empty, and `json_ops` comes with a target.
struct Patch {
  std::vector<Node*> smp;            // strategic merge documents, in order
  std::vector<JsonPatchOp> json_ops;  // a JSON 6902 patch
  std::optional<PatchTarget> target;
  bool allow_name_change = false;
  bool allow_kind_change = false;
  std::string source;  // "patch.yaml" or "kustomization.yaml:12" for messages
};

// Reads patch text the way kustomize decides its kind: YAML objects (each
// with a kind and a metadata.name) make a strategic merge patch, a list of
// operations (YAML, or JSON when the text starts with '[') a JSON 6902 patch;
// text that is both or neither is an error naming `source`.
Result<Patch> ParsePatchText(std::string_view text, const std::string& source, Arena& arena);

// Applies `patch` to `set`: a targeted patch to every object the target
// selects (none is fine); a strategic merge patch without target to the one
// object with its apiVersion, kind, name and namespace (current or former),
// which must exist.
// `custom`: the kustomization's custom OpenAPI schema, null for the built-in
// tables.
Status ApplyPatch(const Patch& patch, ResourceSet& set, Arena& arena,
                  const OpenApiSchema* custom = nullptr);

}  // namespace skiff
