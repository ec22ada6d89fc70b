#include "cli/build_command.h"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <string>
#include <vector>

#include "render/render.h"

namespace skiff {
namespace {

struct BuildFlags {
  std::string dir = ".";
  std::string order;
};

int RunBuild(const BuildFlags& flags) {
  RenderOptions options;
  if (flags.order == "legacy") options.order = RenderOptions::OrderOverride::kLegacy;
  if (flags.order == "fifo") options.order = RenderOptions::OrderOverride::kFifo;
  options.check_json_when_written = true;
  std::vector<std::string> warnings;
  Result<RenderedSet> rendered = Render(flags.dir, options, warnings);
  for (const std::string& w : warnings) std::fprintf(stderr, "%s\n", w.c_str());
  if (!rendered.ok()) {
    std::fprintf(stderr, "Error: %s\n", rendered.error().message.c_str());
    return 1;
  }
  bool written = true;
  Status checked = WriteRendered(*rendered, [&](std::string_view piece) {
    written = std::fwrite(piece.data(), 1, piece.size(), stdout) == piece.size() && written;
  });
  if (!checked.ok()) {
    std::fprintf(stderr, "Error: %s\n", checked.error().message.c_str());
    return 1;
  }
  // The process ends next: handing every arena back to the allocator would
  // cost a few milliseconds the operating system saves at exit. Kept
  // reachable, so leak checkers do not report it.
  [[maybe_unused]] static RenderedSet* kept_until_exit = nullptr;
  kept_until_exit = new RenderedSet(std::move(*rendered));
  return std::fflush(stdout) == 0 && written ? 0 : 1;
}

}  // namespace

void AddBuildCommand(CLI::App& app) {
  auto flags = std::make_shared<BuildFlags>();
  CLI::App* cmd = app.add_subcommand(
      "build", "Render a kustomization directory exactly as `kustomize build` prints it");
  cmd->add_option("dir", flags->dir, "Kustomization directory (default: current directory)");
  cmd->add_option("--order", flags->order,
                  "Output order, overriding the kustomization's sortOptions")
      ->check(CLI::IsMember({"legacy", "fifo"}));
  cmd->callback([flags]() {
    int code = RunBuild(*flags);
    if (code != 0) throw CLI::RuntimeError(code);
  });
}

}  // namespace skiff
