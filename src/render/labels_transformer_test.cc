#include "render/labels_transformer.h"

#include <gtest/gtest.h>

#include "render/builtin_transformers.h"
#include "render/transformer_test_support.h"

namespace skiff {
namespace {

using testing::At;
using testing::TransformerFixture;

constexpr std::string_view kWorkloads = R"(apiVersion: v1
kind: Service
metadata:
  name: svc
spec:
  ports:
  - port: 80
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: dep
  labels: null
spec:
  template:
    spec:
      affinity:
        podAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
          - labelSelector:
              matchLabels:
                x: y
          - topologyKey: k
---
apiVersion: batch/v1
kind: Job
metadata:
  name: job
spec:
  selector:
    matchLabels: null
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: sts
)";

TEST(LabelsTransformer, CommonLabelsReachSelectorsAndTemplates) {
  TransformerFixture f;
  f.Add(kWorkloads);
  ASSERT_TRUE(f.Run(MakeCommonLabelsTransformer(f.Value("app: web"), f.ctx())).ok());
  EXPECT_EQ(At(f.Root("svc"), {"metadata", "labels", "app"}), "web");
  EXPECT_EQ(At(f.Root("svc"), {"spec", "selector", "app"}), "web");
  EXPECT_EQ(At(f.Root("dep"), {"metadata", "labels", "app"}), "web");
  EXPECT_EQ(At(f.Root("dep"), {"spec", "selector", "matchLabels", "app"}), "web");
  EXPECT_EQ(At(f.Root("dep"), {"spec", "template", "metadata", "labels", "app"}), "web");
  const Node* terms = f.Root("dep")->GetPath(
      {"spec", "template", "spec", "affinity", "podAffinity",
       "requiredDuringSchedulingIgnoredDuringExecution"});
  ASSERT_NE(terms, nullptr);
  EXPECT_EQ(At(terms->items()[0], {"labelSelector", "matchLabels", "app"}), "web");
  EXPECT_EQ(At(terms->items()[1], {"labelSelector"}), "<absent>");
  // Job selectors are not created, and a null one stays null.
  EXPECT_EQ(At(f.Root("job"), {"spec", "selector", "matchLabels"}), "null");
  // A StatefulSet without volumeClaimTemplates does not grow one.
  EXPECT_EQ(At(f.Root("sts"), {"spec", "volumeClaimTemplates"}), "<absent>");
}

TEST(LabelsTransformer, LabelsEntryWithoutSelectorsTouchesMetadataOnly) {
  TransformerFixture f;
  f.Add(kWorkloads);
  ASSERT_TRUE(f.Run(MakeLabelsTransformer(f.Value("pairs: {team: a}"), f.ctx())).ok());
  EXPECT_EQ(At(f.Root("dep"), {"metadata", "labels", "team"}), "a");
  EXPECT_EQ(At(f.Root("dep"), {"spec", "selector"}), "<absent>");
  EXPECT_EQ(At(f.Root("dep"), {"spec", "template", "metadata"}), "<absent>");
  EXPECT_EQ(At(f.Root("svc"), {"spec", "selector"}), "<absent>");
}

TEST(LabelsTransformer, IncludeTemplatesAddsTemplateLabelsButNoSelectors) {
  TransformerFixture f;
  f.Add(kWorkloads);
  ASSERT_TRUE(f.Run(MakeLabelsTransformer(
                        f.Value("pairs: {t: v}\nincludeTemplates: true"), f.ctx()))
                  .ok());
  EXPECT_EQ(At(f.Root("dep"), {"spec", "template", "metadata", "labels", "t"}), "v");
  EXPECT_EQ(At(f.Root("dep"), {"spec", "selector"}), "<absent>");
}

TEST(LabelsTransformer, CustomFieldsAreAddedToMetadataLabels) {
  TransformerFixture f;
  f.Add("apiVersion: example.com/v1\nkind: Foo\nmetadata:\n  name: foo\n");
  ASSERT_TRUE(f.Run(MakeLabelsTransformer(f.Value(R"(pairs: {c: d}
fields:
- path: spec/custom/labels
  kind: Foo
  create: true
- path: spec/missing
  kind: Foo
)"),
                                          f.ctx()))
                  .ok());
  EXPECT_EQ(At(f.Root("foo"), {"spec", "custom", "labels", "c"}), "d");
  EXPECT_EQ(At(f.Root("foo"), {"metadata", "labels", "c"}), "d");
  EXPECT_EQ(At(f.Root("foo"), {"spec", "missing"}), "<absent>");
}

TEST(LabelsTransformer, NullLabelValueReadsAsEmptyString) {
  TransformerFixture f;
  f.Add("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n");
  ASSERT_TRUE(f.Run(MakeCommonLabelsTransformer(f.Value("a: null"), f.ctx())).ok());
  EXPECT_EQ(At(f.Root("cm"), {"metadata", "labels", "a"}), "");
}

TEST(LabelsTransformer, FactoryErrorsNameFileLineAndField) {
  TransformerFixture f;
  Status s = f.Run(MakeCommonLabelsTransformer(f.Value("a: b\nc: 1\n"), f.ctx()));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message,
            "kustomization.yaml:2: commonLabels.c: expected a string value (quote numbers and "
            "booleans)");
  s = f.Run(MakeCommonLabelsTransformer(f.Value("\n- a\n"), f.ctx()));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message, "kustomization.yaml:2: commonLabels: expected a map of strings");
  s = f.Run(MakeLabelsTransformer(f.Value("pairs: {a: b}\nselectors: true\n"), f.ctx()));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message, "kustomization.yaml:2: labels: unknown field \"selectors\"");
}

TEST(LabelsTransformer, ConflictingCreateFlagsAreAnError) {
  TransformerFixture f;
  Status s = f.Run(MakeLabelsTransformer(
      f.Value("pairs: {a: b}\nfields:\n- path: metadata/labels\n  create: false\n"), f.ctx()));
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("conflicting field specs"), std::string::npos);
}

TEST(LabelsTransformer, LabelsOnAScalarIsAnErrorNamingTheObject) {
  TransformerFixture f;
  f.Add("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n  labels: oops\n");
  Status s = f.Run(MakeCommonLabelsTransformer(f.Value("a: b"), f.ctx()));
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("r.yaml:1: ConfigMap cm"), std::string::npos)
      << s.error().message;
}

TEST(AnnotationsTransformer, MetadataAndPodTemplates) {
  TransformerFixture f;
  f.Add(kWorkloads);
  ASSERT_TRUE(f.Run(MakeCommonAnnotationsTransformer(f.Value("note: hi"), f.ctx())).ok());
  EXPECT_EQ(At(f.Root("dep"), {"metadata", "annotations", "note"}), "hi");
  EXPECT_EQ(At(f.Root("dep"), {"spec", "template", "metadata", "annotations", "note"}), "hi");
  EXPECT_EQ(At(f.Root("svc"), {"spec", "selector"}), "<absent>");
}

}  // namespace
}  // namespace skiff
