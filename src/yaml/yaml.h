// YAML and JSON in and out of the document model.
//
// Reading resolves plain scalars the way kustomize's reader does (YAML 1.2
// core schema plus the go-yaml extras kustomize inherits). Writing produces
// exactly the bytes `kustomize build` writes: its key order, quoting choices,
// literal blocks and 80-column wrapping.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "model/node.h"

namespace skiff {

// Bounds that keep a hostile input from exhausting memory or stack
// (alias bombs, deep nesting, huge files). Exceeding one fails the parse with an error
// naming the file and line.
struct ParseLimits {
  size_t max_depth = 512;
  size_t max_alias_expansions = 10000;   // nodes copied through aliases
  size_t max_document_bytes = 32u << 20;
  size_t max_stream_bytes = 256u << 20;
  // A repeated map key replaces the earlier value instead of failing the
  // parse (kustomization files are read this way; resource files are not).
  bool duplicate_keys_last_wins = false;
  // Every map key must read as a string: a key that resolves to a number,
  // bool, null or timestamp fails the parse. kustomize cannot turn such a
  // map into JSON, so resource files are read this way; the model keeps only
  // key text and could not tell `1:` from `"1":` later.
  bool require_string_keys = false;
};

// One document of a stream; `root` is nullptr for an empty document.
struct YamlDocument {
  Node* root = nullptr;
  SourcePos pos;  // where the document starts
};

// Parses a multi-document YAML stream. `file` is recorded on every node
// (interned) and used in error messages ("file:line:col: message").
Result<std::vector<YamlDocument>> ParseYamlStream(std::string_view text, std::string_view file,
                                                  Arena& arena, const ParseLimits& limits = {});

// Appends one document as kustomize writes it (no leading "---").
void EmitYaml(const Node* root, std::string& out);

// Appends documents joined by "---\n", as `kustomize build` prints a set.
void EmitYamlStream(const std::vector<const Node*>& docs, std::string& out);

// Parses JSON (e.g. an API server response) into the model.
Result<Node*> ParseJson(std::string_view text, Arena& arena);

// Appends compact JSON. With `sort_keys`, map keys in byte order (as Go's
// encoding/json does, used for generator hashes); else insertion order.
void EmitJson(const Node* root, std::string& out, bool sort_keys = false);

}  // namespace skiff
