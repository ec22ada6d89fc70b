// The name-reference fix-up: after names changed (namePrefix/nameSuffix,
// namespace, content hash), rewrite the fields that refer to the renamed
// objects by name, such as a Deployment's configMapRef or a RoleBinding's
// roleRef and subjects.
//
// A reference at a referrer field holding name N resolves to the objects of
// the referee kind that once were called N (a previous id), reachable from
// the referrer's namespace. Several matches are narrowed to those renamed by
// the same prefixes/suffixes as the referrer; any that remain must agree on
// the new name, else the render fails.
#pragma once

#include <vector>

#include "render/transformer.h"

namespace skiff {

// Declared in render/generators.h and render/transformer.h:
//   Status FixNameReferences(ResourceSet& set, RenderContext& ctx);
//   std::vector<NameReferenceRule> BuiltinNameReferenceRules();

// FixNameReferences with an explicit rule table (for tests and callers that
// hold their own configuration); rewritten scalars are allocated in `arena`.
Status FixNameReferencesWithRules(ResourceSet& set, const std::vector<NameReferenceRule>& rules,
                                  Arena& arena);

}  // namespace skiff
