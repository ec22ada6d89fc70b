#include "local/patch_schema.h"

namespace skiff::local {
namespace {

const Node* Resolve(const Node* node, const Node* definitions) {
  for (int hops = 0; node != nullptr && hops < 8; ++hops) {
    std::string_view ref = node->GetString("$ref");
    if (ref.empty()) return node;
    constexpr std::string_view kPrefix = "#/definitions/";
    if (ref.substr(0, kPrefix.size()) != kPrefix || definitions == nullptr) return nullptr;
    node = definitions->Get(ref.substr(kPrefix.size()));
  }
  return node;
}

}  // namespace

SchemaType::Field SchemaType::Property(std::string_view name) const {
  Field f;
  if (node == nullptr) return f;
  const Node* props = node->Get("properties");
  const Node* prop = props != nullptr ? props->Get(name) : nullptr;
  if (prop == nullptr) prop = node->Get("additionalProperties");
  if (prop == nullptr || !prop->IsMap()) return f;
  f.patch_strategy = prop->GetString("x-kubernetes-patch-strategy");
  f.merge_key = prop->GetString("x-kubernetes-patch-merge-key");
  f.type = SchemaType{Resolve(prop, definitions), definitions};
  return f;
}

SchemaType SchemaType::Items() const {
  if (node == nullptr) return {};
  const Node* items = node->Get("items");
  if (items == nullptr) return {};
  return SchemaType{Resolve(items, definitions), definitions};
}

SchemaType SchemaType::ForKind(const Node* spec, std::string_view group, std::string_view version,
                               std::string_view kind) {
  const Node* defs = spec != nullptr ? spec->Get("definitions") : nullptr;
  if (defs == nullptr || !defs->IsMap()) return {};
  for (const MapEntry& e : defs->entries()) {
    const Node* gvks = e.value->Get("x-kubernetes-group-version-kind");
    if (gvks == nullptr || !gvks->IsSeq()) continue;
    for (const Node* g : gvks->items()) {
      if (g->GetString("group") == group && g->GetString("version") == version &&
          g->GetString("kind") == kind) {
        return SchemaType{e.value, defs};
      }
    }
  }
  return {};
}

}  // namespace skiff::local
