// Kubernetes schema knowledge kustomize relies on, generated at build time
// from the Kubernetes v1.21.2 OpenAPI definitions into static tables (no
// parsing at start-up).
//
// Two uses: which kinds are cluster-scoped (the namespace transformer skips
// them), and how each field merges under a strategic merge patch. A patch
// engine walks a path from a kind's root type:
//
//   const SchemaType* t = SchemaTypeForGvk(gvk);          // nullptr: no schema
//   const SchemaField* f = t ? t->Field("spec") : nullptr; // nullptr: unknown field
//   t = f ? f->Type() : nullptr;                          // PodSpec, …
//   f = t->Field("containers");  // f->MergesList(), f->MergeKeys() == {"name"}
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "model/resource.h"

namespace skiff {

// True when the schema knows `gvk` as cluster-scoped. Unknown kinds are
// namespaced, as in kustomize. Matching is exact on group, version and kind
// (rbac.authorization.k8s.io/v1alpha1 ClusterRole is unknown, so namespaced).
bool IsClusterScoped(const Gvk& gvk);

// The shape of a field's value.
enum class SchemaShape : uint8_t {
  kScalar,  // string, number, bool, or a type with no properties (Quantity, Time)
  kObject,  // an object with known fields: Type()
  kList,    // an array; Type() is the element type when elements are objects
  kMap,     // an object with free keys (additionalProperties); Type() as for kList
};

// x-kubernetes-list-type.
enum class ListType : uint8_t { kUnspecified, kAtomic, kSet, kMap };

struct SchemaType;

// One property of a definition with its merge metadata, exactly as the
// OpenAPI document declares it (no defaults applied).
struct SchemaField {
  std::string_view name;
  SchemaShape shape;
  ListType list_type;
  // x-kubernetes-patch-strategy split into flags ("merge,retainKeys").
  bool strategy_merge;
  bool strategy_replace;
  bool strategy_retain_keys;
  int32_t type_index;  // into the type table; -1 when none
  std::string_view patch_merge_key;  // x-kubernetes-patch-merge-key, or empty
  uint32_t first_list_map_key;       // into the list-map-key table
  uint32_t list_map_key_count;

  // The object type of the value (kObject) or of its elements (kList,
  // kMap); nullptr when those are scalars.
  const SchemaType* Type() const;
  // x-kubernetes-list-map-keys, in declared order.
  std::span<const std::string_view> ListMapKeys() const;

  // Whether a strategic merge patch merges this list element by element
  // (patch strategy "merge") rather than replacing it.
  bool MergesList() const { return shape == SchemaShape::kList && strategy_merge; }
  // The keys list elements are matched on when merging: the list-map keys,
  // else the patch merge key, else empty (a list of scalars merges as a set;
  // kustomize falls back to "name" for object lists, which is the caller's
  // call to make).
  std::span<const std::string_view> MergeKeys() const;
};

// One definition (e.g. io.k8s.api.core.v1.PodSpec). Its fields are sorted by
// name, so Field() is a binary search.
struct SchemaType {
  std::string_view name;
  uint32_t first_field;  // into the field table
  uint32_t field_count;

  std::span<const SchemaField> Fields() const;
  const SchemaField* Field(std::string_view field_name) const;
};

// The root definition of a kind, or nullptr when the schema does not know it
// (custom resources): then a patch replaces lists instead of merging them.
const SchemaType* SchemaTypeForGvk(const Gvk& gvk);

// A definition by its full name, or nullptr.
const SchemaType* SchemaTypeByName(std::string_view name);

// ---- the generated tables (schema_tables.cc, made at build time) ----
namespace schema_tables {

// A kind the schema names: its root type (or -1) and whether it is
// cluster-scoped. Sorted by (group, version, kind).
struct GvkEntry {
  std::string_view group;
  std::string_view version;
  std::string_view kind;
  int32_t type_index;
  bool cluster_scoped;
};

extern const SchemaType kTypes[];  // sorted by name
extern const uint32_t kTypeCount;
extern const SchemaField kFields[];
extern const uint32_t kFieldCount;
extern const std::string_view kListMapKeys[];
extern const GvkEntry kGvks[];
extern const uint32_t kGvkCount;

}  // namespace schema_tables

}  // namespace skiff
