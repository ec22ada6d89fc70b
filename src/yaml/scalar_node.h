// Scalar nodes as both YAML readers (the libyaml one and the fast path)
// make them, so the two agree on typing by construction.
#pragma once

#include <string_view>

#include "model/node.h"

namespace skiff {

// An untagged plain scalar: typed by ResolvePlainScalar; a timestamp is a
// string holding its RFC 3339 form, as kustomize prints it.
Node* NewPlainScalarNode(Arena& arena, std::string_view text);

// Whether an untagged plain scalar with this text reads as a timestamp.
bool IsPlainTimestamp(std::string_view text);

}  // namespace skiff
