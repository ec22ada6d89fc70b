#include "render/field_path.h"

#include <gtest/gtest.h>

#include "yaml/yaml.h"

namespace skiff {
namespace {

using Kind = FieldPathSegment::Kind;

Node* Parse(Arena& arena, std::string_view yaml) {
  auto docs = ParseYamlStream(yaml, "t.yaml", arena);
  EXPECT_TRUE(docs.ok());
  return (*docs)[0].root;
}

const char* kPod = R"(spec:
  containers:
  - name: app
    image: nginx
    env:
    - name: A
      value: "1"
  - name: side
    image: busybox
  ports: [80, 443]
metadata:
  annotations:
    a.b/c: x
)";

TEST(FieldPathTest, BracketsKeepDotsInsideOneSegment) {
  auto path = FieldPath::Parse("metadata.annotations.[a.b/c]");
  ASSERT_TRUE(path.ok());
  ASSERT_EQ(path->segments.size(), 3u);
  EXPECT_EQ(path->segments[2].kind, Kind::kKey);
  EXPECT_EQ(path->segments[2].key, "a.b/c");
}

TEST(FieldPathTest, ParsesSelectorsIndexesAndWildcards) {
  auto path = FieldPath::Parse("spec.containers.[name=app].env.*.x.0.[=v].ports[1]");
  ASSERT_TRUE(path.ok());
  std::vector<Kind> kinds;
  for (const auto& s : path->segments) kinds.push_back(s.kind);
  EXPECT_EQ(kinds, (std::vector<Kind>{Kind::kKey, Kind::kKey, Kind::kMatch, Kind::kKey,
                                      Kind::kWildcard, Kind::kKey, Kind::kIndex,
                                      Kind::kScalarMatch, Kind::kKey, Kind::kIndex}));
  EXPECT_EQ(path->segments[2].key, "name");
  EXPECT_EQ(path->segments[2].value, "app");
  EXPECT_EQ(path->segments[9].index, 1u);
}

TEST(FieldPathTest, EmptySegmentIsAnError) {
  auto path = FieldPath::Parse("spec..name");
  ASSERT_FALSE(path.ok());
  EXPECT_NE(path.error().message.find("spec..name"), std::string::npos);
}

TEST(FieldPathTest, LookupFollowsSelectorsAndIndexes) {
  Arena arena;
  Node* root = Parse(arena, kPod);
  auto at = [&](std::string_view p) {
    Node* n = LookupField(root, FieldPath::Parse(p).value());
    return n == nullptr ? std::string("<none>") : std::string(n->scalar());
  };
  EXPECT_EQ(at("spec.containers.[name=side].image"), "busybox");
  EXPECT_EQ(at("spec.containers.0.env.[name=A].value"), "1");
  EXPECT_EQ(at("spec.ports.1"), "443");
  EXPECT_EQ(at("spec.ports[0]"), "80");
  EXPECT_EQ(at("spec.ports.[=443]"), "443");
  EXPECT_EQ(at("metadata.annotations.[a.b/c]"), "x");
  EXPECT_EQ(at("spec.containers.[name=nope].image"), "<none>");
  EXPECT_EQ(at("spec.containers.5.image"), "<none>");
}

TEST(FieldPathTest, WildcardReachesEveryElement) {
  Arena arena;
  Node* root = Parse(arena, kPod);
  auto slots = FindFieldSlots(arena, root, FieldPath::Parse("spec.containers.*.image").value(),
                              false);
  ASSERT_TRUE(slots.ok());
  ASSERT_EQ(slots->size(), 2u);
  EXPECT_EQ((*slots)[1].value->scalar(), "busybox");
}

TEST(FieldPathTest, CreateMakesMapsListElementsAndAnEmptyLeaf) {
  Arena arena;
  Node* root = Parse(arena, kPod);
  auto path = FieldPath::Parse("spec.containers.[name=side].env.[name=B].value").value();
  auto slots = FindFieldSlots(arena, root, path, true);
  ASSERT_TRUE(slots.ok()) << slots.error().message;
  ASSERT_EQ(slots->size(), 1u);
  EXPECT_EQ((*slots)[0].value, nullptr);
  (*slots)[0].Set(arena.NewString("v"));
  EXPECT_EQ(LookupField(root, path)->scalar(), "v");
  const Node* env = root->GetPath({"spec", "containers"})->items()[1]->Get("env");
  ASSERT_TRUE(env != nullptr && env->IsSeq());
  EXPECT_EQ(env->items()[0]->GetString("name"), "B");
}

TEST(FieldPathTest, CreateDoesNotExtendAListByIndex) {
  Arena arena;
  Node* root = Parse(arena, kPod);
  auto slots = FindFieldSlots(arena, root, FieldPath::Parse("spec.containers.5.x").value(), true);
  ASSERT_FALSE(slots.ok());
  EXPECT_NE(slots.error().message.find("index 5 specified but only 2 elements found"),
            std::string::npos);
}

TEST(FieldPathTest, WithoutCreateMissingBranchesAreSkipped) {
  Arena arena;
  Node* root = Parse(arena, kPod);
  auto slots = FindFieldSlots(arena, root, FieldPath::Parse("spec.nope.x").value(), false);
  ASSERT_TRUE(slots.ok());
  EXPECT_TRUE(slots->empty());
  EXPECT_EQ(root->GetPath({"spec", "nope"}), nullptr);
}

}  // namespace
}  // namespace skiff
