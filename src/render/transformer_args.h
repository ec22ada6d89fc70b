// Reading the kustomization values built-in transformers are made from, with
// kustomize's typing (a label value must be a string; null reads as "") and
// errors that name the file, line and field:
//   "kustomization.yaml:7: commonLabels: expected a map of strings".
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.h"
#include "model/node.h"
#include "render/field_spec.h"
#include "render/transformer.h"

namespace skiff {

// Ordered key/value pairs; a repeated key keeps its first position and its
// last value.
using StringPairs = std::vector<std::pair<std::string, std::string>>;

// "file:line: field: what", the line being `node`'s when it has one.
Error ArgError(const RenderContext& ctx, const Node* node, std::string_view field,
               std::string_view what);

// A string scalar; null reads as "".
Result<std::string> ReadStringArg(const Node* value, std::string_view field,
                                  const RenderContext& ctx);

// A map whose values are strings (or null, read as "").
Result<StringPairs> ReadStringMapArg(const Node* value, std::string_view field,
                                     const RenderContext& ctx);

// A map whose keys must all be among `allowed` (kustomize rejects unknown
// fields); `field` names the map in messages.
Status CheckKnownKeys(const Node* map, std::string_view field,
                      std::initializer_list<std::string_view> allowed, const RenderContext& ctx);

// A list of field specs ({group, version, kind, path, create}).
Result<std::vector<FieldSpec>> ReadFieldSpecsArg(const Node* value, std::string_view field,
                                                 const RenderContext& ctx);

// Adds `spec` to `specs` unless one with the same group, version, kind and
// path is there; a twin that differs only in `create` is an error, as in
// kustomize.
Status MergeFieldSpec(std::vector<FieldSpec>& specs, const FieldSpec& spec);

}  // namespace skiff
