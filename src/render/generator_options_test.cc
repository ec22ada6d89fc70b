#include "render/generator_options.h"

#include <gtest/gtest.h>

#include "yaml/yaml.h"

namespace skiff {
namespace {

Result<GeneratorOptions> ParseText(Arena& arena, std::string_view yaml) {
  auto docs = ParseYamlStream(yaml, "kustomization.yaml", arena);
  EXPECT_TRUE(docs.ok());
  return ParseGeneratorOptions((*docs)[0].root, "kustomization.yaml");
}

using P = std::vector<std::pair<std::string, std::string>>;

TEST(GeneratorOptions, ParsesEveryField) {
  Arena arena;
  auto o = ParseText(arena,
                     "labels: {b: \"2\", a: x}\nannotations: {n: v}\n"
                     "disableNameSuffixHash: true\nimmutable: false\n");
  ASSERT_TRUE(o.ok()) << o.error().message;
  EXPECT_EQ(o->labels, (P{{"a", "x"}, {"b", "2"}}));
  EXPECT_EQ(o->annotations, (P{{"n", "v"}}));
  EXPECT_TRUE(o->disable_name_suffix_hash);
  EXPECT_FALSE(o->immutable);
}

TEST(GeneratorOptions, NumericLabelValueIsAnErrorWithLine) {
  // kustomize: "cannot unmarshal number into ... labels of type string".
  Arena arena;
  auto o = ParseText(arena, "labels:\n  a: 1\n");
  ASSERT_FALSE(o.ok());
  EXPECT_NE(o.error().message.find("kustomization.yaml:2"), std::string::npos) << o.error().message;
}

TEST(GeneratorOptions, UnknownFieldIsAnError) {
  Arena arena;
  EXPECT_FALSE(ParseText(arena, "labelz: {a: b}\n").ok());
}

TEST(GeneratorOptions, LocalWinsAndSwitchesOnlyTurnOn) {
  GeneratorOptions local;
  local.labels = {{"both", "local"}, {"l", "2"}};
  local.disable_name_suffix_hash = false;
  GeneratorOptions global;
  global.labels = {{"both", "global"}, {"g", "1"}};
  global.annotations = {{"ga", "x"}};
  global.immutable = true;
  global.disable_name_suffix_hash = true;
  GeneratorOptions m = MergeGeneratorOptions(local, global);
  EXPECT_EQ(m.labels, (P{{"both", "local"}, {"g", "1"}, {"l", "2"}}));
  EXPECT_EQ(m.annotations, (P{{"ga", "x"}}));
  EXPECT_TRUE(m.immutable);
  EXPECT_TRUE(m.disable_name_suffix_hash);

  GeneratorOptions local_on;
  local_on.immutable = true;
  EXPECT_TRUE(MergeGeneratorOptions(local_on, GeneratorOptions{}).immutable);
}

}  // namespace
}  // namespace skiff
