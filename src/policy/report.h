// Writes check results for people (text), for scripts (json) and for code
// scanning tools (SARIF 2.1.0). Paths are shown relative to the repository
// root so they match what a pull request shows.
#pragma once

#include <string>

#include "policy/checker.h"

namespace skiff::policy {

// "file:line: error [rule] kind/ns/name field: message (fix: ...)", grouped
// by file, then a summary line.
std::string FormatText(const CheckResult& result, const std::string& root);

// {"findings":[{rule, severity, object{...}, file, line, field, message, fix}], "summary":{...}}
std::string FormatJson(const CheckResult& result, const std::string& root);

// A SARIF 2.1.0 log with one run: tool.driver.rules for every rule that
// fired, one result per finding with a physical location relative to the
// repository root.
std::string FormatSarif(const CheckResult& result, const std::string& root);

// "Kind/ns/name" (or "Kind/name" for cluster-scoped objects).
std::string ObjectLabel(const ResId& id);

// `file` relative to `root` with '/' separators, or `file` unchanged when it
// lies outside.
std::string RelativePath(const std::string& root, const std::string& file);

}  // namespace skiff::policy
