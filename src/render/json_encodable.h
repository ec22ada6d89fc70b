// The check kustomize applies when it turns each output object into JSON:
// objects that cannot make that trip fail the build instead of printing.
#pragma once

#include "base/result.h"
#include "model/resource.h"

namespace skiff {

// Fails when the object holds a float that is infinite or NaN (JSON has no
// such numbers) or a string or key containing a character that JSON writes
// unescaped but YAML forbids in a stream (U+007F, the C1 controls except
// U+0085, U+FFFE, U+FFFF). The error names the file:line of the value, or
// the object's origin for values a transformer made.
Status CheckJsonEncodable(const Resource& resource);

}  // namespace skiff
