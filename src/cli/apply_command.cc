#include "cli/apply_command.h"

#include <CLI/CLI.hpp>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/version_command.h"
#include "cli/cluster_target.h"
#include "kube/client.h"
#include "policy/checker.h"
#include "policy/finding.h"
#include "policy/report.h"
#include "render/render.h"
#include "sync/applier.h"
#include "sync/wait.h"
#include "yaml/yaml.h"

namespace skiff {
namespace {

struct ApplyFlags {
  ClusterTarget target;
  std::string timeout = "5m";
  std::string output = "text";
  bool prune = false;
  bool allow_empty = false;
  bool wait = false;
  bool dry_run = false;
  bool skip_check = false;
};

// "90" (seconds), "500ms", "30s", "5m", "1h".
Result<std::chrono::milliseconds> ParseTimeout(const std::string& text) {
  size_t digits = 0;
  while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) ++digits;
  std::string unit = text.substr(digits);
  if (digits == 0 || digits > 9) return MakeError("--timeout: \"" + text + "\" is not a duration");
  long long n = std::stoll(text.substr(0, digits));
  if (unit == "ms") return std::chrono::milliseconds(n);
  if (unit.empty() || unit == "s") return std::chrono::milliseconds(n * 1000);
  if (unit == "m") return std::chrono::milliseconds(n * 60000);
  if (unit == "h") return std::chrono::milliseconds(n * 3600000);
  return MakeError("--timeout: \"" + text + "\" is not a duration (use 90s, 5m, 1h)");
}

std::string ObjectText(const ResId& id) {
  std::string s = id.gvk.kind + "/" + id.name;
  if (!id.ns.empty()) s += " (" + id.ns + ")";
  return s;
}

void PrintText(const sync::ApplyReport& report, const ApplyFlags& flags,
               const sync::WaitOutcome* wait, double seconds) {
  const char* dry = flags.dry_run ? " (dry run)" : "";
  for (const sync::ObjectReport& o : report.objects) {
    std::string line = std::string(sync::OutcomeName(o.outcome)) + " " + ObjectText(o.id) + dry;
    if (o.outcome == sync::ObjectOutcome::kFailed) {
      line += ": ";
      if (!o.origin.empty()) line += o.origin + ": ";
      line += o.message;
    } else if (!o.message.empty()) {
      line += " [" + o.message + "]";
    }
    std::printf("%s\n", line.c_str());
  }
  for (const std::string& note : report.notes) std::printf("note: %s\n", note.c_str());
  if (wait != nullptr) {
    for (const auto& [id, health] : wait->objects) {
      if (health.health == sync::Health::kHealthy) continue;
      std::printf("not healthy %s: %s%s%s\n", ObjectText(id).c_str(),
                  std::string(sync::HealthName(health.health)).c_str(),
                  health.reason.empty() ? "" : ": ", health.reason.c_str());
    }
  }
  std::printf(
      "%s: %d created, %d configured, %d unchanged, %d pruned, %d failed; %d writes; "
      "inventory %s; %.2fs%s\n",
      report.ok() && (wait == nullptr || wait->all_healthy) ? "apply succeeded" : "apply FAILED",
      report.Count(sync::ObjectOutcome::kCreated), report.Count(sync::ObjectOutcome::kConfigured),
      report.Count(sync::ObjectOutcome::kUnchanged), report.Count(sync::ObjectOutcome::kPruned),
      report.Count(sync::ObjectOutcome::kFailed), report.writes, report.inventory.c_str(), seconds,
      wait == nullptr       ? ""
      : wait->all_healthy   ? "; all healthy"
      : wait->timed_out     ? "; health wait timed out"
                            : "; not all healthy");
}

Node* Str(Arena& arena, std::string_view text) { return arena.NewString(arena.Str(text)); }

void PrintJson(const sync::ApplyReport& report, const ApplyFlags& flags,
               const sync::WaitOutcome* wait, double seconds) {
  Arena arena;
  Node* root = arena.NewMap();
  bool ok = report.ok() && (wait == nullptr || wait->all_healthy);
  root->Set(InternKey("succeeded"), arena.NewBool(ok));
  root->Set(InternKey("dryRun"), arena.NewBool(flags.dry_run));
  root->Set(InternKey("applySetId"), Str(arena, report.applyset_id));
  root->Set(InternKey("inventory"), Str(arena, report.inventory));
  Node* objects = arena.NewSeq();
  for (const sync::ObjectReport& o : report.objects) {
    Node* item = arena.NewMap();
    item->Set(InternKey("action"), Str(arena, sync::OutcomeName(o.outcome)));
    item->Set(InternKey("apiVersion"), Str(arena, o.id.gvk.ApiVersion()));
    item->Set(InternKey("kind"), Str(arena, o.id.gvk.kind));
    if (!o.id.ns.empty()) item->Set(InternKey("namespace"), Str(arena, o.id.ns));
    item->Set(InternKey("name"), Str(arena, o.id.name));
    if (!o.origin.empty()) item->Set(InternKey("origin"), Str(arena, o.origin));
    if (!o.message.empty()) item->Set(InternKey("message"), Str(arena, o.message));
    objects->Append(item);
  }
  root->Set(InternKey("objects"), objects);
  Node* notes = arena.NewSeq();
  for (const std::string& n : report.notes) notes->Append(Str(arena, n));
  root->Set(InternKey("notes"), notes);
  Node* summary = arena.NewMap();
  for (auto outcome : {sync::ObjectOutcome::kCreated, sync::ObjectOutcome::kConfigured,
                       sync::ObjectOutcome::kUnchanged, sync::ObjectOutcome::kPruned,
                       sync::ObjectOutcome::kFailed}) {
    summary->Set(InternKey(sync::OutcomeName(outcome)), arena.NewInt(report.Count(outcome)));
  }
  summary->Set(InternKey("writes"), arena.NewInt(report.writes));
  summary->Set(InternKey("validationFailed"), arena.NewBool(report.validation_failed));
  summary->Set(InternKey("pruneSkipped"), arena.NewBool(report.prune_skipped));
  summary->Set(InternKey("elapsedSeconds"),
               arena.NewScalar(NodeKind::kFloat, arena.Str(std::to_string(seconds))));
  root->Set(InternKey("summary"), summary);
  if (wait != nullptr) {
    Node* health = arena.NewMap();
    health->Set(InternKey("allHealthy"), arena.NewBool(wait->all_healthy));
    health->Set(InternKey("timedOut"), arena.NewBool(wait->timed_out));
    Node* items = arena.NewSeq();
    for (const auto& [id, status] : wait->objects) {
      Node* item = arena.NewMap();
      item->Set(InternKey("kind"), Str(arena, id.gvk.kind));
      if (!id.ns.empty()) item->Set(InternKey("namespace"), Str(arena, id.ns));
      item->Set(InternKey("name"), Str(arena, id.name));
      item->Set(InternKey("health"), Str(arena, sync::HealthName(status.health)));
      if (!status.reason.empty()) item->Set(InternKey("reason"), Str(arena, status.reason));
      items->Append(item);
    }
    health->Set(InternKey("objects"), items);
    root->Set(InternKey("health"), health);
  }
  std::string out;
  EmitJson(root, out);
  std::printf("%s\n", out.c_str());
}

int Fail(const ApplyFlags& flags, const std::string& message) {
  if (flags.output == "json") {
    Arena arena;
    Node* root = arena.NewMap();
    root->Set(InternKey("succeeded"), arena.NewBool(false));
    root->Set(InternKey("error"), Str(arena, message));
    std::string out;
    EmitJson(root, out);
    std::printf("%s\n", out.c_str());
  }
  std::fprintf(stderr, "Error: %s\n", message.c_str());
  return 1;
}

// The same rules as `skiff check` (policy file above DIR, or the defaults)
// decide before anything reaches the cluster: a set with error findings is
// refused whole, so a policy violation never lands half-applied.
std::optional<int> RefuseOnPolicyErrors(const ApplyFlags& flags, const ResourceSet& set) {
  Result<policy::CheckResult> checked = policy::CheckWithRepositoryPolicy(set, flags.target.dir);
  if (!checked.ok()) return Fail(flags, "policy: " + checked.error().message);
  if (!checked->HasErrors()) return std::nullopt;
  for (const policy::Finding& f : checked->findings) {
    if (f.severity != policy::Severity::kError) continue;
    std::fprintf(stderr, "%s: error [%s] %s %s: %s (fix: %s)\n", f.origin.String().c_str(),
                 f.rule.c_str(), policy::ObjectLabel(f.object).c_str(), f.field.c_str(),
                 f.message.c_str(), f.fix.c_str());
  }
  return Fail(flags, std::to_string(checked->Count(policy::Severity::kError)) +
                         " policy error(s) (see `skiff check`); nothing was applied");
}

int RunApply(const ApplyFlags& flags) {
  auto started = std::chrono::steady_clock::now();
  auto timeout = ParseTimeout(flags.timeout);
  if (!timeout.ok()) return Fail(flags, timeout.error().message);
  std::vector<std::string> warnings;
  Result<RenderedSet> rendered = Render(flags.target.dir, RenderOptions{}, warnings);
  for (const std::string& w : warnings) std::fprintf(stderr, "%s\n", w.c_str());
  if (!rendered.ok()) return Fail(flags, rendered.error().message);
  if (!flags.skip_check) {
    if (std::optional<int> refused = RefuseOnPolicyErrors(flags, rendered->resources)) return *refused;
  }

  Result<std::unique_ptr<kube::Client>> connected = flags.target.Connect();
  if (!connected.ok()) return Fail(flags, connected.error().message);
  std::unique_ptr<kube::Client> client = std::move(*connected);

  sync::ApplyRequest request;
  request.app = flags.target.AppName();
  request.inventory_namespace = flags.target.inventory_namespace;
  request.tooling_version = kSkiffVersion;
  request.prune = flags.prune;
  request.allow_empty = flags.allow_empty;
  request.dry_run = flags.dry_run;
  request.crd_timeout = *timeout;
  Result<sync::ApplyReport> report =
      sync::ApplyResources(*client, rendered->resources, *rendered->arena, request);
  if (!report.ok()) return Fail(flags, report.error().message);

  std::optional<sync::WaitOutcome> waited;
  if (flags.wait && !flags.dry_run && !report->validation_failed) {
    sync::WaitOptions wait_options;
    wait_options.timeout = *timeout;
    wait_options.live_progress = flags.output == "text" && isatty(fileno(stderr));
    wait_options.out = flags.output == "text" ? stderr : nullptr;
    Result<sync::WaitOutcome> outcome = sync::WaitForHealthy(*client, report->applied, wait_options);
    if (!outcome.ok()) return Fail(flags, "waiting for health: " + outcome.error().message);
    waited = std::move(*outcome);
  }
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const sync::WaitOutcome* wait = waited ? &*waited : nullptr;
  if (flags.output == "json") {
    PrintJson(*report, flags, wait, seconds);
  } else {
    PrintText(*report, flags, wait, seconds);
  }
  std::fflush(stdout);
  return report->ok() && (wait == nullptr || wait->all_healthy) ? 0 : 1;
}

}  // namespace

void AddApplyCommand(CLI::App& app) {
  auto flags = std::make_shared<ApplyFlags>();
  CLI::App* cmd = app.add_subcommand(
      "apply", "Render DIR and converge the cluster to it: validate, apply in order, prune, wait");
  AddClusterTargetOptions(*cmd, flags->target, "Name of the applied set (default: the directory's name)");
  cmd->add_flag("--prune", flags->prune, "Delete objects of this applied set the render no longer has");
  cmd->add_flag("--allow-empty", flags->allow_empty, "Allow --prune with an empty render (deletes everything)");
  cmd->add_flag("--wait", flags->wait, "Wait until every applied object is healthy");
  cmd->add_option("--timeout", flags->timeout, "Limit for --wait and for CRDs to be established (90s, 5m)")
      ->capture_default_str();
  cmd->add_flag("--dry-run", flags->dry_run, "Validate on the server and show what would change; write nothing");
  cmd->add_flag("--skip-check", flags->skip_check,
                "Apply even when the policy check finds errors (the check runs by default)");
  cmd->add_option("--output,-o", flags->output, "text or json")
      ->check(CLI::IsMember({"text", "json"}))->capture_default_str();
  cmd->callback([flags]() {
    int code = RunApply(*flags);
    if (code != 0) throw CLI::RuntimeError(code);
  });
}

}  // namespace skiff
