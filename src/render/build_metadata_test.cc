#include "render/build_metadata.h"

#include <gtest/gtest.h>

#include "yaml/yaml.h"

namespace skiff {
namespace {

// Expectations are what Go's filepath.Join returns for the same arguments.
TEST(BuildMetadataTest, OriginPathsJoinLikeGo) {
  EXPECT_EQ(JoinOriginPath("", "deploy.yaml"), "deploy.yaml");
  EXPECT_EQ(JoinOriginPath("", "./sub/../deploy.yaml"), "deploy.yaml");
  EXPECT_EQ(JoinOriginPath("../base", "deploy.yaml"), "../base/deploy.yaml");
  EXPECT_EQ(JoinOriginPath("../base", "../common/"), "../common");
  EXPECT_EQ(JoinOriginPath("a/b/", "../../../x"), "../x");
  EXPECT_EQ(JoinOriginPath("a", ".."), ".");
  EXPECT_EQ(JoinOriginPath("/abs", "../../x"), "/x");
  EXPECT_EQ(JoinOriginPath("", ""), "");
}

TEST(BuildMetadataTest, OptionsAreReadAndUnknownOnesIgnored) {
  Arena arena;
  auto docs = ParseYamlStream("[managedByLabel, bogus]", "k.yaml", arena);
  ASSERT_TRUE(docs.ok());
  BuildMetadata m = BuildMetadata::FromField(docs->front().root);
  EXPECT_TRUE(m.track);
  EXPECT_TRUE(m.managed_by_label);
  EXPECT_FALSE(m.origin_annotations);
  EXPECT_FALSE(m.transformer_annotations);
  EXPECT_FALSE(BuildMetadata::FromField(nullptr).track);
}

TEST(BuildMetadataTest, TransformationsAccumulateInOrder) {
  Arena arena;
  auto docs = ParseYamlStream("{apiVersion: v1, kind: ConfigMap, metadata: {name: a}}", "r", arena);
  ASSERT_TRUE(docs.ok());
  ResourceSet set;
  Resource r;
  r.root = docs->front().root;
  ASSERT_TRUE(set.Add(std::move(r)).ok());
  AddTransformation(arena, set, "../base/kustomization.yaml", "PrefixTransformer");
  AddTransformation(arena, set, "kustomization.yaml", "NamespaceTransformer");
  const Node* v = set[0].root->GetPath(
      {"metadata", "annotations", "alpha.config.kubernetes.io/transformations"});
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(v->scalar(),
            "- configuredIn: ../base/kustomization.yaml\n  configuredBy:\n    apiVersion: builtin\n"
            "    kind: PrefixTransformer\n- configuredIn: kustomization.yaml\n  configuredBy:\n"
            "    apiVersion: builtin\n    kind: NamespaceTransformer\n");
}

}  // namespace
}  // namespace skiff
