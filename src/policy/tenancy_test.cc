#include "policy/tenancy.h"

#include <gtest/gtest.h>

#include <string>

#include "render/resource_loader.h"

namespace skiff::policy {
namespace {

// The tenant "payments": its namespaces, its registry, one platform gateway
// and its own hosts.
Project Payments() {
  Project p;
  p.name = "payments";
  p.source_repos = {"https://git.example.com/payments/*", "!https://git.example.com/payments/sandbox*"};
  p.destinations = {"payments", "payments-*"};
  p.cluster_resource_whitelist = {};
  p.namespace_resource_blacklist = {{"", "ResourceQuota"}, {"", "LimitRange"}};
  p.allowed_registries = {"registry.example.com/payments", "docker.io/library"};
  p.istio.gateways = {"istio-system/public"};
  p.istio.hosts = {"*.payments.example.com", "payments.example.com"};
  return p;
}

struct Case {
  std::string name;
  std::string yaml;
  // Expected findings as "rule field", in order; empty: none.
  std::vector<std::string> want;
};

class TenancyCase : public ::testing::TestWithParam<Case> {};

TEST_P(TenancyCase, ReportsExactlyTheExpectedFindings) {
  const Case& c = GetParam();
  Arena arena;
  Result<std::vector<Resource>> rs = LoadResources(c.yaml, "tenant.yaml", arena);
  ASSERT_TRUE(rs.ok()) << rs.error().message;
  ResourceSet set;
  for (Resource& r : *rs) ASSERT_TRUE(set.Add(std::move(r)).ok());
  std::vector<std::string> got;
  for (const Finding& f : CheckTenancy(Payments(), set, "")) {
    EXPECT_EQ(f.severity, Severity::kError);
    EXPECT_FALSE(f.message.empty());
    EXPECT_FALSE(f.fix.empty());
    EXPECT_EQ(f.origin.file, "tenant.yaml");
    got.push_back(f.rule + " " + f.field);
  }
  EXPECT_EQ(got, c.want);
}

constexpr std::string_view kDeployment = R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: payments}
spec:
  template:
    spec:
      initContainers:
      - {name: migrate, image: IMAGE_INIT}
      containers:
      - {name: api, image: IMAGE_MAIN}
      ephemeralContainers:
      - {name: debug, image: IMAGE_DEBUG}
)";

std::string Deployment(std::string main, std::string init = "registry.example.com/payments/m:1",
                       std::string debug = "busybox:1.36") {
  std::string s(kDeployment);
  s.replace(s.find("IMAGE_INIT"), 10, init);
  s.replace(s.find("IMAGE_MAIN"), 10, main);
  s.replace(s.find("IMAGE_DEBUG"), 11, debug);
  return s;
}

std::string VirtualService(std::string spec, std::string ns = "payments") {
  return "apiVersion: networking.istio.io/v1beta1\nkind: VirtualService\nmetadata: {name: web, "
         "namespace: " + ns + "}\nspec:\n" + spec;
}

INSTANTIATE_TEST_SUITE_P(
    Tenancy, TenancyCase,
    ::testing::Values(
        Case{"OwnNamespaceIsFine",
             "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: payments-dev}\n", {}},
        Case{"OtherTenantsNamespace",
             "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: search}\n",
             {"tenancy/namespace metadata.namespace"}},
        Case{"SkiffsOwnNamespace",
             "apiVersion: v1\nkind: Secret\nmetadata: {name: a, namespace: skiff-system}\n",
             {"tenancy/namespace metadata.namespace"}},
        Case{"MissingNamespace", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n",
             {"tenancy/namespace metadata.namespace"}},
        Case{"ClusterRoleBinding",
             "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\n"
             "metadata: {name: admin}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: "
             "ClusterRole, name: cluster-admin}\n",
             {"tenancy/cluster-kind kind"}},
        Case{"ClusterRoleBindingInAnOldVersion",
             "apiVersion: rbac.authorization.k8s.io/v1beta1\nkind: ClusterRoleBinding\n"
             "metadata: {name: admin}\n",
             {"tenancy/cluster-kind kind"}},
        Case{"NamespaceObjectNotWhitelisted",
             "apiVersion: v1\nkind: Namespace\nmetadata: {name: payments}\n",
             {"tenancy/cluster-kind kind"}},
        Case{"CustomResourceDefinition",
             "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n"
             "metadata: {name: x.example.com}\n",
             {"tenancy/cluster-kind kind"}},
        Case{"ClusterScopedKindWithNamespaceSetIsStillClusterScoped",
             "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\n"
             "metadata: {name: r, namespace: payments}\n",
             {"tenancy/cluster-kind kind"}},
        Case{"BlacklistedKind",
             "apiVersion: v1\nkind: ResourceQuota\nmetadata: {name: q, namespace: payments}\n",
             {"tenancy/denied-kind kind"}},
        Case{"AllowedImages", Deployment("registry.example.com/payments/api:1.0"), {}},
        Case{"EvilRegistryLookalike", Deployment("registry.example.com/payments-evil/api:1.0"),
             {"tenancy/registry spec.template.spec.containers[name=api].image"}},
        Case{"EvilHostLookalike", Deployment("registry.example.com.evil.io/payments/api:1"),
             {"tenancy/registry spec.template.spec.containers[name=api].image"}},
        Case{"InitAndEphemeralContainersChecked",
             Deployment("registry.example.com/payments/api:1", "ghcr.io/x/migrate:1",
                        "evil.io/debug:1"),
             {"tenancy/registry spec.template.spec.initContainers[name=migrate].image",
              "tenancy/registry spec.template.spec.ephemeralContainers[name=debug].image"}},
        Case{"UnparseableImage", Deployment("registry.example.com/Payments/api"),
             {"tenancy/registry spec.template.spec.containers[name=api].image"}},
        Case{"CronJobDepth",
             "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c, namespace: payments}\n"
             "spec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n"
             "          containers:\n          - {name: c, image: quay.io/c:1}\n",
             {"tenancy/registry spec.jobTemplate.spec.template.spec.containers[name=c].image"}},
        Case{"CustomPodBearingKind",
             "apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {name: r, namespace: "
             "payments}\nspec:\n  template:\n    spec:\n      containers:\n"
             "      - image: quay.io/r:1\n",
             {"tenancy/registry spec.template.spec.containers[0].image"}},
        Case{"IstioGateway",
             "apiVersion: networking.istio.io/v1\nkind: Gateway\n"
             "metadata: {name: mine, namespace: payments}\n",
             {"tenancy/istio-gateway kind"}},
        Case{"VirtualServiceOnAllowedGateway",
             VirtualService("  gateways: [istio-system/public]\n  hosts: [shop.payments.example.com]\n"
                            "  exportTo: [istio-system, .]\n"),
             {}},
        Case{"VirtualServiceMeshOnlyWithServiceHosts",
             VirtualService("  gateways: [mesh]\n  hosts: [api, api.payments.svc.cluster.local, "
                            "api.payments-dev.svc]\n  exportTo: [.]\n"),
             {}},
        Case{"VirtualServiceOnForeignGateway",
             VirtualService("  gateways: [istio-system/internal, mesh]\n"
                            "  hosts: [payments.example.com]\n"),
             {"tenancy/istio-gateway-binding spec.gateways[0]"}},
        Case{"BareGatewayNameMeansOwnNamespace",
             VirtualService("  gateways: [public]\n  hosts: [payments.example.com]\n"),
             {"tenancy/istio-gateway-binding spec.gateways[0]"}},
        Case{"PlatformWildcardHost",
             VirtualService("  gateways: [istio-system/public]\n"
                            "  hosts: [\"*.platform.example.com\", \"*\"]\n"),
             {"tenancy/istio-host spec.hosts[0]", "tenancy/istio-host spec.hosts[1]"}},
        Case{"OtherTenantsHostAndService",
             VirtualService("  gateways: [istio-system/public]\n  hosts: [search.example.com, "
                            "api.search.svc.cluster.local]\n"),
             {"tenancy/istio-host spec.hosts[0]", "tenancy/istio-host spec.hosts[1]"}},
        Case{"ExportToOwnNamespaceOnlyNeverReachesTheGateway",
             VirtualService("  gateways: [istio-system/public]\n  hosts: [payments.example.com]\n"
                            "  exportTo: [\".\"]\n"),
             {"tenancy/istio-export-to spec.exportTo"}},
        Case{"ExportToStarReachesTheGateway",
             VirtualService("  gateways: [istio-system/public]\n  hosts: [payments.example.com]\n"
                            "  exportTo: [\"*\"]\n"),
             {}}),
    [](const ::testing::TestParamInfo<Case>& info) { return info.param.name; });

TEST(CheckTenancy, SourceRepoMatchedByNegatedGlobIsRefused) {
  ResourceSet empty;
  std::vector<Finding> fs =
      CheckTenancy(Payments(), empty, "https://git.example.com/payments/sandbox-1.git");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].rule, kRuleTenancySourceRepo);
  EXPECT_EQ(fs[0].object.gvk.kind, "Project");
  EXPECT_EQ(fs[0].object.name, "payments");
  EXPECT_NE(fs[0].message.find("denied by \"!https://git.example.com/payments/sandbox*\""),
            std::string::npos)
      << fs[0].message;
  EXPECT_TRUE(CheckTenancy(Payments(), empty, "https://git.example.com/payments/api").empty());
  EXPECT_TRUE(CheckTenancy(Payments(), empty, "").empty());
  EXPECT_EQ(CheckTenancy(Payments(), empty, "https://git.example.com/search/api").size(), 1u);
}

TEST(CheckTenancy, FindingPointsAtTheFieldLineWhenTheObjectCameFromThatFile) {
  Arena arena;
  Result<std::vector<Resource>> rs = LoadResources(Deployment("evil.io/api:1"), "d.yaml", arena);
  ASSERT_TRUE(rs.ok()) << rs.error().message;
  ResourceSet set;
  ASSERT_TRUE(set.Add(std::move((*rs)[0])).ok());
  std::vector<Finding> fs = CheckTenancy(Payments(), set, "");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].origin.String(), "d.yaml:10");  // the `- {name: api, image: ...}` line
  EXPECT_EQ(fs[0].object.name, "api");
  EXPECT_EQ(fs[0].object.ns, "payments");
}

TEST(CheckTenancy, WhitelistedNamespaceMustStillBeADestination) {
  Project p = Payments();
  p.cluster_resource_whitelist = {{"", "Namespace"}};
  Arena arena;
  Result<std::vector<Resource>> rs =
      LoadResources("apiVersion: v1\nkind: Namespace\nmetadata: {name: payments-dev}\n---\n"
                    "apiVersion: v1\nkind: Namespace\nmetadata: {name: kube-system}\n",
                    "ns.yaml", arena);
  ASSERT_TRUE(rs.ok());
  ResourceSet set;
  for (Resource& r : *rs) ASSERT_TRUE(set.Add(std::move(r)).ok());
  std::vector<Finding> fs = CheckTenancy(p, set, "");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].rule, kRuleTenancyNamespace);
  EXPECT_EQ(fs[0].object.name, "kube-system");
}

TEST(CheckTenancy, EmptyRegistryListAllowsNoImage) {
  Project p = Payments();
  p.allowed_registries.clear();
  Arena arena;
  Result<std::vector<Resource>> rs =
      LoadResources(Deployment("registry.example.com/payments/api:1"), "d.yaml", arena);
  ASSERT_TRUE(rs.ok());
  ResourceSet set;
  ASSERT_TRUE(set.Add(std::move((*rs)[0])).ok());
  EXPECT_EQ(CheckTenancy(p, set, "").size(), 3u);  // init, main, ephemeral
}

}  // namespace
}  // namespace skiff::policy
