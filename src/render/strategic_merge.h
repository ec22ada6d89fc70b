// Strategic merge patch as `kustomize build` applies it (its own merge over
// the document tree, not the API server's): maps merge key by key, a list
// merges element by element only when the Kubernetes schema gives it the
// patch strategy "merge", otherwise the patch's list replaces the original.
//
// Semantics kept from kustomize v5.5 (see docs/patches.md):
//  - merge keys: x-kubernetes-list-map-keys, else x-kubernetes-patch-merge-key;
//    lists of scalars with strategy merge merge as sets;
//  - merged list order: elements named by the patch first, in patch order,
//    then the original's remaining elements; with several merge keys
//    (container ports: containerPort+protocol) the original order wins for
//    elements both sides name, and an element matched on a partial key keeps
//    the original's content;
//  - `$patch: delete|replace|merge` on maps, on list elements (a lone
//    `{$patch: ...}` element applies to the whole list) and on the whole
//    object; a null value deletes the field; `$setElementOrder/...`,
//    `$retainKeys` and `$deleteFromPrimitiveList/...` are ordinary keys;
//  - empty maps and nulls inside merged lists are dropped.
#pragma once

#include "base/result.h"
#include "model/node.h"

namespace skiff {

// Merges `patch` into `target`, both nodes of `arena`. `target` is changed in
// place and `patch` is consumed (its directives are removed and its nodes may
// become part of the result), so callers pass a fresh copy of the patch for
// each object. Returns the merged root, or nullptr when the patch deletes the
// whole object (`$patch: delete` at the top). The schema is looked up from the
// target's apiVersion and kind; unknown kinds merge maps and replace lists.
Result<Node*> StrategicMerge(Arena& arena, Node* target, Node* patch);

// Parts of the target the patch does not reach are left as they are when
// merging them would change nothing (the default). Tests switch this off to
// compare against the full walk.
void SetStrategicMergeShortcut(bool enabled);

class OpenApiSchema;
// The same with the kinds and list strategies of a custom OpenAPI document
// (a kustomization's `openapi.path`) in place of the built-in tables; a null
// `custom` means the built-in tables.
Result<Node*> StrategicMerge(Arena& arena, Node* target, Node* patch,
                             const OpenApiSchema* custom);

}  // namespace skiff
