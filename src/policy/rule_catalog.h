// Every rule skiff check knows: its stable id, a one-line description and the
// one-line fix shown with each finding (and in SARIF tool.driver.rules).
#pragma once

#include <string_view>
#include <vector>

#include "policy/finding.h"

namespace skiff::policy {

// Invariant: ids are unique and of the form "family/name".
struct RuleInfo {
  std::string_view id;
  std::string_view description;
  std::string_view fix;
};

const std::vector<RuleInfo>& AllRules();

// The rule with `id`, or nullptr.
const RuleInfo* FindRule(std::string_view id);

// The fix hint of `id` (empty for unknown ids).
std::string_view FixFor(std::string_view id);

// Default severity by family: Pod Security Standards, tenancy and policy-file
// findings are errors; platform rules are warnings.
Severity DefaultSeverity(std::string_view id);

}  // namespace skiff::policy
