#include "render/configurations.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "render/file_loader.h"
#include "render/transformer_test_support.h"

namespace skiff {
namespace {

const Node* ParseOne(Arena& arena, std::string_view yaml) {
  auto docs = ParseYamlStream(yaml, "config.yaml", arena);
  EXPECT_TRUE(docs.ok());
  return (*docs)[0].root;
}

size_t CountPath(const std::vector<FieldSpec>& specs, std::string_view path) {
  size_t n = 0;
  for (const FieldSpec& s : specs) n += s.PathString() == path ? 1 : 0;
  return n;
}

TEST(ConfigurationsTest, ScopeSharesBuiltinTablesUntilAFileExtendsThem) {
  ConfigurationScope scope;
  EXPECT_EQ(&scope.config(), &TransformerConfig::Builtin());
  testing::TestTree tree;
  tree.Write("c.yaml", "images:\n- kind: WebApp\n  path: spec/image\n");
  Arena arena;
  const Node* list = ParseOne(arena, "- c.yaml\n");
  FileLoader loader = FileLoader::ForRoot(tree.root()).value();
  ASSERT_TRUE(scope.AddFiles(list, loader, arena, "kustomization.yaml").ok());
  EXPECT_NE(&scope.config(), &TransformerConfig::Builtin());
  EXPECT_EQ(CountPath(scope.config().images, "spec/image"), 1u);
  EXPECT_EQ(scope.config().images.size(), TransformerConfig::Builtin().images.size() + 1);
}

TEST(ConfigurationsTest, BaseTablesJoinTheParentButNotTheOtherWay) {
  testing::TestTree tree;
  tree.Write("base.yaml", "replicas:\n- kind: WebApp\n  path: spec/size\n");
  tree.Write("top.yaml", "replicas:\n- kind: Cache\n  path: spec/nodes\n");
  Arena arena;
  FileLoader loader = FileLoader::ForRoot(tree.root()).value();
  ConfigurationScope base, top;
  ASSERT_TRUE(base.AddFiles(ParseOne(arena, "- base.yaml\n"), loader, arena, "k").ok());
  ASSERT_TRUE(top.AddFiles(ParseOne(arena, "- top.yaml\n"), loader, arena, "k").ok());
  ASSERT_TRUE(top.MergeFrom(base).ok());
  EXPECT_EQ(CountPath(top.config().replicas, "spec/size"), 1u);
  EXPECT_EQ(CountPath(top.config().replicas, "spec/nodes"), 1u);
  EXPECT_EQ(CountPath(base.config().replicas, "spec/nodes"), 0u);
}

// The labels transformer acts on the commonLabels table as it is (no merge
// into a copy), which is the merge's result only while a table holds each
// (group, version, kind, path) once: true of the built-in tables, and kept
// by every merge (MergeFieldSpec), a CRD's and a configurations file's too.
TEST(ConfigurationsTest, TablesHoldEachSpecOnce) {
  auto distinct = [](const std::vector<FieldSpec>& specs) {
    std::set<std::string> seen;
    for (const FieldSpec& s : specs) {
      if (!seen.insert(s.group + "|" + s.version + "|" + s.kind + "|" + s.PathString()).second) {
        return "repeated: " + s.kind + " " + s.PathString();
      }
    }
    return std::string("distinct");
  };
  const TransformerConfig& builtin = TransformerConfig::Builtin();
  EXPECT_EQ(distinct(builtin.common_labels), "distinct");
  EXPECT_EQ(distinct(builtin.common_annotations), "distinct");
  testing::TestTree tree;
  tree.Write("labels.yaml",
             "commonLabels:\n- kind: WebApp\n  path: spec/selector/matchLabels\n  create: true\n"
             "- kind: WebApp\n  path: spec/selector/matchLabels\n  create: true\n"
             "- path: metadata/labels\n  create: true\n");
  Arena arena;
  FileLoader loader = FileLoader::ForRoot(tree.root()).value();
  ConfigurationScope scope;
  ASSERT_TRUE(scope.AddFiles(ParseOne(arena, "- labels.yaml\n"), loader, arena, "k").ok());
  EXPECT_EQ(distinct(scope.config().common_labels), "distinct");
  size_t webapp = 0;
  for (const FieldSpec& s : scope.config().common_labels) webapp += s.kind == "WebApp" ? 1 : 0;
  EXPECT_EQ(webapp, 1u);
}

TEST(ConfigurationsTest, NameReferenceReferrersJoinTheRuleForTheSameKind) {
  TransformerConfig config = TransformerConfig::Builtin();
  testing::TransformerFixture fx;
  auto extra = ParseTransformerConfig(fx.Value(R"(nameReference:
- kind: ConfigMap
  version: v1
  fieldSpecs:
  - kind: WebApp
    path: spec/configRef
)"),
                                      fx.ctx());
  ASSERT_TRUE(extra.ok()) << extra.error().message;
  size_t rules = config.name_reference.size();
  ASSERT_TRUE(MergeTransformerConfig(config, *extra).ok());
  EXPECT_EQ(config.name_reference.size(), rules);
  bool found = false;
  for (const NameReferenceRule& rule : config.name_reference) {
    if (rule.referee.kind != "ConfigMap") continue;
    found = found || CountPath(rule.referrers, "spec/configRef") == 1;
  }
  EXPECT_TRUE(found);
}

TEST(ConfigurationsTest, ConflictingCreateIsAnError) {
  testing::TransformerFixture fx;
  TransformerConfig config = TransformerConfig::Builtin();
  auto extra = ParseTransformerConfig(
      fx.Value("commonLabels:\n- path: metadata/labels\n  create: false\n"), fx.ctx());
  ASSERT_TRUE(extra.ok());
  Status s = MergeTransformerConfig(config, *extra);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("conflicting"), std::string::npos);
}

TEST(ConfigurationsOracleTest, CustomResourceTablesMatchKustomize) {
  if (!testing::OracleAvailable()) GTEST_SKIP() << "kubectl not installed";
  testing::TestTree tree;
  tree.Write("kustomization.yaml", R"(resources: [app.yaml]
configurations: [config.yaml]
namePrefix: dev-
commonLabels: {team: a}
configMapGenerator:
- name: cfg
  literals: [k=v]
)");
  tree.Write("app.yaml", R"(apiVersion: example.com/v1
kind: WebApp
metadata:
  name: shop
spec:
  configRef: cfg
  podLabels: {}
)");
  tree.Write("config.yaml", R"(nameReference:
- kind: ConfigMap
  version: v1
  fieldSpecs:
  - kind: WebApp
    path: spec/configRef
commonLabels:
- kind: WebApp
  path: spec/podLabels
)");
  testing::ExpectSameAsOracle(tree);
}

}  // namespace
}  // namespace skiff
