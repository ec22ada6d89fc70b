#include "sync/plan.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "yaml/yaml.h"

namespace skiff::sync {
namespace {

ResourceSet Parse(Arena& arena, std::string_view text) {
  auto docs = ParseYamlStream(text, "set.yaml", arena);
  EXPECT_TRUE(docs.ok()) << docs.error().message;
  ResourceSet set;
  for (const YamlDocument& d : *docs) {
    Resource r;
    r.root = d.root;
    r.origin = Origin{"set.yaml", d.pos.line};
    set.AddUnchecked(std::move(r));
  }
  return set;
}

std::vector<std::string> Names(const ResourceSet& set, const ApplyPlan& plan) {
  std::vector<std::string> out;
  for (const PlannedObject& s : plan.steps) out.emplace_back(set[s.index].Name());
  return out;
}

TEST(PlanTest, DependenciesComeBeforeTheirUsersAndWebhooksLast) {
  Arena arena;
  ResourceSet set = Parse(arena, R"(apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata: {name: hook}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: app}
---
apiVersion: example.com/v1
kind: Widget
metadata: {name: w1, namespace: app}
---
apiVersion: v1
kind: Service
metadata: {name: svc, namespace: app}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: cm, namespace: app}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: rb, namespace: app}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: role, namespace: app}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: sa, namespace: app}
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: fast}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: crb}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: cr}
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
---
apiVersion: v1
kind: Namespace
metadata: {name: app}
)");
  auto plan = PlanApply(set);
  ASSERT_TRUE(plan.ok()) << plan.error().message;
  EXPECT_EQ(Names(set, *plan),
            (std::vector<std::string>{"app", "widgets.example.com", "cr", "crb", "fast", "sa",
                                      "role", "rb", "cm", "svc", "web", "w1", "hook"}));
}

TEST(PlanTest, WavesOrderBeforeKindsAndAcceptNegativeNumbers) {
  Arena arena;
  ResourceSet set = Parse(arena, R"(apiVersion: v1
kind: Namespace
metadata: {name: late, annotations: {skiff.dev/sync-wave: "2"}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: early, namespace: x, annotations: {skiff.dev/sync-wave: "-1"}}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: plain, namespace: x}
---
apiVersion: v1
kind: Namespace
metadata: {name: x}
)");
  auto plan = PlanApply(set);
  ASSERT_TRUE(plan.ok()) << plan.error().message;
  EXPECT_EQ(Names(set, *plan), (std::vector<std::string>{"early", "x", "plain", "late"}));
  EXPECT_EQ(plan->steps.front().wave, -1);
  EXPECT_EQ(plan->steps.back().wave, 2);
}

TEST(PlanTest, EqualRanksKeepRenderOrder) {
  Arena arena;
  ResourceSet set = Parse(arena, R"(apiVersion: v1
kind: Secret
metadata: {name: b}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: a}
---
apiVersion: v1
kind: Secret
metadata: {name: c}
)");
  auto plan = PlanApply(set);
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(Names(set, *plan), (std::vector<std::string>{"b", "a", "c"}));
}

TEST(PlanTest, NonIntegerWaveIsAnErrorNamingFileAndLine) {
  Arena arena;
  ResourceSet set = Parse(arena, R"(apiVersion: v1
kind: ConfigMap
metadata: {name: ok}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: bad, annotations: {skiff.dev/sync-wave: "1.5"}}
)");
  auto plan = PlanApply(set);
  ASSERT_FALSE(plan.ok());
  EXPECT_NE(plan.error().message.find("set.yaml:4"), std::string::npos) << plan.error().message;
  EXPECT_NE(plan.error().message.find("skiff.dev/sync-wave"), std::string::npos);
}

TEST(PlanTest, KindRankDistinguishesGroups) {
  EXPECT_LT(KindRank("", "Namespace"), KindRank("apiextensions.k8s.io", "CustomResourceDefinition"));
  // A custom kind that happens to be called Deployment is not a workload.
  EXPECT_EQ(KindRank("example.com", "Deployment"), KindRank("example.com", "Widget"));
  EXPECT_GT(KindRank("admissionregistration.k8s.io", "MutatingWebhookConfiguration"),
            KindRank("example.com", "Widget"));
}

}  // namespace
}  // namespace skiff::sync
