// Field specs: "this path in objects of this kind" — the tables that tell
// each kustomize transformer where to act (commonLabels, namePrefix,
// namespace, images, name references, vars).
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "model/node.h"
#include "model/resource.h"

namespace skiff {

struct FieldSpec {
  // Empty parts match any value.
  std::string group;
  std::string version;
  std::string kind;
  // Path segments, from "spec/template/metadata/labels". A sequence met on
  // the way is entered element by element.
  std::vector<std::string> path;
  // Create missing maps along the path (and let the visitor create the leaf).
  bool create = false;

  static FieldSpec Make(std::string_view group, std::string_view version, std::string_view kind,
                        std::string_view path, bool create = false);
  bool Selects(const Gvk& gvk) const;
  std::string PathString() const;
};

// Splits "a/b/c" into segments; "\/" escapes a slash inside a key.
std::vector<std::string> SplitFieldPath(std::string_view path);

// The leaf a visitor is given: the map holding the field, the field's key,
// and its current value (nullptr when absent and `create` is set).
struct FieldLeaf {
  Node* parent;
  std::string_view key;
  Node* value;
};

using FieldVisitor = std::function<Status(FieldLeaf&)>;

// Calls `visit` for every field `spec.path` reaches in `root` (several when
// the path crosses sequences). Missing intermediate maps are created when
// `spec.create`; otherwise the branch is skipped. A visitor error is returned
// with the path added.
Status VisitFields(Arena& arena, Node* root, const FieldSpec& spec, const FieldVisitor& visit);

// Applies every spec in `specs` that selects `r`'s kind.
Status VisitFields(Arena& arena, Resource& r, const std::vector<FieldSpec>& specs,
                   const FieldVisitor& visit);

}  // namespace skiff
