// A policy finding: one rule violated by one rendered object, pointing back at
// the manifest line that produced it so a reviewer can fix it at the source.
#pragma once

#include <string>
#include <string_view>

#include "model/resource.h"

namespace skiff::policy {

enum class Severity { kInfo, kWarning, kError };

// "info" / "warning" / "error".
std::string_view SeverityName(Severity s);

// One violation. Invariant: `rule` is a stable id ("family/name") that policy
// files, exceptions and SARIF rule ids refer to; `origin` is empty only for
// objects that came from no file (generated).
struct Finding {
  std::string rule;  // "pss-baseline/privileged", "platform/image-tag", "tenancy/namespace"
  Severity severity = Severity::kError;
  ResId object;      // the rendered object's identity
  Origin origin;     // source file:line of the manifest (object origin, or the field's own line)
  std::string field;    // "spec.template.spec.containers[name=web].securityContext.privileged"
  std::string message;  // what is wrong, with the offending value
  std::string fix;      // one line: what to do
};

}  // namespace skiff::policy
