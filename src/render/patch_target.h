// Which objects a patch applies to: the `target` of a `patches` or
// `patchesJson6902` entry, and kustomize's rules for matching it.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "model/node.h"
#include "model/resource.h"

namespace re2 {
class RE2;
}

namespace skiff {

// A Kubernetes label selector ("app=web,tier in (a,b),!legacy"), as
// kubectl and kustomize parse it. Empty selects everything.
class LabelSelector {
 public:
  static Result<LabelSelector> Parse(std::string_view text);
  // `labels` is a map node (or nullptr for none).
  bool Matches(const Node* labels) const;

 private:
  struct Requirement {
    enum class Op : uint8_t { kExists, kNotExists, kEquals, kNotEquals, kIn, kNotIn, kGt, kLt };
    std::string key;
    Op op;
    std::vector<std::string> values;
  };
  std::vector<Requirement> requirements_;
};

// A validated target. Invariant: every non-empty regex field compiled, and
// each matches the whole text (kustomize anchors them as ^(?:...)$).
class PatchTarget {
 public:
  // Reads a `target` map; errors name the file, line and field.
  static Result<PatchTarget> Parse(const Node* target, std::string_view file);
  PatchTarget(PatchTarget&&) noexcept;
  PatchTarget& operator=(PatchTarget&&) noexcept;
  ~PatchTarget();

  // Group/version/kind match the current id; name and namespace match the
  // original or the current id (an unset namespace counts as "default").
  bool Matches(const Resource& r) const;

 private:
  PatchTarget();
  // Shared with every target using the same pattern (compiled once).
  std::shared_ptr<const re2::RE2> group_, version_, kind_, name_, namespace_;
  LabelSelector labels_;
  LabelSelector annotations_;
};

}  // namespace skiff
