#include "cli/cluster_target.h"

#include <CLI/CLI.hpp>

#include <filesystem>

#include "kube/client.h"
#include "kube/kubeconfig.h"

namespace skiff {

std::string ClusterTarget::AppName() const {
  if (!app.empty()) return app;
  std::filesystem::path p = std::filesystem::absolute(dir).lexically_normal();
  std::string name = p.filename().string();
  if (name.empty()) name = p.parent_path().filename().string();
  return name;
}

Result<std::unique_ptr<kube::Client>> ClusterTarget::Connect() const {
  kube::KubeconfigOptions options = kube::KubeconfigOptionsFromEnvironment();
  options.explicit_path = kubeconfig;
  options.context = context;
  Result<kube::RestConfig> config = kube::LoadKubeconfig(options);
  if (!config.ok()) return config.error();
  return kube::Client::Create(*config);
}

void AddClusterTargetOptions(CLI::App& cmd, ClusterTarget& target, const std::string& app_help) {
  cmd.add_option("dir", target.dir, "Kustomization directory (default: current directory)");
  cmd.add_option("--kubeconfig", target.kubeconfig, "Kubeconfig file (default: $KUBECONFIG, ~/.kube/config)");
  cmd.add_option("--context", target.context, "Kubeconfig context to use");
  cmd.add_option("--app", target.app, app_help);
  cmd.add_option("--inventory-namespace", target.inventory_namespace,
                 "Namespace of the inventory Secret skiff-<app>")
      ->capture_default_str();
}

}  // namespace skiff
