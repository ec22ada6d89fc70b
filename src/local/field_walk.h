// The structural walks server-side apply is built from, over objects typed
// by the kind's OpenAPI schema: the field set an object specifies, the
// difference between two versions of an object, the apply merge, and the
// removal of single fields.
//
// Lists are identified item by item as the schema says: x-kubernetes-list-type
// map (or patch strategy merge with a merge key) by their key fields, set (or
// merge without a key) by value; any other list is atomic, one field. An
// invalid schema makes maps structs and lists atomic.
#pragma once

#include "base/result.h"
#include "local/managed_fields.h"
#include "local/patch_schema.h"
#include "model/node.h"

namespace skiff::local {

// Fields of `obj`: every scalar, atomic list or map, empty map or null; every
// list item; and every key of a map that is not a declared struct field
// (labels, annotations, data), which is how FieldsV1 gets its "." entries.
// Fails when an associative list item lacks all its key fields or two items
// share a key.
Result<FieldSet> FieldsOf(const Node* obj, const SchemaType& type);

// The fields that differ between `before` and `after`. Maps and list items
// present on only one side are recorded too (besides their contents).
struct Comparison {
  FieldSet added;
  FieldSet modified;
  FieldSet removed;

  bool empty() const { return added.empty() && modified.empty() && removed.empty(); }
};
Comparison Compare(const Node* before, const Node* after, const SchemaType& type);

// `config` merged into `live`: maps merge key by key (null in `config`
// deletes), keyed lists and sets merge item by item keeping live's order
// with new items placed after the config items before them, everything
// else is replaced by `config`. Returns new nodes in `arena`; neither input
// is modified.
Node* MergeApplied(const Node* live, const Node* config, const SchemaType& type, Arena& arena);

// Removes the field or list item at `path` from `obj`, if present.
void RemoveField(Node* obj, const SchemaType& type, const FieldPath& path);

}  // namespace skiff::local
