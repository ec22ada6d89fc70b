// Field ownership as the Kubernetes API records it in metadata.managedFields:
// field paths, sets of them (a trie), their FieldsV1 JSON encoding, and the
// list of ManagedFieldsEntry objects that says which manager owns which set.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.h"
#include "model/node.h"

namespace skiff::local {

// One step of a field path. Kinds sort in the order FieldsV1 lists them:
// fields, then associative-list keys, then set values, then indices.
struct PathElement {
  enum class Kind : uint8_t { kField, kKey, kValue, kIndex };
  Kind kind = Kind::kField;
  // kField: the field name; kKey: compact JSON object of the key fields,
  // sorted by name; kValue: compact JSON of the value; kIndex: decimal.
  std::string text;

  static PathElement Field(std::string_view name) { return {Kind::kField, std::string(name)}; }

  auto operator<=>(const PathElement&) const = default;
  bool operator==(const PathElement&) const = default;

  // "f:replicas", "k:{\"name\":\"web\"}", "v:\"x\"", "i:0".
  std::string Encoded() const;
  // ".replicas", "[name=\"web\"]", "[=\"x\"]", "[0]" as in conflict messages.
  std::string Display() const;
};

using FieldPath = std::vector<PathElement>;

// Compact JSON of `value` with object keys sorted: the text of kKey and
// kValue elements, so equal keys compare equal however they were written.
std::string CanonicalJson(const Node* value);

// ".spec.template.spec.containers[name=\"web\"].image".
std::string PathString(const FieldPath& path);

// A set of field paths stored as a trie. A node is a member when the path
// leading to it is in the set ("." in FieldsV1); children are kept sorted.
// Invariant: no child subtree is empty (no members below it).
class FieldSet {
 public:
  bool empty() const { return !member_ && children_.empty(); }
  void Insert(const FieldPath& path);
  bool Has(const FieldPath& path) const;
  // True when `path` or any path below it is a member.
  bool HasAtOrBelow(const FieldPath& path) const;

  FieldSet Union(const FieldSet& other) const;
  FieldSet Difference(const FieldSet& other) const;
  FieldSet Intersection(const FieldSet& other) const;
  // Without `other`'s members and everything below them.
  FieldSet RecursiveDifference(const FieldSet& other) const;

  // Only the part of the set at or below the top-level element `pe`.
  FieldSet OnlyUnder(const PathElement& pe) const;

  // Calls `fn` for every member, parents before children, in sorted order.
  void ForEach(const std::function<void(const FieldPath&)>& fn) const;
  std::vector<FieldPath> Members() const;

  bool operator==(const FieldSet&) const = default;

  // FieldsV1: {"f:spec":{"f:replicas":{}}}, with ".":{} for members that
  // also have children.
  std::string ToJson() const;
  Node* ToNode(Arena& arena) const;
  static Result<FieldSet> FromNode(const Node* fields_v1);

 private:
  using Child = std::pair<PathElement, FieldSet>;
  FieldSet* Find(const PathElement& pe);
  const FieldSet* Find(const PathElement& pe) const;
  FieldSet& Descend(const PathElement& pe);
  void ForEachFrom(FieldPath& prefix, const std::function<void(const FieldPath&)>& fn) const;
  void AppendJson(std::string& out) const;
  static Result<FieldSet> FromNodeBelow(const Node* fields_v1);

  bool member_ = false;
  std::vector<Child> children_;  // sorted by PathElement
};

// One metadata.managedFields item.
struct ManagerEntry {
  std::string manager;
  std::string operation;  // "Apply" or "Update"
  std::string api_version;
  std::string time;        // RFC 3339, may be empty
  std::string subresource;  // "" for the main resource
  FieldSet fields;

  bool IsApply() const { return operation == "Apply"; }
  // Entries are distinct per manager, operation and subresource, and for
  // Update also per apiVersion (an applier keeps one entry across versions).
  bool SameOwner(const ManagerEntry& other) const;
  // How a conflict message names this owner: "\"kubectl-edit\" using apps/v1",
  // "\"other\"", "\"kubectl\" with subresource \"scale\" using apps/v1".
  std::string Describe() const;
};

using ManagedFields = std::vector<ManagerEntry>;

// Decodes metadata.managedFields (a sequence, or null/absent for none).
// Fails naming the entry index when one lacks a manager or operation or its
// fieldsV1 is not a FieldsV1 object.
Result<ManagedFields> DecodeManagedFields(const Node* list);
// The sequence the API server stores: Apply entries before Update ones,
// then by time, manager, apiVersion and subresource; empty sets dropped.
Node* EncodeManagedFields(ManagedFields entries, Arena& arena);

}  // namespace skiff::local
