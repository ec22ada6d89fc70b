#include "render/replicas_transformer.h"

#include <gtest/gtest.h>

#include "render/builtin_transformers.h"
#include "render/transformer_test_support.h"

namespace skiff {
namespace {

using testing::At;
using testing::TransformerFixture;

TEST(ReplicasTransformer, MatchesCurrentOrPreviousNameOfAnyGroup) {
  TransformerFixture f;
  f.Add(R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: p-web
spec:
  replicas: "1"
---
apiVersion: example.com/v1
kind: ReplicaSet
metadata:
  name: rs
)");
  f.set()[0].previous_ids.push_back(ResId{Gvk{"apps", "v1", "Deployment"}, "", "web"});
  ASSERT_TRUE(f.Run(MakeReplicasTransformer(f.Value(R"(
- name: web
  count: 3
- name: rs
- name: web
  count: 5
)"),
                                            f.ctx()))
                  .ok());
  EXPECT_EQ(At(f.Root("p-web"), {"spec", "replicas"}), "5");
  EXPECT_EQ(f.Root("p-web")->GetPath({"spec", "replicas"})->kind(), NodeKind::kInt);
  EXPECT_EQ(At(f.Root("rs"), {"spec", "replicas"}), "0");
}

TEST(ReplicasTransformer, NoMatchingObjectIsAnError) {
  TransformerFixture f;
  f.Add("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n");
  Status s = f.Run(MakeReplicasTransformer(f.Value("- name: web\n  count: 2\n"), f.ctx()));
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("no object named web"), std::string::npos);
}

TEST(ReplicasTransformer, CountMustBeAnInteger) {
  TransformerFixture f;
  Status s = f.Run(MakeReplicasTransformer(f.Value("- name: web\n  count: \"3\"\n"), f.ctx()));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message, "kustomization.yaml:2: replicas.count: expected an integer");
}

}  // namespace
}  // namespace skiff
