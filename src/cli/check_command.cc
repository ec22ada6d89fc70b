#include "cli/check_command.h"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "policy/checker.h"
#include "policy/policy_file.h"
#include "policy/project.h"
#include "policy/report.h"
#include "policy/tenancy.h"
#include "render/render.h"

namespace skiff {
namespace {

namespace fs = std::filesystem;
using policy::PolicyFile;

constexpr int kExitFindings = 1;
constexpr int kExitUsage = 2;

struct CheckFlags {
  std::string dir = ".";
  std::string project;
  std::string projects_dir;
  std::string pss;
  std::string policy_file;
  std::string output = "text";
  std::string today;
};

// The repository root when there is no policy file: the nearest ancestor
// holding .git, else DIR itself.
std::string GuessRoot(const std::string& dir) {
  std::error_code ec;
  fs::path p = fs::absolute(dir, ec).lexically_normal();
  for (fs::path q = p; !q.empty(); q = q.parent_path()) {
    if (fs::exists(q / ".git", ec)) return q.string();
    if (q.parent_path() == q) break;
  }
  return p.string();
}

Result<PolicyFile> ResolvePolicy(const CheckFlags& flags) {
  std::string path = flags.policy_file.empty() ? policy::FindPolicyFile(flags.dir) : flags.policy_file;
  if (path.empty()) return policy::DefaultPolicy(GuessRoot(flags.dir));
  return policy::LoadPolicyFile(path);
}

Result<RenderedSet> RenderDir(const std::string& dir) {
  std::vector<std::string> warnings;
  Result<RenderedSet> rendered = Render(dir, RenderOptions{}, warnings);
  for (const std::string& w : warnings) std::fprintf(stderr, "%s\n", w.c_str());
  if (!rendered.ok()) return rendered.error().Wrap("render " + dir);
  return rendered;
}

// Tenancy findings for `flags.project`, found among the Projects rendered
// from --projects (or the policy file's projects directory).
Result<std::vector<policy::Finding>> TenancyFindings(const CheckFlags& flags, const PolicyFile& pf,
                                                     const ResourceSet& set) {
  std::string dir = flags.projects_dir;
  if (dir.empty() && !pf.projects_dir.empty()) dir = (fs::path(pf.root) / pf.projects_dir).string();
  if (dir.empty()) {
    return MakeError("--project needs --projects DIR or `projects:` in the policy file");
  }
  SKIFF_ASSIGN_OR_RETURN(RenderedSet projects_render, RenderDir(dir));
  SKIFF_ASSIGN_OR_RETURN(std::vector<policy::Project> projects,
                         policy::LoadProjects(projects_render.resources));
  const policy::Project* p = policy::FindProject(projects, flags.project);
  if (p == nullptr) return MakeError("no Project named " + flags.project + " in " + dir);
  return policy::CheckTenancy(*p, set, "");
}

int RunCheck(const CheckFlags& flags) {
  Result<PolicyFile> pf = ResolvePolicy(flags);
  if (!pf.ok()) {
    std::fprintf(stderr, "Error: %s\n", pf.error().message.c_str());
    return kExitUsage;
  }
  Result<RenderedSet> rendered = RenderDir(flags.dir);
  if (!rendered.ok()) {
    std::fprintf(stderr, "Error: %s\n", rendered.error().message.c_str());
    return kExitUsage;
  }
  policy::CheckOptions options;
  if (!flags.pss.empty()) options.pss_override = policy::ParsePssLevel(flags.pss);
  options.today = flags.today;
  std::vector<policy::Finding> extra;
  if (!flags.project.empty()) {
    Result<std::vector<policy::Finding>> tenancy = TenancyFindings(flags, *pf, rendered->resources);
    if (!tenancy.ok()) {
      std::fprintf(stderr, "Error: %s\n", tenancy.error().message.c_str());
      return kExitUsage;
    }
    extra = std::move(*tenancy);
  }
  policy::CheckResult result = policy::Check(rendered->resources, *pf, options, std::move(extra));
  std::string out = flags.output == "json"    ? policy::FormatJson(result, pf->root)
                    : flags.output == "sarif" ? policy::FormatSarif(result, pf->root)
                                              : policy::FormatText(result, pf->root);
  std::fwrite(out.data(), 1, out.size(), stdout);
  std::fflush(stdout);
  return result.HasErrors() ? kExitFindings : 0;
}

}  // namespace

void AddCheckCommand(CLI::App& app) {
  auto flags = std::make_shared<CheckFlags>();
  CLI::App* cmd = app.add_subcommand(
      "check", "Check a rendered kustomization against Pod Security Standards, platform rules, "
               "the policy file and tenant projects");
  cmd->add_option("dir", flags->dir, "Kustomization directory (default: current directory)");
  cmd->add_option("--project", flags->project, "Check tenant boundaries of this Project");
  cmd->add_option("--projects", flags->projects_dir,
                  "Kustomization rendering the Project objects (default: policy file `projects`)");
  cmd->add_option("--pss", flags->pss, "Pod Security Standards level for every object")
      ->check(CLI::IsMember({"privileged", "baseline", "restricted"}));
  cmd->add_option("--policy", flags->policy_file,
                  "Policy file (default: nearest skiff-policy.yaml above DIR)");
  cmd->add_option("--output,-o", flags->output, "Output format")
      ->check(CLI::IsMember({"text", "json", "sarif"}));
  cmd->add_option("--today", flags->today, "Date (YYYY-MM-DD) to judge exception expiry by");
  cmd->callback([flags]() {
    int code = RunCheck(*flags);
    if (code != 0) throw CLI::RuntimeError(code);
  });
}

}  // namespace skiff
