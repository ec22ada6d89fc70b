// generatorOptions (kustomization-wide) and an entry's own `options`: labels
// and annotations put on generated objects, and the hash/immutable switches.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.h"
#include "model/node.h"

namespace skiff {

// Invariant: labels and annotations hold each key once, sorted by key (the
// order kustomize writes them in).
struct GeneratorOptions {
  std::vector<std::pair<std::string, std::string>> labels;
  std::vector<std::pair<std::string, std::string>> annotations;
  bool disable_name_suffix_hash = false;
  bool immutable = false;
};

// Parses an options map (nullptr or null → defaults). Unknown fields and
// non-string label/annotation values are errors naming `file`:line.
Result<GeneratorOptions> ParseGeneratorOptions(const Node* value, std::string_view file);

// An entry's options with the kustomization-wide ones folded in: local labels
// and annotations win over global ones; the two switches can only be turned
// on by the global options, never off.
GeneratorOptions MergeGeneratorOptions(GeneratorOptions local, const GeneratorOptions& global);

// "file:line: " prefix for a node (just "file: " when it has no position).
std::string WhereIs(std::string_view file, const Node* node);

// Reads a map of string to string, such as labels; errors name `field`.
Result<std::vector<std::pair<std::string, std::string>>> ParseStringMap(
    const Node* value, std::string_view file, std::string_view field);

// Reads a boolean field; errors name `field`.
Result<bool> ParseBool(const Node* value, std::string_view file, std::string_view field);

}  // namespace skiff
