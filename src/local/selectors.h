// Label selectors (=, ==, !=, in, notin, exists, !key) and field selectors
// (metadata.name, metadata.namespace, with = == !=) as list and watch
// requests carry them in their query strings.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "model/node.h"

namespace skiff::local {

// A parsed selector: a conjunction of requirements. The empty selector
// matches everything.
class Selector {
 public:
  enum class Op { kEquals, kNotEquals, kIn, kNotIn, kExists, kNotExists };
  struct Requirement {
    std::string key;
    Op op;
    std::vector<std::string> values;
  };

  // Parses "app=web,tier in (a,b),!legacy". Errors name the offending text.
  static Result<Selector> ParseLabels(std::string_view text);
  // Parses "metadata.name=x,metadata.namespace!=y"; other fields are errors,
  // as the API server rejects fields it does not index.
  static Result<Selector> ParseFields(std::string_view text);

  // Labels: `labels` is the metadata.labels map (may be null).
  bool MatchesLabels(const Node* labels) const;
  // Fields: the object's root.
  bool MatchesFields(const Node* object) const;

  bool empty() const { return reqs_.empty(); }
  const std::vector<Requirement>& requirements() const { return reqs_; }

 private:
  bool Matches(const Requirement& r, bool present, std::string_view value) const;
  std::vector<Requirement> reqs_;
};

}  // namespace skiff::local
