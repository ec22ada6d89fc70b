#include "model/schema.h"

#include <algorithm>
#include <tuple>

namespace skiff {

namespace st = schema_tables;

namespace {

const SchemaType* TypeAt(int32_t index) {
  if (index < 0 || static_cast<uint32_t>(index) >= st::kTypeCount) return nullptr;
  return &st::kTypes[index];
}

const st::GvkEntry* FindGvk(const Gvk& gvk) {
  using Key = std::tuple<std::string_view, std::string_view, std::string_view>;
  Key key{gvk.group, gvk.version, gvk.kind};
  const st::GvkEntry* end = st::kGvks + st::kGvkCount;
  const st::GvkEntry* it =
      std::lower_bound(st::kGvks, end, key, [](const st::GvkEntry& e, const Key& k) {
        return Key{e.group, e.version, e.kind} < k;
      });
  return it != end && Key{it->group, it->version, it->kind} == key ? it : nullptr;
}

}  // namespace

bool IsClusterScoped(const Gvk& gvk) {
  const st::GvkEntry* e = FindGvk(gvk);
  return e != nullptr && e->cluster_scoped;
}

const SchemaType* SchemaTypeForGvk(const Gvk& gvk) {
  const st::GvkEntry* e = FindGvk(gvk);
  return e == nullptr ? nullptr : TypeAt(e->type_index);
}

const SchemaType* SchemaTypeByName(std::string_view name) {
  const SchemaType* begin = st::kTypes;
  const SchemaType* end = st::kTypes + st::kTypeCount;
  const SchemaType* it = std::lower_bound(
      begin, end, name, [](const SchemaType& t, std::string_view n) { return t.name < n; });
  return it != end && it->name == name ? it : nullptr;
}

const SchemaType* SchemaField::Type() const { return TypeAt(type_index); }

std::span<const std::string_view> SchemaField::ListMapKeys() const {
  return {st::kListMapKeys + first_list_map_key, list_map_key_count};
}

std::span<const std::string_view> SchemaField::MergeKeys() const {
  if (list_map_key_count > 0) return ListMapKeys();
  if (!patch_merge_key.empty()) return {&patch_merge_key, 1};
  return {};
}

std::span<const SchemaField> SchemaType::Fields() const {
  return {st::kFields + first_field, field_count};
}

const SchemaField* SchemaType::Field(std::string_view field_name) const {
  std::span<const SchemaField> fields = Fields();
  auto it = std::lower_bound(
      fields.begin(), fields.end(), field_name,
      [](const SchemaField& f, std::string_view n) { return f.name < n; });
  return it != fields.end() && it->name == field_name ? &*it : nullptr;
}

}  // namespace skiff
