#include "render/replacements_transformer.h"

#include <gtest/gtest.h>

#include "render/builtin_transformers.h"
#include "render/transformer_test_support.h"

namespace skiff {
namespace {

using testing::At;
using testing::TransformerFixture;

const char* kObjects = R"(apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  host: db.example.com
  replicas: "3"
  hosts: a,b,c
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  template:
    spec:
      containers:
      - name: app
        image: nginx:1.25
        env:
        - name: HOST
          value: old
)";

class ReplacementsTest : public ::testing::Test {
 protected:
  void SetUp() override { fx_.Add(kObjects); }
  Status Run(std::string_view yaml) {
    return fx_.Run(MakeReplacementsTransformer(fx_.Value(yaml), fx_.ctx()));
  }
  std::string EnvValue(std::string_view name = "web") {
    const Node* c = fx_.Root(name)->GetPath({"spec", "template", "spec", "containers"});
    return std::string(c->items()[0]->Get("env")->items()[0]->Get("value")->scalar());
  }
  TransformerFixture fx_;
};

TEST_F(ReplacementsTest, CopiesSourceFieldIntoSelectedTarget) {
  Status s = Run(R"(- source: {kind: ConfigMap, name: settings, fieldPath: data.host}
  targets:
  - select: {kind: Deployment}
    fieldPaths: ["spec.template.spec.containers.[name=app].env.[name=HOST].value"]
)");
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(EnvValue(), "db.example.com");
}

TEST_F(ReplacementsTest, IntegerTargetStaysAnInteger) {
  ASSERT_TRUE(Run(R"(- source: {kind: ConfigMap, fieldPath: data.replicas}
  targets: [{select: {kind: Deployment}, fieldPaths: [spec.replicas]}]
)").ok());
  const Node* replicas = fx_.Root("web")->GetPath({"spec", "replicas"});
  EXPECT_EQ(replicas->kind(), NodeKind::kInt);
  EXPECT_EQ(replicas->scalar(), "3");
}

TEST_F(ReplacementsTest, TextThatIsNotANumberCannotGoIntoAnIntegerField) {
  Status s = Run(R"(- source: {kind: ConfigMap, fieldPath: data.host}
  targets: [{select: {kind: Deployment}, fieldPaths: [spec.replicas]}]
)");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("cannot decode !!str `db.example.com` as a !!int"),
            std::string::npos);
  EXPECT_NE(s.error().message.find("replacements[0]"), std::string::npos);
}

TEST_F(ReplacementsTest, DelimiterPicksSourceElementAndSplicesTarget) {
  ASSERT_TRUE(Run(R"(- source:
    kind: ConfigMap
    fieldPath: data.hosts
    options: {delimiter: ",", index: 2}
  targets:
  - select: {kind: Deployment}
    fieldPaths: ["spec.template.spec.containers.0.image"]
    options: {delimiter: ":", index: 0}
)").ok());
  EXPECT_EQ(At(fx_.Root("web")->GetPath({"spec", "template", "spec", "containers"})->items()[0],
               {"image"}),
            "c:1.25");
}

TEST_F(ReplacementsTest, NegativeIndexPrependsAndPastTheEndAppends) {
  ASSERT_TRUE(Run(R"(- source: {kind: ConfigMap, fieldPath: data.host}
  targets:
  - select: {kind: ConfigMap}
    fieldPaths: [data.hosts]
    options: {delimiter: ",", index: -1}
  - select: {kind: ConfigMap}
    fieldPaths: [data.hosts]
    options: {delimiter: ",", index: 99}
)").ok());
  EXPECT_EQ(At(fx_.Root("settings"), {"data", "hosts"}), "db.example.com,a,b,c,db.example.com");
}

TEST_F(ReplacementsTest, SourceMustMatchExactlyOneObject) {
  Status none = Run(R"(- source: {kind: Secret}
  targets: [{select: {kind: Deployment}}]
)");
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.error().message.find("nothing selected by Secret.[noVer].[noGrp]/[noName].[noNs]"),
            std::string::npos);
  Status one = Run(R"(- source: {group: apps}
  targets: [{select: {kind: Deployment}}]
)");
  EXPECT_TRUE(one.ok()) << "only the Deployment is in apps: " << one.error().message;
  Status several = Run(R"(- source: {}
  targets: [{select: {kind: Deployment}}]
)");
  ASSERT_FALSE(several.ok());
  EXPECT_NE(several.error().message.find("multiple matches"), std::string::npos);
}

TEST_F(ReplacementsTest, MissingTargetFieldIsAnErrorUnlessCreated) {
  Status s = Run(R"(- source: {kind: ConfigMap, fieldPath: data.host}
  targets: [{select: {kind: Deployment}, fieldPaths: [spec.template.metadata.annotations.host]}]
)");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("unable to find field"), std::string::npos);
  ASSERT_TRUE(Run(R"(- source: {kind: ConfigMap, fieldPath: data.replicas}
  targets:
  - select: {kind: Deployment}
    fieldPaths: [spec.template.metadata.annotations.count]
    options: {create: true}
)").ok());
  // A created field has no type of its own: "3" reads as a number.
  const Node* count =
      fx_.Root("web")->GetPath({"spec", "template", "metadata", "annotations", "count"});
  ASSERT_NE(count, nullptr);
  EXPECT_EQ(count->kind(), NodeKind::kInt);
}

TEST_F(ReplacementsTest, TargetsMatchPreviousNamesAndRejectsApply) {
  fx_.Find("web")->previous_ids.push_back(fx_.Find("web")->Id());
  fx_.Root("web")->Get("metadata")->Set(InternKey("name"), fx_.arena().NewString("prod-web"));
  ASSERT_TRUE(Run(R"(- source: {kind: ConfigMap, fieldPath: data.host}
  targets:
  - select: {name: web}
    fieldPaths: ["spec.template.spec.containers.0.env.0.value"]
  - select: {kind: Deployment}
    reject: [{kind: Deployment}]
    fieldPaths: [spec.replicas]
)").ok());
  EXPECT_EQ(EnvValue("prod-web"), "db.example.com");
  EXPECT_EQ(At(fx_.Root("prod-web"), {"spec", "replicas"}), "1");
}

TEST_F(ReplacementsTest, InlineEntriesRejectUnknownFields) {
  Status s = Run(R"(- source: {kind: ConfigMap, bogus: 1}
  targets: [{select: {kind: Deployment}}]
)");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("unknown field \"bogus\""), std::string::npos);
  EXPECT_NE(s.error().message.find("kustomization.yaml:1"), std::string::npos);
}

TEST(ReplacementsOracleTest, PathFilesAndCreateMatchKustomize) {
  if (!testing::OracleAvailable()) GTEST_SKIP() << "kubectl not installed";
  testing::TestTree tree;
  tree.Write("kustomization.yaml", R"(resources: [objects.yaml]
namePrefix: p-
replacements:
- path: one.yaml
- path: many.yaml
)");
  tree.Write("objects.yaml", kObjects);
  tree.Write("one.yaml", R"(source: {kind: ConfigMap, fieldPath: data.host}
targets:
- select: {kind: Deployment, name: web}
  fieldPaths:
  - spec.template.spec.containers.*.env.[name=HOST].value
  - spec.template.spec.containers.[name=app].env.[name=NEW].value
  options: {create: true}
)");
  tree.Write("many.yaml", R"(- source: {kind: ConfigMap, fieldPath: data.replicas}
  targets: [{select: {kind: Deployment}, fieldPaths: [spec.replicas]}]
)");
  testing::ExpectSameAsOracle(tree);
}

}  // namespace
}  // namespace skiff
