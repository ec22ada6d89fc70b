#include "cli/local_command.h"

#include <cstdio>
#include <cstdlib>
#include <memory>

#include "local/local_server.h"
#include "local/workload_controller.h"

namespace skiff {

void AddLocalCommand(CLI::App& app) {
  auto options = std::make_shared<local::LocalOptions>();
  options->data_dir = ".skiff-local";
  CLI::App* cmd = app.add_subcommand("local", "Serve a Kubernetes-compatible API on 127.0.0.1 (HTTPS)");
  cmd->add_option("--data", options->data_dir, "Data directory: store, PKI, kubeconfig")->capture_default_str();
  cmd->add_option("--port", options->port, "Port; 0 picks a free one (written into the kubeconfig)")
      ->capture_default_str();
  cmd->add_option("--faults", options->faults_file, "Fault injection rules file (see docs/local.md)");
  cmd->add_option_function<std::string>(
         "--rollout-delay",
         [options](const std::string& text) {
           auto delay = local::ParseRolloutDelay(text);
           if (!delay) throw CLI::ValidationError("--rollout-delay", "expected a duration such as 500ms or 2s");
           options->rollout_delay = *delay;
         },
         "How long simulated rollouts and Jobs take (default 500ms)");
  cmd->callback([options] {
    Status s = local::RunLocal(*options, [&](int port) {
      std::fprintf(stderr, "skiff local: serving https://127.0.0.1:%d, kubeconfig %s/kubeconfig\n", port,
                   options->data_dir.c_str());
    });
    if (!s.ok()) {
      std::fprintf(stderr, "skiff local: %s\n", s.error().message.c_str());
      std::exit(1);
    }
  });
}

}  // namespace skiff
