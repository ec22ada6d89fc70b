// `skiff local`: the embedded Kubernetes API server on loopback.
#pragma once

#include <CLI/CLI.hpp>

namespace skiff {

void AddLocalCommand(CLI::App& app);

}  // namespace skiff
