// The record, kept in the cluster, of which objects one applied set owns,
// following the ApplySet convention (KEP-3659) so kubectl users recognise it.
//
// The parent is a Secret `skiff-<app>` in the inventory namespace, labelled
// `applyset.kubernetes.io/id`; every member carries
// `applyset.kubernetes.io/part-of: <id>`. The parent's annotations list the
// group-kinds and the namespaces the members span, so a later run (or
// kubectl) can find every member with one labelled list per kind.
// Invariant: the annotations always cover every member in the cluster — they
// are widened before members are written and narrowed only after a prune.
#pragma once

#include <set>
#include <string>
#include <string_view>

#include "base/result.h"
#include "model/node.h"
#include "model/resource.h"
#include "model/resource_set.h"

namespace skiff::sync {

inline constexpr std::string_view kApplySetIdLabel = "applyset.kubernetes.io/id";
inline constexpr std::string_view kApplySetPartOfLabel = "applyset.kubernetes.io/part-of";
inline constexpr std::string_view kApplySetToolingAnnotation = "applyset.kubernetes.io/tooling";
inline constexpr std::string_view kApplySetGroupKindsAnnotation =
    "applyset.kubernetes.io/contains-group-kinds";
inline constexpr std::string_view kApplySetNamespacesAnnotation =
    "applyset.kubernetes.io/additional-namespaces";

// `applyset-<base64url(sha256(<name>.<namespace>.<kind>.<group>))>-v1`, the
// id kubectl computes for a parent object (unpadded URL-safe base64).
std::string ApplySetId(std::string_view name, std::string_view ns, std::string_view kind,
                       std::string_view group);

// "Deployment.apps", or "ConfigMap" for the core group (Kind.group).
std::string GroupKindString(const Gvk& gvk);

// What one applied set owns, as recorded on its parent.
struct Inventory {
  std::string parent_name;       // skiff-<app>
  std::string parent_namespace;  // skiff-system by default
  std::string id;                // the applyset id of the parent
  std::string tooling;           // skiff/<version>
  std::set<std::string> group_kinds;            // Kind.group, sorted
  std::set<std::string> additional_namespaces;  // member namespaces other than the parent's

  // The parent for `app` in `ns`, with nothing recorded yet.
  static Inventory ForApp(std::string_view app, std::string_view ns, std::string_view version);

  // Adds what `set` spans: its group-kinds and member namespaces.
  void Cover(const ResourceSet& set);
  // Replaces what is recorded by exactly what `set` spans.
  void CoverExactly(const ResourceSet& set);

  // The parent Secret to server-side apply.
  Node* ParentObject(Arena& arena) const;
};

// Reads the recorded group-kinds and namespaces from a live parent into
// `inventory`. Fails when the parent belongs to another tool, or its id label
// is not the one its name, namespace and kind give (an impersonated parent).
Status ReadParent(const Node* live_parent, Inventory& inventory);

// Labels every object of `set` as a member of `id`. Fails, naming the
// object's file:line, when an object already carries a different part-of
// label (it would be claimed by two sets).
Status LabelMembers(ResourceSet& set, Arena& arena, std::string_view id);

}  // namespace skiff::sync
