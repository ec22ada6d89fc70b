// A Kubernetes object inside a render or a sync: its tree, its identity and
// where it came from.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "model/node.h"

namespace skiff {

// Group/version/kind; an empty group is the core group.
struct Gvk {
  std::string group;
  std::string version;
  std::string kind;

  // "apiVersion" text: "v1" or "apps/v1".
  std::string ApiVersion() const { return group.empty() ? version : group + "/" + version; }
  static Gvk FromApiVersion(std::string_view api_version, std::string_view kind);
  bool operator==(const Gvk&) const = default;
};

// Identity of an object in a set: who it is, independent of its contents.
struct ResId {
  Gvk gvk;
  std::string ns;  // empty for cluster-scoped kinds or when not set
  std::string name;

  bool operator==(const ResId&) const = default;
  // "apps_v1_Deployment|ns|name"-style text for messages and map keys.
  std::string String() const;
};

struct ResIdHash {
  size_t operator()(const ResId& id) const;
};

// Where an object was declared: file and 1-based line of its document.
struct Origin {
  std::string file;
  uint32_t line = 0;
  std::string String() const;  // "file:line"
};

// One object. `root` is a map node owned by an Arena that outlives it.
struct Resource {
  Node* root = nullptr;
  Origin origin;

  // Identities the object had before namePrefix/nameSuffix/namespace changed
  // it, oldest first; name references match any of them.
  std::vector<ResId> previous_ids;

  // Non-empty namePrefix/nameSuffix values applied to this object, innermost
  // kustomization first. Name references use them to pick, among several
  // renamed copies of one base object, the copy renamed like the referrer.
  std::vector<std::string> name_prefixes;
  std::vector<std::string> name_suffixes;

  // Made by a generator: how it combines with existing objects and whether
  // it gets a content-hash name suffix at the top level.
  enum class Behavior : uint8_t { kNone, kCreate, kMerge, kReplace };
  Behavior behavior = Behavior::kNone;
  bool needs_hash_suffix = false;

  // Reads identity from the tree (apiVersion, kind, metadata.namespace/name).
  ResId Id() const;
  Gvk GetGvk() const;
  std::string_view Name() const;
  std::string_view Namespace() const;
  std::string_view Kind() const;
};

}  // namespace skiff
