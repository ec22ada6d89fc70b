#include "model/json_patch.h"

#include <gtest/gtest.h>

#include "yaml/yaml.h"

namespace skiff {
namespace {

// Parses `doc` and `patch` (JSON is YAML), applies, and returns compact JSON
// of the result or "error: ..." for a failure.
std::string Apply(std::string_view doc, std::string_view patch) {
  Arena arena;
  auto d = ParseYamlStream(doc, "doc.json", arena);
  auto p = ParseYamlStream(patch, "patch.json", arena);
  if (!d.ok() || !p.ok()) return "parse failure";
  auto ops = ParseJsonPatch(p->at(0).root);
  if (!ops.ok()) return "error: " + ops.error().message;
  Node* root = d->at(0).root;
  Status s = ApplyJsonPatch(arena, root, *ops);
  if (!s.ok()) return "error: " + s.error().message;
  std::string out;
  EmitJson(root, out, /*sort_keys=*/true);
  return out;
}

// The examples of RFC 6902 appendix A.
TEST(JsonPatchTest, Rfc6902AppendixExamples) {
  EXPECT_EQ(Apply(R"({"foo":"bar"})", R"([{"op":"add","path":"/baz","value":"qux"}])"),
            R"({"baz":"qux","foo":"bar"})");
  EXPECT_EQ(Apply(R"({"foo":["bar","baz"]})", R"([{"op":"add","path":"/foo/1","value":"qux"}])"),
            R"({"foo":["bar","qux","baz"]})");
  EXPECT_EQ(Apply(R"({"baz":"qux","foo":"bar"})", R"([{"op":"remove","path":"/baz"}])"),
            R"({"foo":"bar"})");
  EXPECT_EQ(Apply(R"({"foo":["bar","qux","baz"]})", R"([{"op":"remove","path":"/foo/1"}])"),
            R"({"foo":["bar","baz"]})");
  EXPECT_EQ(Apply(R"({"baz":"qux","foo":"bar"})",
                  R"([{"op":"replace","path":"/baz","value":"boo"}])"),
            R"({"baz":"boo","foo":"bar"})");
  EXPECT_EQ(Apply(R"({"foo":{"bar":"baz","waldo":"fred"},"qux":{"corge":"grault"}})",
                  R"([{"op":"move","from":"/foo/waldo","path":"/qux/thud"}])"),
            R"({"foo":{"bar":"baz"},"qux":{"corge":"grault","thud":"fred"}})");
  EXPECT_EQ(Apply(R"({"foo":["all","grass","cows","eat"]})",
                  R"([{"op":"move","from":"/foo/1","path":"/foo/3"}])"),
            R"({"foo":["all","cows","eat","grass"]})");
  EXPECT_EQ(Apply(R"({"baz":"qux","foo":["a",2,"c"]})",
                  R"([{"op":"test","path":"/baz","value":"qux"},
                      {"op":"test","path":"/foo/1","value":2}])"),
            R"({"baz":"qux","foo":["a",2,"c"]})");
  EXPECT_EQ(Apply(R"({"foo":["bar"]})", R"([{"op":"add","path":"/foo/-","value":["abc","def"]}])"),
            R"({"foo":["bar",["abc","def"]]})");
}

TEST(JsonPatchTest, FailuresNameTheOperationAndPath) {
  EXPECT_EQ(Apply(R"({"baz":"qux"})", R"([{"op":"test","path":"/baz","value":"bar"}])"),
            "error: operation 0 (test /baz): test failed: value differs");
  EXPECT_EQ(Apply(R"({"foo":"bar"})", R"([{"op":"add","path":"/baz/bat","value":"qux"}])"),
            "error: operation 0 (add /baz/bat): missing key \"baz\"");
  EXPECT_EQ(Apply(R"({"foo":"bar"})", R"([{"op":"replace","path":"/nope","value":1}])"),
            "error: operation 0 (replace /nope): missing key \"nope\"");
  EXPECT_EQ(Apply(R"({"a":[1]})", R"([{"op":"add","path":"/a/5","value":1}])"),
            "error: operation 0 (add /a/5): array index 5 out of bounds (length 1)");
  EXPECT_EQ(Apply(R"({"a":[1]})", R"([{"op":"remove","path":"/a/01"}])"),
            "error: operation 0 (remove /a/01): invalid array index \"01\"");
  EXPECT_NE(Apply(R"({"a":1})", R"([{"op":"frobnicate","path":"/a"}])").find("unknown op"),
            std::string::npos);
}

TEST(JsonPatchTest, PointerEscapes) {
  auto tokens = SplitJsonPointer("/a~1b/m~0n/~01");
  ASSERT_TRUE(tokens.ok());
  EXPECT_EQ(*tokens, (std::vector<std::string>{"a/b", "m~n", "~1"}));
  EXPECT_FALSE(SplitJsonPointer("a").ok());
  EXPECT_FALSE(SplitJsonPointer("/a~2").ok());
  EXPECT_EQ(Apply(R"({"a/b":1})", R"([{"op":"replace","path":"/a~1b","value":2}])"), R"({"a/b":2})");
}

TEST(JsonPatchTest, MoveIntoOwnChildIsRefused) {
  EXPECT_NE(Apply(R"({"a":{"b":{}}})", R"([{"op":"move","from":"/a","path":"/a/b/c"}])")
                .find("into itself"),
            std::string::npos);
}

TEST(JsonPatchTest, ReplaceWholeDocument) {
  EXPECT_EQ(Apply(R"({"a":1})", R"([{"op":"replace","path":"","value":{"b":2}}])"), R"({"b":2})");
}

}  // namespace
}  // namespace skiff
