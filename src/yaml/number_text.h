// How numbers read from YAML come out of kustomize: the reader's value goes
// through Go's encoding/json, and the JSON text is read again and printed by
// go-yaml v2. So 0755 prints 493, 1.0 prints 1, 1e20 prints 1e+20 and
// 123456789.5 prints 1.234567895e+08.
#pragma once

#include <cstddef>
#include <string_view>

#include "model/node.h"

namespace skiff {

// Enough room for any number text these functions write.
inline constexpr size_t kNumberTextMax = 64;

// The JSON text Go's encoding/json writes for a kInt or kFloat scalar with
// `text` (as the YAML reader saw it). NaN and infinities, which Go cannot
// encode, come out as "null".
std::string_view JsonNumberText(NodeKind kind, std::string_view text, char* buf);

// The text go-yaml v2 prints after reading that JSON back.
std::string_view YamlNumberText(NodeKind kind, std::string_view text, char* buf);

}  // namespace skiff
