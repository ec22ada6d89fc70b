// `skiff local` as a whole: opens the data directory, brings up the PKI,
// the store and the background controllers, writes the kubeconfig, then
// serves until signalled.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "base/result.h"

namespace skiff::local {

struct LocalOptions {
  std::string data_dir;     // created if missing
  int port = 0;             // 0: any free port
  std::string faults_file;  // optional fault rules (fault_injector.h)
  // How long simulated rollouts take (workload_controller.h).
  std::chrono::milliseconds rollout_delay{500};
};

// Serves until SIGINT/SIGTERM. `on_ready` runs once the kubeconfig at
// data_dir/kubeconfig is written and requests are accepted, with the port.
Status RunLocal(const LocalOptions& options, const std::function<void(int port)>& on_ready = {});

}  // namespace skiff::local
