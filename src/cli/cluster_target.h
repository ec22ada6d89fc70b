// What the verbs that talk to a cluster share: the flags that pick the
// cluster and name the applied set, and the client they open.
#pragma once

#include <memory>
#include <string>

#include "base/result.h"

namespace CLI {
class App;
}
namespace skiff::kube {
class Client;
}

namespace skiff {

// Invariant: `dir` is the rendered kustomization; `app` empty means "named
// after dir", so apply and diff always agree on the set's name.
struct ClusterTarget {
  std::string dir = ".";
  std::string kubeconfig;
  std::string context;
  std::string app;
  std::string inventory_namespace = "skiff-system";

  // The applied set's name: --app, else the directory's base name.
  std::string AppName() const;
  // A client for --kubeconfig/--context, falling back to KUBECONFIG and
  // ~/.kube/config like kubectl.
  Result<std::unique_ptr<kube::Client>> Connect() const;
};

// Registers DIR, --kubeconfig, --context, --app and --inventory-namespace.
void AddClusterTargetOptions(CLI::App& cmd, ClusterTarget& target, const std::string& app_help);

}  // namespace skiff
