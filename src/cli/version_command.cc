#include "cli/version_command.h"

#include <CLI/CLI.hpp>
#include <cstdio>

namespace skiff {

void AddVersionCommand(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand("version", "Print the skiff version");
  cmd->callback([]() {
    std::printf("skiff %s (renders like kustomize %s)\n", kSkiffVersion, kKustomizeCompatVersion);
  });
}

}  // namespace skiff
