// skiff: the command-line entry point. Verbs parse flags, call a module and
// print; nothing else lives here.
#include <CLI/CLI.hpp>

#include "cli/apply_command.h"
#include "cli/build_command.h"
#include "cli/check_command.h"
#include "cli/diff_command.h"
#include "cli/local_command.h"
#include "cli/version_command.h"

int main(int argc, char** argv) {
  CLI::App app{"skiff: GitOps platform engine for Kubernetes"};
  app.require_subcommand(1);
  skiff::AddApplyCommand(app);
  skiff::AddBuildCommand(app);
  skiff::AddCheckCommand(app);
  skiff::AddDiffCommand(app);
  skiff::AddLocalCommand(app);
  skiff::AddVersionCommand(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::RuntimeError& e) {
    return e.get_exit_code();
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return 0;
}
