// Every PSS control and platform rule against its fixture pair
// (tests/policy/fixtures/<rule>/{pass,fail}.yaml): the failing file must add
// exactly the expected (rule, field) findings to what the passing file yields,
// the passing file must not trip the rule, and the first finding must point
// at the manifest line holding the offending field.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include "policy/checker.h"
#include "policy/rule_catalog.h"
#include "yaml/yaml.h"

namespace skiff::policy {
namespace {

struct Expected {
  std::string rule;
  std::string field;
};

struct FixtureCase {
  std::string dir;
  std::vector<Expected> adds;
  std::string line_contains;  // text on the line the first expected finding points at
};

std::string Read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

struct Loaded {
  Arena arena;
  ResourceSet set;
  std::string text;
};

void Load(const std::string& path, Loaded& out) {
  out.text = Read(path);
  ASSERT_FALSE(out.text.empty()) << path;
  Result<std::vector<YamlDocument>> docs = ParseYamlStream(out.text, path, out.arena);
  ASSERT_TRUE(docs.ok()) << docs.error().message;
  for (const YamlDocument& d : *docs) {
    if (d.root == nullptr) continue;
    Resource r;
    r.root = d.root;
    r.origin = Origin{path, d.pos.line};
    ASSERT_TRUE(out.set.Add(std::move(r)).ok());
  }
}

using Key = std::pair<std::string, std::string>;

std::map<Key, int> Count(const std::vector<Finding>& fs) {
  std::map<Key, int> out;
  for (const Finding& f : fs) ++out[{f.rule, f.field}];
  return out;
}

std::string Line(const std::string& text, uint32_t line) {
  std::istringstream in(text);
  std::string l;
  for (uint32_t i = 0; i < line && std::getline(in, l); ++i) {
  }
  return l;
}

PlatformSettings Settings() {
  PlatformSettings s;
  s.allowed_registries = {"registry.example.com"};
  return s;
}

const std::string kDep = "spec.template.spec";
const std::string kApp = ".containers[name=app]";

const std::vector<FixtureCase>& Cases() {
  static const std::vector<FixtureCase> cases = {
      {"pss-baseline-host-process",
       {{"pss-baseline/host-process", "spec.securityContext.windowsOptions.hostProcess"}}, "hostProcess: true"},
      {"pss-baseline-host-namespaces", {{"pss-baseline/host-namespaces", kDep + ".hostNetwork"}},
       "hostNetwork: true"},
      {"pss-baseline-privileged", {{"pss-baseline/privileged", kDep + kApp + ".securityContext.privileged"}},
       "privileged: true"},
      {"pss-baseline-capabilities",
       {{"pss-baseline/capabilities", kDep + ".initContainers[name=init].securityContext.capabilities.add"}},
       "SYS_ADMIN"},
      {"pss-baseline-host-path-volumes",
       {{"pss-baseline/host-path-volumes", kDep + ".volumes[name=host].hostPath"},
        {"pss-restricted/volume-types", kDep + ".volumes[name=host].hostPath"}},
       "hostPath:"},
      {"pss-baseline-host-ports", {{"pss-baseline/host-ports", kDep + kApp + ".ports[name=http].hostPort"}},
       "hostPort: 8080"},
      {"pss-baseline-apparmor",
       {{"pss-baseline/apparmor",
         "spec.jobTemplate.spec.template.spec" + kApp + ".securityContext.appArmorProfile.type"}},
       "type: Unconfined"},
      {"pss-baseline-apparmor-annotation",
       {{"pss-baseline/apparmor", "metadata.annotations[container.apparmor.security.beta.kubernetes.io/app]"}},
       "unconfined"},
      {"pss-baseline-selinux", {{"pss-baseline/selinux", "template.spec.securityContext.seLinuxOptions.type"}},
       "type: spc_t"},
      {"pss-baseline-selinux-role",
       {{"pss-baseline/selinux", kDep + kApp + ".securityContext.seLinuxOptions.role"}}, "role: sysadm_r"},
      {"pss-baseline-proc-mount", {{"pss-baseline/proc-mount", kDep + kApp + ".securityContext.procMount"}},
       "procMount: Unmasked"},
      {"pss-baseline-seccomp",
       {{"pss-baseline/seccomp", "spec.securityContext.seccompProfile.type"},
        {"pss-restricted/seccomp", "spec.securityContext.seccompProfile.type"},
        {"pss-restricted/seccomp", "spec" + kApp + ".securityContext.seccompProfile.type"}},
       "type: Unconfined"},
      {"pss-baseline-sysctls", {{"pss-baseline/sysctls", kDep + ".securityContext.sysctls[name=kernel.msgmax]"}},
       "kernel.msgmax"},
      {"pss-restricted-volume-types", {{"pss-restricted/volume-types", kDep + ".volumes[name=data].nfs"}},
       "nfs:"},
      {"pss-restricted-privilege-escalation",
       {{"pss-restricted/privilege-escalation",
         "spec.ephemeralContainers[name=debug].securityContext.allowPrivilegeEscalation"}},
       "allowPrivilegeEscalation: true"},
      {"pss-restricted-run-as-non-root",
       {{"pss-restricted/run-as-non-root", kDep + kApp + ".securityContext.runAsNonRoot"}}, "securityContext:"},
      {"pss-restricted-run-as-user", {{"pss-restricted/run-as-user", kDep + kApp + ".securityContext.runAsUser"}},
       "runAsUser: 0"},
      {"pss-restricted-seccomp",
       {{"pss-restricted/seccomp",
         "spec.jobTemplate.spec.template.spec" + kApp + ".securityContext.seccompProfile.type"}},
       "securityContext:"},
      {"pss-restricted-capabilities",
       {{"pss-restricted/capabilities", kDep + kApp + ".securityContext.capabilities.drop"}}, "drop:"},
      {"platform-resources", {{"platform/resources", kDep + kApp + ".resources"}}, "resources:"},
      {"platform-image-tag", {{"platform/image-tag", kDep + kApp + ".image"}}, ":latest"},
      {"platform-image-registry", {{"platform/image-registry", kDep + kApp + ".image"}}, "evil.io"},
      {"platform-probes", {{"platform/probes", kDep + kApp + ".readinessProbe"}}, "- name: app"},
      {"platform-read-only-root-fs",
       {{"platform/read-only-root-fs", kDep + kApp + ".securityContext.readOnlyRootFilesystem"}},
       "readOnlyRootFilesystem: false"},
      {"platform-default-namespace", {{"platform/default-namespace", "metadata.namespace"}},
       "namespace: default"},
      {"platform-automount-token", {{"platform/automount-token", kDep + ".automountServiceAccountToken"}},
       "securityContext:"},
      {"platform-service-type", {{"platform/service-type", "spec.type"}}, "type: LoadBalancer"},
      {"platform-external-ips", {{"platform/external-ips", "spec.externalIPs"}}, "externalIPs:"},
      {"platform-network-policy", {{"platform/network-policy", "metadata.namespace"}}, "namespace: shop"},
      {"platform-pod-disruption-budget", {{"platform/pod-disruption-budget", "spec.replicas"}}, "replicas: 3"},
      {"platform-required-labels", {{"platform/required-labels", "metadata.labels[app.kubernetes.io/name]"}},
       "labels: {}"},
      {"platform-deprecated-api", {{"platform/deprecated-api", "apiVersion"}}, "autoscaling/v2beta2"},
      {"platform-rbac-wildcard", {{"platform/rbac-wildcard", "rules[0].verbs"}}, "verbs:"},
      {"platform-cluster-admin-binding", {{"platform/cluster-admin-binding", "roleRef.name"}},
       "name: cluster-admin"},
      {"platform-secret-in-env",
       {{"platform/secret-in-env", kDep + kApp + ".env[name=DB_PASSWORD].value"}}, "hunter2"},
  };
  return cases;
}

class FixtureTest : public ::testing::TestWithParam<FixtureCase> {};

TEST_P(FixtureTest, FailAddsExactlyTheRuleAndPassIsClean) {
  const FixtureCase& c = GetParam();
  std::string dir = std::string(SKIFF_SOURCE_DIR) + "/tests/policy/fixtures/" + c.dir;
  Loaded pass, fail;
  Load(dir + "/pass.yaml", pass);
  Load(dir + "/fail.yaml", fail);
  std::vector<Finding> pass_findings = RunAllRules(pass.set, Settings());
  std::vector<Finding> fail_findings = RunAllRules(fail.set, Settings());

  std::map<Key, int> added = Count(fail_findings);
  for (const auto& [key, n] : Count(pass_findings)) added[key] -= n;
  std::map<Key, int> want;
  for (const Expected& e : c.adds) ++want[{e.rule, e.field}];
  for (auto it = added.begin(); it != added.end();) it = it->second == 0 ? added.erase(it) : std::next(it);
  EXPECT_EQ(added, want);

  for (const Expected& e : c.adds) {
    for (const Finding& f : pass_findings) {
      EXPECT_NE(f.rule, e.rule) << "pass.yaml trips " << f.rule << " at " << f.field;
    }
  }
  auto first = std::find_if(fail_findings.begin(), fail_findings.end(), [&](const Finding& f) {
    return f.rule == c.adds[0].rule && f.field == c.adds[0].field;
  });
  ASSERT_NE(first, fail_findings.end());
  EXPECT_EQ(first->origin.file, dir + "/fail.yaml");
  EXPECT_NE(Line(fail.text, first->origin.line).find(c.line_contains), std::string::npos)
      << "line " << first->origin.line << ": " << Line(fail.text, first->origin.line);
  EXPECT_FALSE(first->fix.empty());
  EXPECT_FALSE(first->message.empty());
}

INSTANTIATE_TEST_SUITE_P(AllRules, FixtureTest, ::testing::ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<FixtureCase>& info) {
                           std::string name = info.param.dir;
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

// Every rule in the catalog that a fixture can exercise has one.
TEST(FixtureCoverage, EveryPssAndPlatformRuleHasAFixture) {
  for (const RuleInfo& r : AllRules()) {
    if (r.id.starts_with("policy/")) continue;
    bool covered = std::any_of(Cases().begin(), Cases().end(), [&](const FixtureCase& c) {
      return c.adds[0].rule == r.id;
    });
    EXPECT_TRUE(covered) << r.id;
  }
}

}  // namespace
}  // namespace skiff::policy
