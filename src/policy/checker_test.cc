// The policy applied to findings: levels per rule set, --pss override,
// severities, disabled rules, exceptions and their expiry.
#include "policy/checker.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "yaml/yaml.h"

namespace skiff::policy {
namespace {

// A privileged Deployment with no probes, an unconfined-free pod otherwise.
constexpr std::string_view kWorkloads = R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: agent
  namespace: monitoring
spec:
  template:
    spec:
      containers:
      - name: agent
        image: registry.example.com/agent:1.0
        securityContext:
          privileged: true
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  template:
    spec:
      containers:
      - name: web
        image: registry.example.com/web:1.0
)";

struct Fixture {
  Arena arena;
  ResourceSet set;
  explicit Fixture(std::string_view text, std::string_view file = "/repo/apps/all.yaml") {
    auto docs = ParseYamlStream(text, file, arena);
    EXPECT_TRUE(docs.ok());
    for (const YamlDocument& d : *docs) {
      Resource r;
      r.root = d.root;
      r.origin = Origin{std::string(file), d.pos.line};
      EXPECT_TRUE(set.Add(std::move(r)).ok());
    }
  }
};

CheckOptions Opts(std::string today, std::optional<PssLevel> pss = std::nullopt) {
  CheckOptions o;
  o.today = std::move(today);
  o.pss_override = pss;
  return o;
}

PolicyFile Policy(std::string_view text) {
  Result<PolicyFile> p = ParsePolicyFile(text, "/repo/skiff-policy.yaml");
  EXPECT_TRUE(p.ok()) << p.error().message;
  return p.ok() ? *p : PolicyFile{};
}

size_t CountRule(const CheckResult& r, std::string_view rule, std::string_view name = "") {
  return std::count_if(r.findings.begin(), r.findings.end(), [&](const Finding& f) {
    return f.rule == rule && (name.empty() || f.object.name == name);
  });
}

TEST(Check, DefaultsAreBaselineErrorsAndPlatformWarnings) {
  Fixture fx(kWorkloads);
  CheckResult r = Check(fx.set, DefaultPolicy("/repo"), Opts("2026-01-01"));
  EXPECT_EQ(CountRule(r, "pss-baseline/privileged"), 1u);
  EXPECT_EQ(CountRule(r, "pss-restricted/run-as-non-root"), 0u);
  for (const Finding& f : r.findings) {
    if (f.rule.starts_with("platform/")) {
      EXPECT_EQ(f.severity, Severity::kWarning) << f.rule;
    }
    if (f.rule.starts_with("pss-")) {
      EXPECT_EQ(f.severity, Severity::kError) << f.rule;
    }
  }
  EXPECT_TRUE(r.HasErrors());
  EXPECT_GT(CountRule(r, "platform/probes"), 0u);
}

TEST(Check, PssOverrideAppliesRestrictedEverywhere) {
  Fixture fx(kWorkloads);
  CheckOptions opts = Opts("2026-01-01", PssLevel::kRestricted);
  CheckResult r = Check(fx.set, DefaultPolicy("/repo"), opts);
  EXPECT_EQ(CountRule(r, "pss-restricted/run-as-non-root", "web"), 1u);
  EXPECT_EQ(CountRule(r, "pss-restricted/run-as-non-root", "agent"), 1u);
}

TEST(Check, RuleSetsSelectByNamespaceAndSetSeverities) {
  Fixture fx(kWorkloads);
  PolicyFile p = Policy(R"(
pss: restricted
severities:
  platform/probes: error
ruleSets:
- name: system
  namespaces: ["monitor*"]
  pss: baseline
  platform: false
)");
  CheckResult r = Check(fx.set, p, Opts("2026-01-01"));
  EXPECT_EQ(CountRule(r, "pss-restricted/run-as-non-root", "web"), 1u);
  EXPECT_EQ(CountRule(r, "pss-restricted/run-as-non-root", "agent"), 0u);
  EXPECT_EQ(CountRule(r, "platform/probes", "agent"), 0u);
  ASSERT_EQ(CountRule(r, "platform/probes", "web"), 2u);  // readiness and liveness
  for (const Finding& f : r.findings) {
    if (f.rule == "platform/probes") {
      EXPECT_EQ(f.severity, Severity::kError);
    }
  }
}

TEST(Check, RuleSetsSelectByPathRelativeToTheRoot) {
  Fixture fx(kWorkloads);
  PolicyFile p = Policy(R"(
ruleSets:
- paths: ["apps/**"]
  disabled: ["platform/*"]
- paths: ["other/**"]
  pss: privileged
)");
  CheckResult r = Check(fx.set, p, Opts("2026-01-01"));
  EXPECT_EQ(CountRule(r, "platform/probes"), 0u);
  EXPECT_EQ(CountRule(r, "pss-baseline/privileged"), 1u);
}

TEST(Check, LiveExceptionSuppressesOnlyTheSelectedObject) {
  Fixture fx(kWorkloads);
  PolicyFile p = Policy(R"(
exceptions:
- rule: pss-baseline/privileged
  object: {kind: Deployment, namespace: monitoring, name: agent}
  reason: the agent reads host metrics
  expires: "2026-06-30"
- rule: platform/*
  object: {name: web}
  reason: legacy app
)");
  CheckResult r = Check(fx.set, p, Opts("2026-06-30"));
  EXPECT_EQ(CountRule(r, "pss-baseline/privileged"), 0u);
  EXPECT_EQ(CountRule(r, "platform/probes", "web"), 0u);
  EXPECT_EQ(CountRule(r, "platform/probes", "agent"), 2u);
  EXPECT_GT(r.suppressed, 1u);
  EXPECT_FALSE(r.HasErrors());
}

TEST(Check, ExpiredExceptionIsAnErrorAtThePolicyLineAndNoLongerSuppresses) {
  Fixture fx(kWorkloads);
  PolicyFile p = Policy(R"(exceptions:
- rule: pss-baseline/privileged
  object: {kind: Deployment, namespace: monitoring, name: agent}
  reason: the agent reads host metrics
  expires: "2026-06-30"
)");
  CheckResult r = Check(fx.set, p, Opts("2026-07-01"));
  EXPECT_EQ(CountRule(r, "pss-baseline/privileged"), 1u);
  ASSERT_EQ(CountRule(r, "policy/exception-expired"), 1u);
  auto it = std::find_if(r.findings.begin(), r.findings.end(),
                         [](const Finding& f) { return f.rule == "policy/exception-expired"; });
  EXPECT_EQ(it->origin.file, "/repo/skiff-policy.yaml");
  EXPECT_EQ(it->origin.line, 2u);
  EXPECT_EQ(it->severity, Severity::kError);
}

TEST(Check, ExtraFindingsGoThroughExceptions) {
  Fixture fx(kWorkloads);
  PolicyFile p = Policy(R"(exceptions:
- rule: tenancy/namespace
  object: {name: web}
  reason: migration
)");
  Finding t;
  t.rule = "tenancy/namespace";
  t.object = fx.set[1].Id();
  CheckResult r = Check(fx.set, p, Opts("2026-01-01"), {t});
  EXPECT_EQ(CountRule(r, "tenancy/namespace"), 0u);
}

TEST(Check, FindingsAreSortedBySourceLine) {
  Fixture fx(kWorkloads);
  CheckResult r = Check(fx.set, DefaultPolicy("/repo"), Opts("2026-01-01"));
  for (size_t i = 1; i < r.findings.size(); ++i) {
    EXPECT_LE(r.findings[i - 1].origin.line, r.findings[i].origin.line);
  }
}

TEST(Check, RepositoryGateUsesDefaultsWithoutAPolicyFile) {
  Fixture fx(kWorkloads);
  Result<CheckResult> r = CheckWithRepositoryPolicy(fx.set, "/nonexistent-skiff-dir");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->HasErrors());  // the privileged agent fails Baseline
  EXPECT_EQ(CountRule(*r, "pss-restricted/run-as-non-root"), 0u);
}

}  // namespace
}  // namespace skiff::policy
