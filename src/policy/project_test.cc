#include "policy/project.h"

#include <gtest/gtest.h>

#include <string>

#include "render/resource_loader.h"

namespace skiff::policy {
namespace {

constexpr std::string_view kFullProject = R"(apiVersion: skiff.dev/v1alpha1
kind: Project
metadata:
  name: payments
spec:
  description: The payments team.
  sourceRepos:
  - https://git.example.com/payments/*
  - "!https://git.example.com/payments/sandbox-*"
  destinations:
  - namespace: payments
  - namespace: payments-*
  - namespace: "!payments-system"
  clusterResourceWhitelist:
  - group: ""
    kind: Namespace
  namespaceResourceBlacklist:
  - group: ""
    kind: ResourceQuota
  - kind: LimitRange
  allowedRegistries:
  - registry.example.com/payments
  istio:
    gateways:
    - istio-system/public
    hosts:
    - "*.payments.example.com"
    - payments.example.com
)";

// Loads one object from YAML text and parses it as a Project.
class ProjectParse : public ::testing::Test {
 protected:
  Result<Project> Parse(std::string_view yaml) {
    Result<std::vector<Resource>> rs = LoadResources(yaml, "projects/p.yaml", arena_);
    if (!rs.ok()) return rs.error();
    if (rs->size() != 1) return MakeError("want one object");
    return ParseProject((*rs)[0]);
  }

  std::string ErrorOf(std::string_view yaml) {
    Result<Project> p = Parse(yaml);
    return p.ok() ? "(parsed)" : p.error().message;
  }

  Arena arena_;
};

TEST_F(ProjectParse, ReadsEveryField) {
  Result<Project> p = Parse(kFullProject);
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_EQ(p->name, "payments");
  EXPECT_EQ(p->origin.String(), "projects/p.yaml:1");
  EXPECT_EQ(p->source_repos.size(), 2u);
  EXPECT_EQ(p->destinations,
            (std::vector<std::string>{"payments", "payments-*", "!payments-system"}));
  ASSERT_EQ(p->cluster_resource_whitelist.size(), 1u);
  EXPECT_EQ(p->cluster_resource_whitelist[0].group, "");
  EXPECT_EQ(p->cluster_resource_whitelist[0].kind, "Namespace");
  ASSERT_EQ(p->namespace_resource_blacklist.size(), 2u);
  EXPECT_EQ(p->namespace_resource_blacklist[1].kind, "LimitRange");
  EXPECT_EQ(p->allowed_registries, std::vector<std::string>{"registry.example.com/payments"});
  EXPECT_EQ(p->istio.gateways, std::vector<std::string>{"istio-system/public"});
  EXPECT_EQ(p->istio.hosts.size(), 2u);
}

TEST_F(ProjectParse, UnknownSpecFieldNamesFileLineAndField) {
  std::string e = ErrorOf(R"(apiVersion: skiff.dev/v1alpha1
kind: Project
metadata:
  name: p
spec:
  destinations:
  - namespace: a
  clusterResourceWhiteList: []
)");
  EXPECT_EQ(e, "projects/p.yaml:8: Project \"p\": spec.clusterResourceWhiteList: unknown field");
}

TEST_F(ProjectParse, UnknownNestedFieldsAreErrors) {
  EXPECT_NE(ErrorOf(R"(apiVersion: skiff.dev/v1alpha1
kind: Project
metadata: {name: p}
spec:
  destinations:
  - namespace: a
    server: https://x
)").find("spec.destinations[0].server: unknown field"),
            std::string::npos);
  EXPECT_NE(ErrorOf(R"(apiVersion: skiff.dev/v1alpha1
kind: Project
metadata: {name: p}
spec:
  istio:
    gateway: [a/b]
)").find("spec.istio.gateway: unknown field"),
            std::string::npos);
  EXPECT_NE(ErrorOf("apiVersion: skiff.dev/v1alpha1\nkind: Project\nmetadata: {name: p}\n"
                    "specs: {}\n")
                .find("specs: unknown field"),
            std::string::npos);
}

TEST_F(ProjectParse, WrongTypesAndBadPatternsNameTheField) {
  struct Case {
    std::string spec;
    std::string want;
  };
  for (const Case& c : std::vector<Case>{
           {"sourceRepos: https://x", "p.yaml:5: Project \"p\": spec.sourceRepos: must be a list"},
           {"sourceRepos: [\"\"]", "spec.sourceRepos[0]: must not be empty"},
           {"sourceRepos: [\"!\"]", "spec.sourceRepos[0]: must not be empty"},
           {"destinations: [payments]", "spec.destinations[0]: must be a map"},
           {"destinations: [{namespace: Payments}]", "is not a namespace glob"},
           {"destinations: [{namespace: a/b}]", "is not a namespace glob"},
           {"clusterResourceWhitelist: [{group: rbac.authorization.k8s.io}]",
            "spec.clusterResourceWhitelist[0].kind: must be a string"},
           {"namespaceResourceBlacklist: [{kind: X, version: v1}]",
            "spec.namespaceResourceBlacklist[0].version: unknown field"},
           {"allowedRegistries: [\"ghcr.io/acme*\"]", "spec.allowedRegistries[0]: registry prefix"},
           {"allowedRegistries: [\"ghcr.io/acme:1.0\"]", "spec.allowedRegistries[0]"},
           {"istio: {gateways: [public]}", "spec.istio.gateways[0]: \"public\" must be"},
           {"istio: {gateways: [a/b/c]}", "spec.istio.gateways[0]"},
           {"istio: {hosts: [\"Shop.Example.com\"]}", "spec.istio.hosts[0]"},
           {"istio: []", "spec.istio: must be a map"},
       }) {
    std::string yaml =
        "apiVersion: skiff.dev/v1alpha1\nkind: Project\nmetadata: {name: p}\nspec:\n  " + c.spec +
        "\n";
    std::string e = ErrorOf(yaml);
    EXPECT_NE(e.find(c.want), std::string::npos) << c.spec << " -> " << e;
    EXPECT_EQ(e.rfind("projects/p.yaml:", 0), 0u) << e;
  }
}

TEST_F(ProjectParse, RejectsOtherVersionsAndNamelessProjects) {
  EXPECT_NE(ErrorOf("apiVersion: skiff.dev/v1\nkind: Project\nmetadata: {name: p}\n")
                .find("unsupported version \"v1\""),
            std::string::npos);
  EXPECT_NE(ErrorOf("apiVersion: skiff.dev/v1alpha1\nkind: Project\nmetadata: {labels: {}}\n")
                .find("metadata.name"),
            std::string::npos);
}

TEST_F(ProjectParse, EmptySpecAllowsNothing) {
  Result<Project> p = Parse("apiVersion: skiff.dev/v1alpha1\nkind: Project\nmetadata: {name: p}\n");
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_FALSE(p->DestinationAllowed("p"));
  EXPECT_FALSE(p->SourceRepoAllowed("https://x"));
  EXPECT_FALSE(p->ClusterKindAllowed("", "Namespace"));
  EXPECT_FALSE(p->NamespacedKindDenied("", "ConfigMap"));
}

TEST(GlobMatch, StarsQuestionMarksAndLiterals) {
  EXPECT_TRUE(GlobMatch("*", ""));
  EXPECT_TRUE(GlobMatch("*", "a/b.c"));
  EXPECT_TRUE(GlobMatch("payments-*", "payments-dev"));
  EXPECT_FALSE(GlobMatch("payments-*", "payments"));
  EXPECT_TRUE(GlobMatch("a?c", "abc"));
  EXPECT_FALSE(GlobMatch("a?c", "ac"));
  EXPECT_TRUE(GlobMatch("*.example.com", "shop.example.com"));
  EXPECT_FALSE(GlobMatch("*.example.com", "example.com"));
  EXPECT_FALSE(GlobMatch("*.example.com", "shop.example.com.evil.io"));
  EXPECT_TRUE(GlobMatch("a*b*c", "axxbyyc"));
  EXPECT_FALSE(GlobMatch("a*b*c", "axxbyy"));
  EXPECT_TRUE(GlobMatch("", ""));
  EXPECT_FALSE(GlobMatch("", "a"));
}

TEST(GlobMatch, PathologicalPatternStaysFast) {
  // Backtracking matchers go exponential here; this one stays linear-ish.
  std::string text(4000, 'a');
  EXPECT_FALSE(GlobMatch("*a*a*a*a*a*a*a*a*b", text));
}

TEST(PatternList, NegationWinsRegardlessOfOrder) {
  std::vector<std::string> pats = {"!payments-system", "payments*"};
  EXPECT_TRUE(MatchesPatternList(pats, "payments"));
  EXPECT_TRUE(MatchesPatternList(pats, "payments-dev"));
  EXPECT_FALSE(MatchesPatternList(pats, "payments-system"));
  EXPECT_FALSE(MatchesPatternList(pats, "search"));
  EXPECT_FALSE(MatchesPatternList({"!x"}, "y"));  // only negations: nothing allowed
  EXPECT_FALSE(MatchesPatternList({}, "y"));
}

TEST(ProjectRules, SourceReposUseArgoSemanticsAndNormalizeUrls) {
  Project p;
  p.source_repos = {"https://git.example.com/payments/*",
                    "!https://git.example.com/payments/sandbox-*"};
  EXPECT_TRUE(p.SourceRepoAllowed("https://git.example.com/payments/api"));
  EXPECT_TRUE(p.SourceRepoAllowed("https://git.example.com/payments/api.git"));
  EXPECT_TRUE(p.SourceRepoAllowed("HTTPS://Git.Example.com/payments/api/"));
  EXPECT_FALSE(p.SourceRepoAllowed("https://git.example.com/payments/sandbox-x"));
  EXPECT_FALSE(p.SourceRepoAllowed("https://git.example.com/payments/sandbox-x.git"));
  EXPECT_FALSE(p.SourceRepoAllowed("https://git.example.com/search/api"));
  EXPECT_FALSE(p.SourceRepoAllowed("https://git.example.com.evil.io/payments/api"));
}

TEST(ProjectRules, WildcardDestinationNeverGrantsReservedNamespaces) {
  Project p;
  p.destinations = {"*"};
  EXPECT_TRUE(p.DestinationAllowed("anything"));
  for (const char* ns : {"skiff-system", "kube-system", "kube-public", "kube-node-lease"}) {
    EXPECT_FALSE(p.DestinationAllowed(ns)) << ns;
  }
  p.destinations = {"kube-*"};
  EXPECT_FALSE(p.DestinationAllowed("kube-system"));
  p.destinations = {"kube-system"};
  EXPECT_TRUE(p.DestinationAllowed("kube-system"));
}

TEST(ProjectRules, GroupKindGlobs) {
  Project p;
  p.cluster_resource_whitelist = {{"", "Namespace"}, {"rbac.authorization.k8s.io", "Cluster*"}};
  p.namespace_resource_blacklist = {{"*", "Secret"}};
  EXPECT_TRUE(p.ClusterKindAllowed("", "Namespace"));
  EXPECT_FALSE(p.ClusterKindAllowed("x.io", "Namespace"));  // group must match too
  EXPECT_TRUE(p.ClusterKindAllowed("rbac.authorization.k8s.io", "ClusterRoleBinding"));
  EXPECT_FALSE(p.ClusterKindAllowed("apiextensions.k8s.io", "CustomResourceDefinition"));
  EXPECT_TRUE(p.NamespacedKindDenied("", "Secret"));
  EXPECT_FALSE(p.NamespacedKindDenied("", "ConfigMap"));
}

TEST(LoadProjects, FindsProjectsAndRefusesDuplicatesAndBadVersions) {
  Arena arena;
  auto load = [&](std::string_view yaml) -> Result<std::vector<Project>> {
    Result<std::vector<Resource>> rs = LoadResources(yaml, "projects.yaml", arena);
    if (!rs.ok()) return rs.error();
    ResourceSet set;
    for (Resource& r : *rs) set.AddUnchecked(std::move(r));
    return LoadProjects(set);
  };
  Result<std::vector<Project>> ok = load(R"(apiVersion: v1
kind: ConfigMap
metadata: {name: not-a-project}
---
apiVersion: skiff.dev/v1alpha1
kind: Project
metadata: {name: a}
---
apiVersion: other.dev/v1alpha1
kind: Project
metadata: {name: b}
---
apiVersion: skiff.dev/v1alpha1
kind: Project
metadata: {name: c, namespace: platform}
)");
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  ASSERT_EQ(ok->size(), 2u);
  EXPECT_NE(FindProject(*ok, "c"), nullptr);
  EXPECT_EQ(FindProject(*ok, "c")->ns, "platform");
  EXPECT_EQ(FindProject(*ok, "b"), nullptr);

  Result<std::vector<Project>> dup = load(R"(apiVersion: skiff.dev/v1alpha1
kind: Project
metadata: {name: a}
---
apiVersion: skiff.dev/v1alpha1
kind: Project
metadata: {name: a, namespace: platform}
)");
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().message,
            "projects.yaml:5: Project \"a\" is also defined at projects.yaml:1");

  Result<std::vector<Project>> v = load("apiVersion: skiff.dev/v2\nkind: Project\n"
                                        "metadata: {name: a}\n");
  ASSERT_FALSE(v.ok());
  EXPECT_NE(v.error().message.find("unsupported version"), std::string::npos);
}

}  // namespace
}  // namespace skiff::policy
