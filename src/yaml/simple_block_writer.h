// The fast path of EmitYaml. Most manifests hold only short printable-ASCII
// scalars, whose block layout is fixed: for those the bytes libyaml would
// write are produced directly, without its per-event allocations. Anything
// else (non-ASCII, line breaks, escapes, lines long enough to wrap, keys
// over 128 bytes, infinite or NaN floats) makes the fast path decline the
// whole document, which then goes through libyaml. So every document it
// takes can also be written as JSON (WriteRendered relies on that).
#pragma once

#include <string>

#include "model/node.h"

namespace skiff {

// Appends `root` as EmitYaml would and returns true, or returns false with
// `out` in an unspecified state past its original size (the caller cuts it
// back).
bool WriteSimpleBlockDocument(const Node* root, std::string& out);

// EmitYaml through libyaml only, never the fast path.
void EmitYamlWithLibyaml(const Node* root, std::string& out);

}  // namespace skiff
