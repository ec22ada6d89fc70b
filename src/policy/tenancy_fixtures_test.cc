// Tenancy against rendered kustomizations: each tests/policy/tenancy/<case>/
// holds a Project (project.yaml), a tenant kustomization (tenant/), the
// findings it must produce (expected.txt: "rule<TAB>Kind/namespace/name<TAB>field"
// per line) and optionally the repository it comes from (source-repo.txt).
// The tenant render is first compared with `kubectl kustomize`, so the
// findings are about what kustomize really produces.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "policy/tenancy.h"
#include "render/render.h"
#include "render/resource_loader.h"

namespace skiff::policy {
namespace {

namespace fs = std::filesystem;

const std::string kSource = SKIFF_SOURCE_DIR;
const std::string kCases = kSource + "/tests/policy/tenancy";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

// stdout of `kubectl kustomize dir`, or nullopt-like empty + false when
// kubectl is not available.
bool KubectlKustomize(const std::string& dir, std::string& out) {
  if (std::system("command -v kubectl >/dev/null 2>&1") != 0) return false;
  std::string cmd = "kubectl kustomize '" + dir + "' 2>/dev/null";
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return false;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
  return pclose(p) == 0;
}

RenderedSet MustRender(const std::string& dir) {
  std::vector<std::string> warnings;
  Result<RenderedSet> set = Render(dir, RenderOptions{}, warnings);
  EXPECT_TRUE(set.ok()) << dir << ": " << (set.ok() ? "" : set.error().message);
  if (!set.ok()) return RenderedSet{std::make_unique<Arena>(), ResourceSet{}, {}};
  return std::move(set).value();
}

std::string Describe(const Finding& f) {
  return f.rule + "\t" + f.object.gvk.kind + "/" + f.object.ns + "/" + f.object.name + "\t" +
         f.field;
}

std::vector<std::string> CaseNames() {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(kCases)) {
    if (e.is_directory()) names.push_back(e.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

class TenancyFixture : public ::testing::TestWithParam<std::string> {};

TEST_P(TenancyFixture, RenderedTenantYieldsExactlyTheExpectedFindings) {
  const std::string dir = kCases + "/" + GetParam();
  RenderedSet tenant = MustRender(dir + "/tenant");
  std::string oracle;
  if (KubectlKustomize(dir + "/tenant", oracle)) {
    EXPECT_EQ(EmitRendered(tenant), oracle) << "skiff and kubectl kustomize disagree on " << dir;
  }

  Arena arena;
  Result<std::vector<Resource>> project_objects =
      LoadResources(ReadFile(dir + "/project.yaml"), dir + "/project.yaml", arena);
  ASSERT_TRUE(project_objects.ok()) << project_objects.error().message;
  ASSERT_EQ(project_objects->size(), 1u);
  Result<Project> project = ParseProject((*project_objects)[0]);
  ASSERT_TRUE(project.ok()) << project.error().message;

  std::string repo = fs::exists(dir + "/source-repo.txt") ? Trim(ReadFile(dir + "/source-repo.txt"))
                                                          : "";
  std::vector<Finding> findings = CheckTenancy(*project, tenant.resources, repo);

  std::vector<std::string> got;
  for (const Finding& f : findings) {
    got.push_back(Describe(f));
    EXPECT_EQ(f.origin.file.rfind(dir, 0), 0u) << "finding should point into the case: "
                                               << f.origin.String();
    EXPECT_GT(f.origin.line, 0u) << Describe(f);
  }
  std::vector<std::string> want;
  std::istringstream expected(ReadFile(dir + "/expected.txt"));
  for (std::string line; std::getline(expected, line);) {
    if (!line.empty()) want.push_back(line);
  }
  std::sort(got.begin(), got.end());
  std::sort(want.begin(), want.end());
  EXPECT_EQ(got, want);
}

INSTANTIATE_TEST_SUITE_P(Cases, TenancyFixture, ::testing::ValuesIn(CaseNames()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string n = info.param;
                           std::replace(n.begin(), n.end(), '-', '_');
                           return n;
                         });

// The example platform: every tenant overlay stays inside its own Project,
// and each Project actually discriminates (another team's overlay fails it).
class ExamplePlatform : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    projects_set_ = new RenderedSet(
        MustRender(kSource + "/examples/platform/system/tenancy/projects"));
    Result<std::vector<Project>> loaded = LoadProjects(projects_set_->resources);
    ASSERT_TRUE(loaded.ok()) << loaded.error().message;
    projects_ = new std::vector<Project>(std::move(loaded).value());
  }
  static void TearDownTestSuite() {
    delete projects_;
    delete projects_set_;
  }

  static std::string Overlay(const std::string& team, const std::string& env) {
    return kSource + "/examples/platform/tenants/" + team + "/overlays/" + env;
  }

  static RenderedSet* projects_set_;
  static std::vector<Project>* projects_;
};
RenderedSet* ExamplePlatform::projects_set_ = nullptr;
std::vector<Project>* ExamplePlatform::projects_ = nullptr;

TEST_F(ExamplePlatform, EveryTenantOverlayStaysInsideItsProject) {
  ASSERT_NE(projects_, nullptr);
  ASSERT_EQ(projects_->size(), 3u);
  for (const char* team : {"payments", "search", "storefront"}) {
    const Project* p = FindProject(*projects_, team);
    ASSERT_NE(p, nullptr) << team;
    for (const char* env : {"dev", "prod"}) {
      RenderedSet set = MustRender(Overlay(team, env));
      ASSERT_FALSE(set.resources.empty());
      std::vector<Finding> fs =
          CheckTenancy(*p, set.resources, "https://git.example.com/platform/platform.git");
      for (const Finding& f : fs) ADD_FAILURE() << team << "/" << env << ": " << Describe(f);
    }
  }
}

TEST_F(ExamplePlatform, AnotherTeamsOverlayBreaksTheProject) {
  ASSERT_NE(projects_, nullptr);
  const Project* search = FindProject(*projects_, "search");
  ASSERT_NE(search, nullptr);
  RenderedSet payments = MustRender(Overlay("payments", "prod"));
  std::vector<Finding> fs = CheckTenancy(*search, payments.resources, "");
  size_t namespace_findings = 0, registry_findings = 0;
  for (const Finding& f : fs) {
    namespace_findings += f.rule == kRuleTenancyNamespace;
    registry_findings += f.rule == kRuleTenancyRegistry;
  }
  EXPECT_EQ(namespace_findings, payments.resources.size());  // every object is in "payments"
  EXPECT_EQ(registry_findings, 2u);  // the api Deployment and the reconcile CronJob
}

}  // namespace
}  // namespace skiff::policy
