// The order in which kustomize's writer (go-yaml v2) prints map keys.
//
// At the first rune where two keys differ: two letters compare by code point;
// a letter sorts after a non-letter; two non-letters compare the digit runs
// starting there as numbers (zeros after a non-zero digit count), then the
// shorter run, then by rune. A key that is a prefix of another comes first.
// The relation is not transitive for some mixes of digits and letters; the
// sort here is a deterministic merge sort, so skiff prints one fixed order
// for such sets and the oracle's order whenever that one is unique.
#pragma once

#include <string_view>
#include <vector>

#include "model/node.h"

namespace skiff {

// go-yaml v2's keyList.Less on two string keys.
bool YamlKeyLess(std::string_view a, std::string_view b);

// Fills `out` with `map`'s entries in writing order.
void SortedEntries(const Node& map, std::vector<const MapEntry*>& out);

}  // namespace skiff
