#include "render/patch_transformer.h"

#include <gtest/gtest.h>

#include "yaml/yaml.h"

namespace skiff {
namespace {

// Behaviour below was checked with `kubectl kustomize` (kustomize v5.5.0).

constexpr std::string_view kObjects = R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: web, labels: {tier: front}}
spec: {replicas: 1}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: worker, namespace: jobs, labels: {tier: back}, annotations: {team: data}}
spec: {replicas: 1}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: web-config}
data: {k: v}
)";

class PatchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto docs = ParseYamlStream(kObjects, "objects.yaml", arena_);
    ASSERT_TRUE(docs.ok()) << docs.error().message;
    for (const YamlDocument& d : *docs) {
      Resource r;
      r.root = d.root;
      ASSERT_TRUE(set_.Add(std::move(r)).ok());
    }
  }

  Result<Patch> Parse(std::string_view text) { return ParsePatchText(text, "patch.yaml", arena_); }

  Status Apply(std::string_view text, std::string_view target = {}, bool allow_name = false) {
    auto patch = Parse(text);
    if (!patch.ok()) return patch.error();
    if (!target.empty()) {
      auto t = ParseYamlStream(target, "kustomization.yaml", arena_);
      if (!t.ok()) return t.error();
      auto pt = PatchTarget::Parse(t->at(0).root, "kustomization.yaml");
      if (!pt.ok()) return pt.error();
      patch->target = std::move(*pt);
    }
    patch->allow_name_change = allow_name;
    return ApplyPatch(*patch, set_, arena_);
  }

  std::string Replicas(std::string_view name) {
    for (const Resource& r : set_) {
      if (r.Name() == name) {
        const Node* n = r.root->GetPath({"spec", "replicas"});
        return n != nullptr ? std::string(n->scalar()) : "none";
      }
    }
    return "absent";
  }

  Arena arena_;
  ResourceSet set_;
};

TEST_F(PatchTest, TextDecidesTheKindOfPatch) {
  auto smp = Parse("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n"
                   "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n");
  ASSERT_TRUE(smp.ok()) << smp.error().message;
  EXPECT_EQ(smp->smp.size(), 2u);
  auto json = Parse("- op: add\n  path: /spec/replicas\n  value: 3\n");
  ASSERT_TRUE(json.ok()) << json.error().message;
  EXPECT_EQ(json->json_ops.size(), 1u);
  // Neither: an object without kind/name, or plain text.
  EXPECT_FALSE(Parse("metadata:\n  labels: {x: y}\n").ok());
  EXPECT_FALSE(Parse("just a string").ok());
  EXPECT_FALSE(Parse("").ok());
}

TEST_F(PatchTest, StrategicMergeWithoutTargetFindsItsObjectById) {
  ASSERT_TRUE(Apply("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: worker, namespace: "
                    "jobs}\nspec: {replicas: 4}\n")
                  .ok());
  EXPECT_EQ(Replicas("worker"), "4");
  // An unset namespace and "default" are the same namespace.
  ASSERT_TRUE(Apply("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: "
                    "default}\nspec: {replicas: 5}\n")
                  .ok());
  EXPECT_EQ(Replicas("web"), "5");
  EXPECT_EQ(set_[0].Namespace(), "");
}

TEST_F(PatchTest, StrategicMergeWithoutMatchingObjectIsAnError) {
  Status s = Apply("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: other}\n");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("no resource matches strategic merge patch "
                                   "\"Deployment.v1.apps/other.[noNs]\""),
            std::string::npos)
      << s.error().message;
  // A namespace that differs is another object.
  EXPECT_FALSE(Apply("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: "
                     "x}\n")
                   .ok());
}

TEST_F(PatchTest, TargetedJsonPatchUsesSelectorsAndRegexes) {
  ASSERT_TRUE(Apply("- op: replace\n  path: /spec/replicas\n  value: 3\n",
                    "{kind: Deploy.*, labelSelector: 'tier notin (front)', annotationSelector: "
                    "team=data}")
                  .ok());
  EXPECT_EQ(Replicas("worker"), "3");
  EXPECT_EQ(Replicas("web"), "1");
  // Regexes are anchored: "Deploy" alone selects nothing, which is no error.
  ASSERT_TRUE(Apply("- op: replace\n  path: /spec/replicas\n  value: 9\n", "{kind: Deploy}").ok());
  EXPECT_EQ(Replicas("web"), "1");
}

TEST_F(PatchTest, NameIsRestoredUnlessAllowedToChange) {
  std::string patch = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: renamed}\n"
                      "spec: {replicas: 7}\n";
  ASSERT_TRUE(Apply(patch, "{name: web}").ok());
  EXPECT_EQ(Replicas("web"), "7");
  ASSERT_TRUE(Apply(patch, "{name: web, namespace: default}", /*allow_name=*/true).ok());
  EXPECT_EQ(Replicas("renamed"), "7");
  // The former id is kept, so the object is still found by its old name.
  ASSERT_TRUE(Apply("- op: replace\n  path: /spec/replicas\n  value: 8\n", "{name: web}").ok());
  EXPECT_EQ(Replicas("renamed"), "8");
}

TEST_F(PatchTest, DeleteDirectiveRemovesTheObject) {
  ASSERT_TRUE(
      Apply("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web-config}\n$patch: delete\n").ok());
  EXPECT_EQ(set_.size(), 2u);
  EXPECT_EQ(Replicas("web-config"), "absent");
}

TEST_F(PatchTest, JsonPatchErrorsNameTheSourceAndOperation) {
  Status s = Apply("- op: replace\n  path: /spec/nope/x\n  value: 3\n", "{name: web}");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("patch.yaml"), std::string::npos) << s.error().message;
  EXPECT_NE(s.error().message.find("replace /spec/nope/x"), std::string::npos)
      << s.error().message;
}

TEST(LabelSelectorTest, KubernetesSyntax) {
  Arena arena;
  auto labels = ParseYamlStream("{app: web, tier: front, n: '5'}", "l.yaml", arena);
  ASSERT_TRUE(labels.ok());
  const Node* l = labels->at(0).root;
  auto matches = [&](std::string_view sel) {
    auto s = LabelSelector::Parse(sel);
    EXPECT_TRUE(s.ok()) << sel;
    return s.ok() && s->Matches(l);
  };
  EXPECT_TRUE(matches(""));
  EXPECT_TRUE(matches("app=web"));
  EXPECT_TRUE(matches("app==web,tier"));
  EXPECT_FALSE(matches("app!=web"));
  EXPECT_TRUE(matches("tier in (back, front)"));
  EXPECT_FALSE(matches("tier notin (back,front)"));
  EXPECT_TRUE(matches("!legacy"));
  EXPECT_FALSE(matches("legacy"));
  EXPECT_TRUE(matches("missing!=x"));
  EXPECT_TRUE(matches("n>4,n<6"));
  EXPECT_FALSE(LabelSelector::Parse("app=web,").ok());
  EXPECT_FALSE(LabelSelector::Parse("tier in (a").ok());
  EXPECT_FALSE(LabelSelector::Parse("n > x").ok());
}

}  // namespace
}  // namespace skiff
