// JSON text in and out of the document model for API bodies and stored
// objects. Numbers keep their text exactly; output is compact JSON in map
// insertion order.
#pragma once

#include <string>
#include <string_view>

#include "base/result.h"
#include "model/node.h"

namespace skiff::local {

// Parses one JSON value; errors give the byte offset. Depth is capped at 512.
Result<Node*> ParseJsonText(std::string_view text, Arena& arena);

// Appends compact JSON.
void EmitJsonText(const Node* root, std::string& out);

// Appends `s` as a quoted JSON string.
void AppendJsonQuoted(std::string_view s, std::string& out);

}  // namespace skiff::local
