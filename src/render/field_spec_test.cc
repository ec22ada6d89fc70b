#include "render/field_spec.h"

#include <gtest/gtest.h>

#include "render/transformer_test_support.h"

namespace skiff {
namespace {

using testing::At;

Node* Parse(Arena& arena, std::string_view yaml) {
  auto docs = ParseYamlStream(yaml, "r.yaml", arena);
  EXPECT_TRUE(docs.ok());
  return (*docs)[0].root;
}

int CountLeaves(Arena& arena, Node* root, std::string_view path, bool create = false) {
  int n = 0;
  Status s = VisitFields(arena, root, FieldSpec::Make("", "", "", path, create),
                         [&](FieldLeaf&) { ++n; return Status::Ok(); });
  EXPECT_TRUE(s.ok()) << s.error().message;
  return n;
}

TEST(FieldSpec, SplitKeepsEscapedSlashes) {
  EXPECT_EQ(SplitFieldPath("metadata/annotations/a\\/b"),
            (std::vector<std::string>{"metadata", "annotations", "a/b"}));
}

TEST(FieldSpec, EntersSequencesElementByElement) {
  Arena arena;
  Node* root = Parse(arena, "spec:\n  containers:\n  - image: a\n  - image: b\n  - name: c\n");
  EXPECT_EQ(CountLeaves(arena, root, "spec/containers[]/image"), 2);
  EXPECT_EQ(CountLeaves(arena, root, "spec/containers/image"), 2);
}

TEST(FieldSpec, ListSegmentsAreNeverCreatedButNullBecomesEmptyList) {
  Arena arena;
  Node* root = Parse(arena, "spec:\n  a: null\n");
  EXPECT_EQ(CountLeaves(arena, root, "spec/b[]/metadata/labels", true), 0);
  EXPECT_EQ(At(root, {"spec", "b"}), "<absent>");
  EXPECT_EQ(CountLeaves(arena, root, "spec/a[]/image"), 0);
  EXPECT_TRUE(root->GetPath({"spec", "a"})->IsSeq());
}

TEST(FieldSpec, CreateMakesIntermediateMapsAndOffersTheMissingLeaf) {
  Arena arena;
  Node* root = Parse(arena, "kind: X\nspec: null\n");
  FieldLeaf seen{nullptr, {}, nullptr};
  Status s = VisitFields(arena, root, FieldSpec::Make("", "", "", "spec/selector/app", true),
                         [&](FieldLeaf& leaf) { seen = leaf; return Status::Ok(); });
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(seen.parent, root->GetPath({"spec", "selector"}));
  EXPECT_EQ(seen.key, "app");
  EXPECT_EQ(seen.value, nullptr);
  EXPECT_EQ(CountLeaves(arena, root, "spec/none/app"), 0);
  EXPECT_EQ(At(root, {"spec", "none"}), "<absent>");
}

TEST(FieldSpec, ScalarWhereThePathGoesOnIsAnError) {
  Arena arena;
  Node* root = Parse(arena, "spec:\n  containers:\n  - just-a-string\n");
  Status s = VisitFields(arena, root, FieldSpec::Make("", "", "", "spec/containers[]/image"),
                         [](FieldLeaf&) { return Status::Ok(); });
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message,
            "field spec/containers[]/image: expected a sequence or map, found a string");
}

TEST(FieldSpec, SelectsOnNonEmptyParts) {
  FieldSpec spec = FieldSpec::Make("apps", "", "Deployment", "spec");
  EXPECT_TRUE(spec.Selects(Gvk{"apps", "v1", "Deployment"}));
  EXPECT_FALSE(spec.Selects(Gvk{"extensions", "v1beta1", "Deployment"}));
  EXPECT_FALSE(spec.Selects(Gvk{"apps", "v1", "StatefulSet"}));
}

}  // namespace
}  // namespace skiff
