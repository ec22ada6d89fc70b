#include "local/workload_defaults.h"

namespace skiff::local {

void DefaultWorkloadSpec(const ApiResource& res, Node* object, Arena& arena) {
  bool stateful = res.kind == "StatefulSet";
  if (res.group != "apps" || (!stateful && res.kind != "DaemonSet")) return;
  if (!object->IsMap()) return;
  Node* spec = object->Get("spec");
  if (spec == nullptr || !spec->IsMap()) return;
  Node* strategy = arena.GetOrCreateMap(spec, "updateStrategy");
  if (!strategy->IsMap()) return;
  if (strategy->Get("type") != nullptr) return;
  strategy->Set("type", arena.NewString("RollingUpdate"));
  if (strategy->Get("rollingUpdate") != nullptr) return;
  Node* rolling = arena.NewMap();
  if (stateful) {
    rolling->Set("partition", arena.NewInt(0));
  } else {
    rolling->Set("maxUnavailable", arena.NewInt(1));
    rolling->Set("maxSurge", arena.NewInt(0));
  }
  strategy->Set("rollingUpdate", rolling);
}

}  // namespace skiff::local
