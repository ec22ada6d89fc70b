#include "render/kustomization.h"

#include <gtest/gtest.h>

#include "render/test_tree.h"

namespace skiff {
namespace {

using testing::TestTree;

Result<Kustomization> Parse(std::string_view text, std::vector<std::string>& warnings,
                            Arena& arena) {
  return ParseKustomization(text, "/k/kustomization.yaml", "/k", arena, warnings);
}

std::string ErrorOf(std::string_view text) {
  Arena arena;
  std::vector<std::string> warnings;
  auto k = Parse(text, warnings, arena);
  return k.ok() ? std::string() : k.error().message;
}

TEST(KustomizationTest, ReadsFieldsAsNodes) {
  Arena arena;
  std::vector<std::string> warnings;
  auto k = Parse("namePrefix: p-\nresources:\n- a.yaml\n- ../base\n", warnings, arena);
  ASSERT_TRUE(k.ok()) << k.error().message;
  ASSERT_NE(k->name_prefix, nullptr);
  EXPECT_EQ(k->name_prefix->scalar(), "p-");
  ASSERT_NE(k->resources, nullptr);
  ASSERT_EQ(k->resources->items().size(), 2u);
  EXPECT_EQ(k->Where(k->resources->items()[1]), "/k/kustomization.yaml:4");
  EXPECT_FALSE(k->is_component);
  EXPECT_TRUE(warnings.empty());
}

TEST(KustomizationTest, UnknownFieldIsAnErrorWithItsLine) {
  std::string e = ErrorOf("resources: []\nnamespace: x\nfoo: bar\n");
  EXPECT_NE(e.find("/k/kustomization.yaml:3"), std::string::npos) << e;
  EXPECT_NE(e.find("unknown field \"foo\""), std::string::npos) << e;
}

TEST(KustomizationTest, RepeatedKeyLastWins) {
  Arena arena;
  std::vector<std::string> warnings;
  auto k = Parse("namePrefix: a-\nresources: []\nnamePrefix: b-\n", warnings, arena);
  ASSERT_TRUE(k.ok()) << k.error().message;
  EXPECT_EQ(k->name_prefix->scalar(), "b-");
}

TEST(KustomizationTest, OnlyTheFirstDocumentCounts) {
  Arena arena;
  std::vector<std::string> warnings;
  auto k = Parse("namePrefix: a-\n---\nfoo: 1\n", warnings, arena);
  ASSERT_TRUE(k.ok()) << k.error().message;
  EXPECT_EQ(k->resources, nullptr);
}

TEST(KustomizationTest, EmptyKustomizationsAreErrors) {
  // Each of these equals kustomize's zero Kustomization once read.
  for (const char* text : {"", "# only a comment\n", "---\n", "namePrefix: \"\"\n",
                           "resources:\n", "bases: []\n", "metadata: {}\n",
                           "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n",
                           "kind: Component\n", "kind: Foo\n"}) {
    EXPECT_NE(ErrorOf(text).find("is empty"), std::string::npos) << text;
  }
  // An empty list or map is set, though.
  for (const char* text : {"resources: []\n", "commonAnnotations: {}\n", "sortOptions: {}\n"}) {
    EXPECT_EQ(ErrorOf(text), "") << text;
  }
}

TEST(KustomizationTest, WrongShapesAreErrors) {
  EXPECT_NE(ErrorOf("namePrefix: 5\n").find("namePrefix' must be a string"), std::string::npos);
  EXPECT_NE(ErrorOf("resources: a.yaml\n").find("list of strings"), std::string::npos);
  EXPECT_NE(ErrorOf("resources: [5]\n").find("list of strings"), std::string::npos);
  EXPECT_NE(ErrorOf("commonLabels: [a]\n").find("map of strings"), std::string::npos);
  EXPECT_NE(ErrorOf("- a\n").find("expected a map"), std::string::npos);
}

TEST(KustomizationTest, KindAndApiVersionMustAgree) {
  EXPECT_NE(ErrorOf("kind: Foo\nresources: []\n").find("kind should be Kustomization or Component"),
            std::string::npos);
  EXPECT_NE(ErrorOf("apiVersion: foo/v1\nresources: []\n")
                .find("apiVersion for Kustomization should be kustomize.config.k8s.io/v1beta1"),
            std::string::npos);
  EXPECT_NE(ErrorOf("apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Component\n"
                    "resources: []\n")
                .find("apiVersion for Component should be kustomize.config.k8s.io/v1alpha1"),
            std::string::npos);
  Arena arena;
  std::vector<std::string> warnings;
  auto c = Parse("kind: Component\nresources: []\n", warnings, arena);
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_TRUE(c->is_component);
}

TEST(KustomizationTest, DeprecatedFieldsWarnInKustomizeOrder) {
  Arena arena;
  std::vector<std::string> warnings;
  auto k = Parse(
      "vars: []\ncommonLabels: {a: b}\npatchesStrategicMerge: []\nimageTags: []\n"
      "patchesJson6902: []\nbases: [x]\n",
      warnings, arena);
  ASSERT_TRUE(k.ok()) << k.error().message;
  const std::string tail = " Run 'kustomize edit fix' to update your Kustomization automatically.";
  std::vector<std::string> expected = {
      "# Warning: 'bases' is deprecated. Please use 'resources' instead." + tail,
      "# Warning: 'commonLabels' is deprecated. Please use 'labels' instead." + tail,
      "# Warning: 'imageTags' is deprecated. Please use 'images' instead." + tail,
      "# Warning: 'patchesJson6902' is deprecated. Please use 'patches' instead." + tail,
      "# Warning: 'patchesStrategicMerge' is deprecated. Please use 'patches' instead." + tail,
      "# Warning: 'vars' is deprecated. Please use 'replacements' instead. [EXPERIMENTAL]" + tail,
  };
  EXPECT_EQ(warnings, expected);
}

TEST(KustomizationTest, WarningsComeBeforeTheEmptyError) {
  Arena arena;
  std::vector<std::string> warnings;
  auto k = Parse("bases: []\n", warnings, arena);
  EXPECT_FALSE(k.ok());
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("'bases' is deprecated"), std::string::npos);
}

TEST(KustomizationFileTest, FindsEachAcceptedName) {
  for (std::string_view name : KustomizationFileNames()) {
    TestTree tree;
    tree.Write(name, "resources: []\n");
    auto found = FindKustomizationFile(tree.root());
    ASSERT_TRUE(found.ok()) << found.error().message;
    EXPECT_EQ(*found, tree.Path(name));
  }
}

TEST(KustomizationFileTest, NoneOrSeveralAreErrors) {
  TestTree tree;
  tree.Mkdir("none");
  auto none = FindKustomizationFile(tree.Path("none"));
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().message,
            "unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' "
            "in directory '" + tree.Path("none") + "'");
  tree.Write("two/kustomization.yaml", "resources: []\n");
  tree.Write("two/Kustomization", "resources: []\n");
  auto two = FindKustomizationFile(tree.Path("two"));
  ASSERT_FALSE(two.ok());
  EXPECT_NE(two.error().message.find("multiple kustomization files"), std::string::npos);
}

TEST(KustomizationFileTest, LoadNamesTheFile) {
  TestTree tree;
  tree.Write("kustomization.yml", "\nnamespace: [x]\n");
  Arena arena;
  std::vector<std::string> warnings;
  auto k = LoadKustomization(tree.root(), arena, warnings);
  ASSERT_FALSE(k.ok());
  EXPECT_NE(k.error().message.find(tree.Path("kustomization.yml") + ":2"), std::string::npos)
      << k.error().message;
}

}  // namespace
}  // namespace skiff
