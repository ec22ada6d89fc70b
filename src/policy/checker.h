// Runs every rule over a rendered set and applies the policy file: which
// rules apply to which object, their severities, and the exceptions.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/resource_set.h"
#include "policy/finding.h"
#include "policy/policy_file.h"

namespace skiff::policy {

struct CheckOptions {
  // --pss: replaces the level of every rule set.
  std::optional<PssLevel> pss_override;
  // Today as YYYY-MM-DD, to judge exception expiry; empty means the UTC date now.
  std::string today;
};

// Invariant: `findings` are sorted by source file, line, rule, and contain no
// finding an unexpired exception covers.
struct CheckResult {
  std::vector<Finding> findings;
  size_t objects_checked = 0;
  size_t suppressed = 0;  // findings covered by an exception

  size_t Count(Severity s) const;
  bool HasErrors() const { return Count(Severity::kError) > 0; }
};

// Every rule, unfiltered, at default severity: what the policy then filters.
std::vector<Finding> RunAllRules(const ResourceSet& set, const PlatformSettings& settings);

// Rules filtered and adjusted by `policy`, exceptions applied, and findings
// added for expired exceptions (pointing at the policy file line). `extra`
// findings (tenancy) go through the same severities and exceptions.
CheckResult Check(const ResourceSet& set, const PolicyFile& policy, const CheckOptions& options,
                  std::vector<Finding> extra = {});

// The gate a deploy runs before touching a cluster: the policy file found
// above `dir` (or the defaults when there is none) applied to `set`. Callers
// refuse the set when the result HasErrors().
Result<CheckResult> CheckWithRepositoryPolicy(const ResourceSet& set, const std::string& dir);

// The UTC date now as YYYY-MM-DD.
std::string TodayUtc();

}  // namespace skiff::policy
