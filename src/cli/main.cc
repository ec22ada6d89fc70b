// skiff: the command-line entry point. Verbs parse flags, call a module and
// print; nothing else lives here.
#include <CLI/CLI.hpp>
#include <string_view>

#include "cli/apply_command.h"
#include "cli/build_command.h"
#include "cli/check_command.h"
#include "cli/diff_command.h"
#include "cli/local_command.h"
#include "cli/version_command.h"

namespace {

struct Verb {
  std::string_view name;
  void (*add)(CLI::App&);
};

constexpr Verb kVerbs[] = {
    {"apply", skiff::AddApplyCommand}, {"build", skiff::AddBuildCommand},
    {"check", skiff::AddCheckCommand}, {"diff", skiff::AddDiffCommand},
    {"local", skiff::AddLocalCommand}, {"version", skiff::AddVersionCommand},
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"skiff: GitOps platform engine for Kubernetes"};
  app.require_subcommand(1);
  // Registering every verb's flags costs as much as rendering a small
  // overlay: when the first argument names a verb, only that one is
  // registered (its own --help is unchanged; `skiff --help` lists all).
  std::string_view first = argc > 1 ? argv[1] : "";
  bool named = false;
  for (const Verb& v : kVerbs) named = named || v.name == first;
  for (const Verb& v : kVerbs) {
    if (!named || v.name == first) v.add(app);
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::RuntimeError& e) {
    return e.get_exit_code();
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return 0;
}
