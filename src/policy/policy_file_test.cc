// The policy file's schema and its errors, which must name file:line:field.
#include "policy/policy_file.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace skiff::policy {
namespace {

TEST(PolicyFile, ParsesEverySection) {
  Result<PolicyFile> p = ParsePolicyFile(R"(apiVersion: skiff.dev/v1alpha1
kind: Policy
projects: system/projects
allowedRegistries: [registry.example.com, ghcr.io/acme]
requiredLabels: [app]
pss: baseline
ruleSets:
- name: tenants
  paths: ["tenants/**"]
  namespaces: ["team-*"]
  pss: restricted
  platform: true
  disabled: [platform/probes]
  severities: {platform/resources: error}
exceptions:
- rule: pss-baseline/host-path-volumes
  object: {kind: DaemonSet, namespace: monitoring, name: node-agent}
  reason: reads /proc of the node
  expires: 2027-01-31
)", "/r/skiff-policy.yaml");
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_EQ(p->root, "/r");
  EXPECT_EQ(p->projects_dir, "system/projects");
  EXPECT_EQ(p->platform.allowed_registries.size(), 2u);
  EXPECT_EQ(p->platform.required_labels, std::vector<std::string>{"app"});
  ASSERT_EQ(p->rule_sets.size(), 1u);
  EXPECT_EQ(p->rule_sets[0].pss, PssLevel::kRestricted);
  EXPECT_EQ(p->rule_sets[0].severities.at("platform/resources"), Severity::kError);
  EXPECT_EQ(p->rule_sets[0].line, 8u);
  ASSERT_EQ(p->exceptions.size(), 1u);
  EXPECT_EQ(p->exceptions[0].expires, "2027-01-31");
  EXPECT_EQ(p->exceptions[0].ns, "monitoring");
  EXPECT_EQ(p->exceptions[0].line, 16u);
}

struct BadCase {
  std::string text;
  std::string want;  // substring of the error
};

TEST(PolicyFile, ErrorsNameFileLineAndField) {
  const BadCase cases[] = {
      {"pss: strict\n", "p.yaml:1: pss: expected privileged, baseline or restricted"},
      {"ruleSets:\n- pss: baseline\n  colour: red\n", "p.yaml:3: ruleSets[0].colour: unknown field"},
      {"exceptions:\n- rule: platform/probes\n  object: {name: web}\n",
       "p.yaml:2: exceptions[0].reason: required"},
      {"exceptions:\n- rule: platform/probes\n  reason: r\n  expires: next week\n",
       "p.yaml:4: exceptions[0].expires: expected an ISO date"},
      {"severities:\n  platform/probes: fatal\n", "p.yaml:2: severities.platform/probes: expected error"},
      {"allowedRegistries: ghcr.io\n", "p.yaml:1: allowedRegistries: expected a list"},
  };
  for (const BadCase& c : cases) {
    Result<PolicyFile> p = ParsePolicyFile(c.text, "p.yaml");
    ASSERT_FALSE(p.ok()) << c.text;
    EXPECT_NE(p.error().message.find(c.want), std::string::npos) << p.error().message;
  }
}

TEST(PolicyFile, GlobsMatchPathSegments) {
  EXPECT_TRUE(PathGlobMatch("tenants/**", "tenants/a/base/x.yaml"));
  EXPECT_TRUE(PathGlobMatch("tenants/*/base/*.yaml", "tenants/a/base/x.yaml"));
  EXPECT_FALSE(PathGlobMatch("tenants/*", "tenants/a/base/x.yaml"));
  EXPECT_TRUE(PathGlobMatch("**/base/*.yaml", "base/x.yaml"));
  EXPECT_FALSE(PathGlobMatch("tenants/**", "tenantsx/a.yaml"));
  EXPECT_TRUE(NameMatch("pss-restricted/*", "pss-restricted/seccomp"));
  EXPECT_FALSE(NameMatch("pss-restricted/*", "pss-baseline/seccomp"));
  EXPECT_TRUE(NameMatch("team-?", "team-a"));
}

TEST(PolicyFile, FoundByWalkingUp) {
  namespace fs = std::filesystem;
  fs::path root = fs::path(SKIFF_BINARY_DIR) / "policy_file_test_tree";
  fs::remove_all(root);
  fs::create_directories(root / "a" / "b");
  std::ofstream(root / "skiff-policy.yaml") << "pss: restricted\n";
  EXPECT_EQ(FindPolicyFile((root / "a" / "b").string()), (root / "skiff-policy.yaml").string());
  Result<PolicyFile> p = LoadPolicyFile((root / "skiff-policy.yaml").string());
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->defaults.pss, PssLevel::kRestricted);
  fs::remove_all(root);
}

}  // namespace
}  // namespace skiff::policy
