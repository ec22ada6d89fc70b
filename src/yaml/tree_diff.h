// Compares parsed documents node by node, positions included: how the fast
// YAML reader is checked against libyaml (tests and fuzzing).
#pragma once

#include <string>
#include <vector>

#include "yaml/yaml.h"

namespace skiff {

// Empty when `a` and `b` are identical (kinds, scalar text and style, key
// order, node and key positions, files); else where they first differ.
std::string FirstTreeDifference(const std::vector<YamlDocument>& a,
                                const std::vector<YamlDocument>& b);

}  // namespace skiff
