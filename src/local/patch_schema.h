// Navigation of the OpenAPI definitions for strategic merge patch: from a
// kind's definition down through properties and list items, following $ref,
// reading x-kubernetes-patch-strategy and x-kubernetes-patch-merge-key.
#pragma once

#include <string_view>

#include "model/node.h"

namespace skiff::local {

// A position in the schema; invalid (node == nullptr) when the schema does
// not describe the value (free-form maps, unknown kinds, custom resources).
struct SchemaType {
  const Node* node = nullptr;
  const Node* definitions = nullptr;

  bool valid() const { return node != nullptr; }

  struct Field;
  // The schema of map field `name` (or of the map's additionalProperties).
  Field Property(std::string_view name) const;
  // The schema of a list's items.
  SchemaType Items() const;

  // The definition whose x-kubernetes-group-version-kind is group/version/kind.
  static SchemaType ForKind(const Node* spec, std::string_view group, std::string_view version,
                            std::string_view kind);
};

struct SchemaType::Field {
  SchemaType type;
  std::string_view patch_strategy;  // "merge", "retainKeys", "merge,retainKeys" or ""
  std::string_view merge_key;
};

}  // namespace skiff::local
