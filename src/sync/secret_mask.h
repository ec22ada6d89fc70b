// Hiding Secret values in anything skiff prints (diffs, errors, reports).
//
// A value is replaced by a mask of '*' characters plus a short tag that is
// stable per distinct value within one MaskContext: equal values get equal
// masks and different values different masks, so a diff still shows that a
// value changed (and which keys share a value) without revealing it.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "model/node.h"

namespace skiff::sync {

// Assigns masks to values and remembers the values it has seen, so text
// that echoes one (an API error message) can be scrubbed too. Share one
// context between both sides of a diff.
class MaskContext {
 public:
  // The mask for `value`: "***" plus a tag unique to the value in this context.
  std::string MaskFor(std::string_view value);
  // Replaces every occurrence of every value seen so far (and of its base64
  // form) in `text` by its mask.
  std::string Scrub(std::string_view text) const;
  bool empty() const { return masks_.empty(); }

 private:
  void Remember(std::string_view secret, const std::string& mask);
  std::unordered_map<std::string, std::string> masks_;
  // Values worth scrubbing from free text, longest first when scrubbing.
  std::vector<std::pair<std::string, std::string>> scrub_;
};

// True for a v1 Secret.
bool IsSecret(const Node* object);

// Replaces Secret data/stringData values (also inside the
// kubectl.kubernetes.io/last-applied-configuration annotation) by masks.
// Objects of other kinds are left alone.
void MaskSecretValues(Node* object, Arena& arena, MaskContext& ctx);

}  // namespace skiff::sync
