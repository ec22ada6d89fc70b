// Kubernetes schema knowledge kustomize relies on, generated at build time
// from the Kubernetes v1.21.2 OpenAPI definitions.
#pragma once

#include <string_view>

#include "model/resource.h"

namespace skiff {

// True when the schema knows `gvk` as cluster-scoped. Unknown kinds are
// namespaced, as in kustomize.
bool IsClusterScoped(const Gvk& gvk);

}  // namespace skiff
