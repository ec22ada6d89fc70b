#include "render/vars.h"

#include <gtest/gtest.h>

#include "render/transformer_test_support.h"

namespace skiff {
namespace {

using testing::At;
using testing::TransformerFixture;

std::string Expand(std::string_view input) {
  static const std::string kWeb = "web";
  return ExpandVars(input, [](std::string_view name) -> const std::string* {
    return name == "SVC" ? &kWeb : nullptr;
  });
}

TEST(ExpandVarsTest, FollowsKubernetesExpansionRules) {
  EXPECT_EQ(Expand("http://$(SVC):80"), "http://web:80");
  EXPECT_EQ(Expand("$$(SVC)"), "$(SVC)");
  EXPECT_EQ(Expand("$(OTHER)-$(SVC)"), "$(OTHER)-web");
  EXPECT_EQ(Expand("cost $5 and $"), "cost $5 and $");
  EXPECT_EQ(Expand("open $(SVC"), "open $(SVC");
  EXPECT_EQ(Expand("$$$(SVC)"), "$web");
}

const char* kObjects = R"yaml(apiVersion: v1
kind: Service
metadata:
  name: db
spec:
  ports:
  - port: 5432
---
apiVersion: v1
kind: Pod
metadata:
  name: client
  labels:
    db: $(DB)
spec:
  containers:
  - name: c
    image: psql
    args: ["$(DB)", "--port=$(PORT)", "$(PORT)", "$(NOPE)"]
    env:
    - name: X
      value: $(DB):$(PORT)
)yaml";

class VarsTest : public ::testing::Test {
 protected:
  void SetUp() override { fx_.Add(kObjects); }
  Status Merge(std::string_view yaml) { return vars_.Merge(fx_.Value(yaml), fx_.set(), fx_.ctx()); }
  Status Resolve() {
    return vars_.Resolve(fx_.set(), fx_.ctx().config.var_reference, fx_.arena(), warnings_);
  }
  const Node* Args() {
    return fx_.Root("client")->GetPath({"spec", "containers"})->items()[0]->Get("args");
  }
  TransformerFixture fx_;
  VarSet vars_;
  std::vector<std::string> warnings_;
};

const char* kDbVars = R"(- name: DB
  objref: {kind: Service, name: db, apiVersion: v1}
- name: PORT
  objref: {kind: Service, name: db, apiVersion: v1}
  fieldref:
    fieldpath: spec.ports[0].port
)";

TEST_F(VarsTest, SubstitutesAtVarReferenceFieldsAndKeepsWholeValueTypes) {
  ASSERT_TRUE(Merge(kDbVars).ok());
  Status s = Resolve();
  ASSERT_TRUE(s.ok()) << s.error().message;
  const Node* args = Args();
  EXPECT_EQ(args->items()[0]->scalar(), "db");
  EXPECT_EQ(args->items()[1]->scalar(), "--port=5432");
  EXPECT_EQ(args->items()[2]->kind(), NodeKind::kInt);
  EXPECT_EQ(args->items()[3]->scalar(), "$(NOPE)");
  EXPECT_EQ(At(fx_.Root("client"), {"metadata", "labels", "db"}), "db");
}

TEST_F(VarsTest, VarFollowsItsObjectThroughARename) {
  ASSERT_TRUE(Merge(kDbVars).ok());
  Resource* db = fx_.Find("db");
  db->previous_ids.push_back(db->Id());
  db->root->Get("metadata")->Set(InternKey("name"), fx_.arena().NewString("prod-db"));
  ASSERT_TRUE(Resolve().ok());
  EXPECT_EQ(Args()->items()[0]->scalar(), "prod-db");
}

TEST_F(VarsTest, DuplicateNameIsAnError) {
  ASSERT_TRUE(Merge(kDbVars).ok());
  Status s = Merge("- name: DB\n  objref: {kind: Pod, name: client, apiVersion: v1}\n");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("var 'DB' already encountered"), std::string::npos);
}

TEST_F(VarsTest, ObjrefVersionMustMatchExactly) {
  ASSERT_TRUE(Merge("- name: DB\n  objref: {kind: Service, name: db}\n").ok());
  Status s = Resolve();
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("cannot be mapped to a field"), std::string::npos);
}

TEST_F(VarsTest, MissingFieldIsAnErrorEvenWhenUnused) {
  ASSERT_TRUE(Merge(R"(- name: UNUSED
  objref: {kind: Service, name: db, apiVersion: v1}
  fieldref: {fieldPath: spec.clusterIP}
)").ok());
  Status s = Resolve();
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("not found in corresponding resource"), std::string::npos);
}

TEST_F(VarsTest, UnusedVarsAreReported) {
  ASSERT_TRUE(Merge("- name: LONELY\n  objref: {kind: Pod, name: client, apiVersion: v1}\n").ok());
  ASSERT_TRUE(Resolve().ok());
  ASSERT_EQ(warnings_.size(), 1u);
  EXPECT_NE(warnings_[0].find("LONELY"), std::string::npos);
}

TEST(VarsOracleTest, BaseVarsResolveToFinalNames) {
  if (!testing::OracleAvailable()) GTEST_SKIP() << "kubectl not installed";
  testing::TestTree tree;
  tree.Write("base/kustomization.yaml",
             std::string("resources: [objects.yaml]\nvars:\n") + kDbVars);
  tree.Write("base/objects.yaml", kObjects);
  tree.Write("kustomization.yaml", "resources: [base]\nnamePrefix: prod-\nnamespace: x\n");
  testing::ExpectSameAsOracle(tree);
}

}  // namespace
}  // namespace skiff
