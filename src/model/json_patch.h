// JSON Patch (RFC 6902) with JSON Pointers (RFC 6901) over the document
// model. Used by kustomize's `patches`/`patchesJson6902` and by the local
// control plane's application/json-patch+json.
#pragma once

#include <string>
#include <vector>

#include "base/result.h"
#include "model/node.h"

namespace skiff {

struct JsonPatchOp {
  enum class Kind : uint8_t { kAdd, kRemove, kReplace, kMove, kCopy, kTest };
  Kind kind;
  std::string path;
  std::string from;            // move, copy
  const Node* value = nullptr;  // add, replace, test
  SourcePos pos;               // where the operation was written

  static const char* KindName(Kind k);
};

// Reads a patch document: a sequence of {op, path, from?, value?} maps (as
// parsed from YAML or JSON). Errors name the operation's index and position.
Result<std::vector<JsonPatchOp>> ParseJsonPatch(const Node* ops);

// Applies `ops` in order to `doc` (which may be replaced, e.g. a patch on
// ""). Values are cloned into `arena`. Stops at the first failing operation
// with an error naming its index, op and path; `doc` may then be partially
// patched, so callers apply to a copy when they need all-or-nothing.
Status ApplyJsonPatch(Arena& arena, Node*& doc, const std::vector<JsonPatchOp>& ops);

// Splits a JSON Pointer into unescaped reference tokens ("~1" -> "/",
// "~0" -> "~"). Fails on a pointer that is neither empty nor starts with "/".
Result<std::vector<std::string>> SplitJsonPointer(std::string_view pointer);

}  // namespace skiff
