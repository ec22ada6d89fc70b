#include "local/admission.h"

#include "local/crd_schema_validation.h"
#include "local/workload_defaults.h"

namespace skiff::local {

std::optional<HttpResponse> AdmitObject(const ControlPlane& cp, const ApiResource& res, Node* object, Arena& arena) {
  if (res.custom) return AdmitCustomResource(cp, res, object, arena);
  DefaultWorkloadSpec(res, object, arena);
  return std::nullopt;
}

}  // namespace skiff::local
