#include "cli/diff_command.h"

#include <CLI/CLI.hpp>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "kube/client.h"
#include "kube/kubeconfig.h"
#include "render/render.h"
#include "sync/differ.h"
#include "yaml/yaml.h"

namespace skiff {
namespace {

constexpr int kExitNoChanges = 0;
constexpr int kExitChanges = 1;
constexpr int kExitError = 2;

struct DiffFlags {
  std::string dir = ".";
  std::string kubeconfig;
  std::string context;
  std::string app;
  std::string inventory_namespace = "skiff-system";
  std::string output = "text";
  bool color = false;
  bool no_color = false;
};

// The applied set's name, as `skiff apply` derives it.
std::string AppName(const DiffFlags& flags) {
  if (!flags.app.empty()) return flags.app;
  std::filesystem::path p = std::filesystem::absolute(flags.dir).lexically_normal();
  std::string name = p.filename().string();
  if (name.empty()) name = p.parent_path().filename().string();
  return name;
}

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
  Result<RenderedSet> rendered = Render(flags.dir, RenderOptions{}, warnings);
  for (const std::string& w : warnings) std::fprintf(stderr, "%s\n", w.c_str());
  if (!rendered.ok()) return Fail(flags, rendered.error().message);

  kube::KubeconfigOptions kube_options = kube::KubeconfigOptionsFromEnvironment();
  kube_options.explicit_path = flags.kubeconfig;
  kube_options.context = flags.context;
  Result<kube::RestConfig> config = kube::LoadKubeconfig(kube_options);
  if (!config.ok()) return Fail(flags, config.error().message);
  std::unique_ptr<kube::Client> client = kube::Client::Create(*config);

  sync::DiffOptions options;
  options.app = AppName(flags);
  options.inventory_namespace = flags.inventory_namespace;
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
  cmd->add_option("dir", flags->dir, "Kustomization directory (default: current directory)");
  cmd->add_option("--kubeconfig", flags->kubeconfig, "Kubeconfig file (default: $KUBECONFIG, ~/.kube/config)");
  cmd->add_option("--context", flags->context, "Kubeconfig context to use");
  cmd->add_option("--app", flags->app, "Name of the applied set, for the prune preview (default: the directory's name)");
  cmd->add_option("--inventory-namespace", flags->inventory_namespace,
                  "Namespace of the inventory Secret skiff-<app>")->capture_default_str();
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
