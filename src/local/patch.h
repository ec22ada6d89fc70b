// The patch formats of the Kubernetes API applied to the document model:
// JSON merge patch (RFC 7386), JSON patch (RFC 6902) and strategic merge
// patch (lists merged by the schema's x-kubernetes-patch-merge-key).
#pragma once

#include "base/result.h"
#include "local/patch_schema.h"
#include "model/node.h"

namespace skiff::local {

// Returns `target` with `patch` merged in (null deletes a key, maps merge,
// everything else replaces). Nodes are made in `arena`; `target` may be
// modified in place.
Node* ApplyMergePatch(Node* target, const Node* patch, Arena& arena);

// Applies the operations of `patch` (a sequence of {op, path, value, from})
// in order; fails naming the operation index when a test fails or a path
// does not resolve.
Result<Node*> ApplyJsonPatch(Node* target, const Node* patch, Arena& arena);

// Strategic merge patch: like a merge patch, except that lists whose schema
// field has patch strategy "merge" merge item-wise by their merge key, and
// the directives $patch (replace/delete), $retainKeys,
// $deleteFromPrimitiveList/<f> and $setElementOrder/<f> are honoured.
// `type` is the schema of `target` (invalid when unknown: lists replace).
Result<Node*> ApplyStrategicMergePatch(Node* target, const Node* patch, const SchemaType& type,
                                       Arena& arena);

}  // namespace skiff::local
