// kustomize's dot-separated field paths, as replacements and vars write them:
// "spec.template.spec.containers.[name=app].image". A segment is a map key,
// a list index ("0"), every element of a list ("*"), the elements of a list
// of maps whose field matches ("[name=app]"), the scalar elements equal to a
// value ("[=x]"), or a bracketed key holding dots ("[a.b/c]").
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "model/node.h"

namespace skiff {

// One step of a field path. `key` is the map key (kKey), the matched field
// (kMatch); `value` the wanted value (kMatch, kScalarMatch).
struct FieldPathSegment {
  enum class Kind : uint8_t { kKey, kIndex, kWildcard, kMatch, kScalarMatch };
  Kind kind = Kind::kKey;
  std::string key;
  std::string value;
  size_t index = 0;
};

// A parsed field path. Invariant: `segments` is not empty.
struct FieldPath {
  std::string text;  // as written, for messages
  std::vector<FieldPathSegment> segments;

  // Splits on dots outside brackets; "a.b[0].c" reads as "a.b.0.c".
  static Result<FieldPath> Parse(std::string_view text);
};

// A field a path reached: the map or list holding it, its key or index, and
// its value (nullptr when the field was absent and is to be created).
struct FieldSlot {
  Node* parent = nullptr;
  std::string_view key;  // interned; when `parent` is a map
  size_t index = 0;      // when `parent` is a list
  Node* value = nullptr;

  // Puts `v` in the slot (and remembers it as the value).
  void Set(Node* v);
};

// Every field `path` reaches in `root`. Without `create`, branches that do
// not exist are skipped (the result may be empty). With `create`, missing
// maps, lists and "[k=v]" elements are made on the way and a missing last
// field yields a slot with no value; an index past the end of a list is an
// error.
Result<std::vector<FieldSlot>> FindFieldSlots(Arena& arena, Node* root, const FieldPath& path,
                                              bool create);

// The first field `path` reaches in `root`, or nullptr.
Node* LookupField(Node* root, const FieldPath& path);

}  // namespace skiff
