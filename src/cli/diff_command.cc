#include "cli/diff_command.h"

#include <CLI/CLI.hpp>
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "cli/cluster_target.h"
#include "kube/client.h"
#include "render/render.h"
#include "sync/differ.h"
#include "yaml/yaml.h"

namespace skiff {
namespace {

constexpr int kExitNoChanges = 0;
constexpr int kExitChanges = 1;
constexpr int kExitError = 2;

struct DiffFlags {
  ClusterTarget target;
  std::string output = "text";
  bool color = false;
  bool no_color = false;
};

Node* Str(Arena& arena, std::string_view text) { return arena.NewString(arena.Str(text)); }

void PrintJson(const sync::DiffReport& report, const std::string& error) {
  Arena arena;
  Node* root = arena.NewMap();
  root->Set(InternKey("changed"), arena.NewBool(report.HasChanges()));
  if (!error.empty()) root->Set(InternKey("error"), Str(arena, error));
  Node* objects = arena.NewSeq();
  for (const sync::ObjectDiff& d : report.objects) {
    Node* item = arena.NewMap();
    item->Set(InternKey("action"), Str(arena, sync::DiffActionName(d.action)));
    item->Set(InternKey("apiVersion"), Str(arena, d.id.gvk.ApiVersion()));
    item->Set(InternKey("kind"), Str(arena, d.id.gvk.kind));
    if (!d.id.ns.empty()) item->Set(InternKey("namespace"), Str(arena, d.id.ns));
    item->Set(InternKey("name"), Str(arena, d.id.name));
    if (!d.origin.empty()) item->Set(InternKey("origin"), Str(arena, d.origin));
    if (!d.diff.empty()) item->Set(InternKey("diff"), Str(arena, d.diff));
    if (!d.error.empty()) item->Set(InternKey("error"), Str(arena, d.error));
    objects->Append(item);
  }
  root->Set(InternKey("objects"), objects);
  std::string out;
  EmitJson(root, out);
  std::printf("%s\n", out.c_str());
}

void PrintText(const sync::DiffReport& report) {
  for (const sync::ObjectDiff& d : report.objects) {
    if (d.action == sync::DiffAction::kFailed) {
      std::fprintf(stderr, "Error: %s%s%s: %s\n", d.origin.c_str(), d.origin.empty() ? "" : ": ",
                   sync::DiffPath(d.id).c_str(), d.error.c_str());
      continue;
    }
    std::fwrite(d.diff.data(), 1, d.diff.size(), stdout);
  }
}

int Fail(const DiffFlags& flags, const std::string& message) {
  if (flags.output == "json") PrintJson(sync::DiffReport{}, message);
  std::fprintf(stderr, "Error: %s\n", message.c_str());
  return kExitError;
}

int RunDiff(const DiffFlags& flags) {
  std::vector<std::string> warnings;
  Result<RenderedSet> rendered = Render(flags.target.dir, RenderOptions{}, warnings);
  for (const std::string& w : warnings) std::fprintf(stderr, "%s\n", w.c_str());
  if (!rendered.ok()) return Fail(flags, rendered.error().message);

  Result<std::unique_ptr<kube::Client>> connected = flags.target.Connect();
  if (!connected.ok()) return Fail(flags, connected.error().message);
  std::unique_ptr<kube::Client> client = std::move(*connected);

  sync::DiffOptions options;
  options.app = flags.target.AppName();
  options.inventory_namespace = flags.target.inventory_namespace;
  options.color = flags.output == "text" && !flags.no_color && (flags.color || isatty(fileno(stdout)));
  Result<sync::DiffReport> report = sync::DiffAgainstCluster(*client, rendered->resources, options);
  if (!report.ok()) return Fail(flags, report.error().message);
  if (flags.output == "json") PrintJson(*report, "");
  else PrintText(*report);
  std::fflush(stdout);
  if (report->HasFailures()) return kExitError;
  return report->HasChanges() ? kExitChanges : kExitNoChanges;
}

}  // namespace

void AddDiffCommand(CLI::App& app) {
  auto flags = std::make_shared<DiffFlags>();
  CLI::App* cmd = app.add_subcommand(
      "diff", "Show what applying DIR would change in the cluster (exit 0: none, 1: changes, 2: error)");
  AddClusterTargetOptions(*cmd, flags->target, "Name of the applied set, for the prune preview (default: the directory's name)");
  cmd->add_option("--output,-o", flags->output, "text or json")
      ->check(CLI::IsMember({"text", "json"}))->capture_default_str();
  cmd->add_flag("--color", flags->color, "Colour the diff even when stdout is not a terminal");
  cmd->add_flag("--no-color", flags->no_color, "Never colour the diff");
  cmd->callback([flags]() {
    int code = RunDiff(*flags);
    if (code != 0) throw CLI::RuntimeError(code);
  });
}

}  // namespace skiff
