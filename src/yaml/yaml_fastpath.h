// A hand-written reader for the block-style YAML that real manifests use,
// tried before libyaml by ParseYamlStream.
//
// Why by hand: on a 100-app platform tree, reading YAML through libyaml's
// event API (a malloc'd token and event per scalar, a UTF-8 reader, a
// generic state machine) was 37% of all instructions of a render, ~370 per
// input byte including building the nodes (callgrind, docs/performance.md);
// this reader builds the same trees directly in the arena at ~110 per byte.
//
// The subset: ASCII text without tabs or CR; block maps and sequences
// (compact `- key: value` items included); plain and single-line quoted
// scalars; literal and folded block scalars without an indentation digit;
// empty `{}` / `[]` and one-line flow sequences of scalars; comments and
// `---` separators. Anything else -- anchors, aliases, tags, directives,
// `...`, multi-line plain or quoted scalars, complex keys, merge keys,
// timestamp or non-string keys, duplicate keys (unless last-wins), any
// syntax error -- makes it decline the whole stream, and libyaml reads it.
//
// Invariant (checked by yaml_fastpath_test and fuzz/yaml_fastpath_fuzz.cc):
// when it accepts a text, the documents are identical to libyaml's -- same
// kinds, scalar text, styles, key order, key and node positions.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "model/node.h"
#include "yaml/yaml.h"

namespace skiff {

// The documents of `text`, or nullopt when the text is outside the subset
// (nodes made before declining stay in the arena, unreferenced).
std::optional<std::vector<YamlDocument>> TryParseYamlFast(std::string_view text,
                                                          std::string_view file, Arena& arena,
                                                          const ParseLimits& limits = {});

// The libyaml reader alone: the reference the fast path is checked against.
Result<std::vector<YamlDocument>> ParseYamlStreamWithLibyaml(std::string_view text,
                                                             std::string_view file, Arena& arena,
                                                             const ParseLimits& limits = {});

}  // namespace skiff
