// Deliberate failures for testing clients: rules that make chosen requests
// answer 429 (with Retry-After) or 500, hang, or drop the connection.
//
// A rule is one line: METHOD PATH_REGEX COUNT ACTION [ARG]
//   METHOD   GET, POST, ... or * for any
//   PATH_REGEX  ECMAScript regex searched in the request path
//   COUNT    how many matching requests fail, or * for all of them
//   ACTION   429 [retry-after seconds, default 1] | 500 | hang [seconds,
//            default 30] | drop
// Blank lines and lines starting with # are ignored. Rules are tried in
// order; the first matching rule with a count left decides.
#pragma once

#include <mutex>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "base/result.h"

namespace skiff::local {

struct FaultAction {
  enum class Kind { kStatus, kHang, kDrop };
  Kind kind = Kind::kStatus;
  int status = 500;
  int seconds = 0;  // Retry-After for 429, duration for hang
};

class FaultInjector {
 public:
  // Parses rules (see above) and appends them; errors name the line.
  Status AddRules(const std::string& text);
  void Clear();
  // The fault for this request, consuming one count of the rule.
  std::optional<FaultAction> Match(const std::string& method, const std::string& path);

 private:
  struct Rule {
    std::string method;
    std::regex path;
    long remaining;  // < 0: unlimited
    FaultAction action;
  };
  std::mutex mu_;
  std::vector<Rule> rules_;
};

}  // namespace skiff::local
