// The repository policy file (skiff-policy.yaml): which rules apply where,
// how severe they are, the platform's registries and labels, and the
// exceptions granted, each with a reason and an expiry date.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "policy/finding.h"
#include "policy/platform_rules.h"

namespace skiff::policy {

enum class PssLevel { kPrivileged, kBaseline, kRestricted };

std::string_view PssLevelName(PssLevel level);
std::optional<PssLevel> ParsePssLevel(std::string_view text);

// Settings for the objects a rule set selects. Unset fields inherit from the
// rule sets before it (the top-level settings come first). Invariant: an
// empty `paths` and `namespaces` selects every object.
struct RuleSet {
  std::vector<std::string> paths;       // globs on the manifest path relative to the repo root
  std::vector<std::string> namespaces;  // globs on the object's namespace
  std::optional<PssLevel> pss;
  std::optional<bool> platform;          // platform rules on/off
  std::vector<std::string> disabled;     // rule id globs switched off
  std::map<std::string, Severity> severities;  // rule id glob -> severity
  uint32_t line = 0;
};

// A granted exception. Invariant: `reason` is non-empty; `expires` is empty
// or "YYYY-MM-DD".
struct PolicyException {
  std::string rule;  // rule id glob
  std::string kind, ns, name;  // object selector globs; empty matches anything
  std::string reason;
  std::string expires;
  uint32_t line = 0;
};

struct PolicyFile {
  std::string path;           // the file read; empty when using the defaults
  std::string root;           // the repository root (the file's directory)
  std::string projects_dir;   // Project objects for --project, relative to root
  PlatformSettings platform;
  RuleSet defaults;           // top level: pss baseline, platform on
  std::vector<RuleSet> rule_sets;
  std::vector<PolicyException> exceptions;
};

// The defaults used without a policy file, rooted at `root`.
PolicyFile DefaultPolicy(std::string root);

// Parses policy text; errors name "file:line: field: problem".
Result<PolicyFile> ParsePolicyFile(std::string_view text, std::string_view file);

// Reads and parses `path`.
Result<PolicyFile> LoadPolicyFile(const std::string& path);

// The nearest skiff-policy.yaml in `dir` or one of its parents, or empty.
std::string FindPolicyFile(const std::string& dir);

// Glob match for paths: '*' matches within one path segment, '**' across
// segments, '?' one character.
bool PathGlobMatch(std::string_view pattern, std::string_view text);
// Glob match for names and rule ids: '*' matches any run of characters.
bool NameMatch(std::string_view pattern, std::string_view text);

}  // namespace skiff::policy
