// Runs an external program (exec credential plugins) behind an interface, so
// tests can count invocations or fail them on purpose.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "base/result.h"

namespace skiff::kube {

struct ProcessOutput {
  int exit_code = 0;
  std::string stdout_text;
  std::string stderr_text;
};

class ProcessRunner {
 public:
  virtual ~ProcessRunner() = default;
  // Runs argv[0] (searched in PATH when it has no slash) with the current
  // environment plus `extra_env`, no stdin, and collects its output.
  virtual Result<ProcessOutput> Run(const std::vector<std::string>& argv,
                                    const std::vector<std::pair<std::string, std::string>>& extra_env) = 0;
};

// Fork/exec with pipes; output capped at 4 MiB per stream.
ProcessRunner& SystemProcessRunner();

}  // namespace skiff::kube
