#include "local/patch.h"

#include <gtest/gtest.h>

#include "local/json_codec.h"
#include "local/openapi_blob.h"

namespace skiff::local {
namespace {

std::string Json(const Node* n) {
  std::string out;
  EmitJsonText(n, out);
  return out;
}

Node* Parse(std::string_view text, Arena& arena) {
  auto r = ParseJsonText(text, arena);
  EXPECT_TRUE(r.ok()) << text;
  return r.ok() ? *r : arena.NewNull();
}

TEST(MergePatch, NullDeletesMapsMergeListsReplace) {
  Arena a;
  Node* target = Parse(R"({"a":1,"b":{"c":2,"d":3},"l":[1,2]})", a);
  Node* out = ApplyMergePatch(target, Parse(R"({"a":null,"b":{"c":9},"l":[3]})", a), a);
  EXPECT_EQ(Json(out), R"({"b":{"c":9,"d":3},"l":[3]})");
}

TEST(JsonPatch, OperationsApplyInOrder) {
  Arena a;
  Node* target = Parse(R"({"a":{"b":[1,2,3]},"c":"x"})", a);
  auto out = ApplyJsonPatch(target, Parse(R"([
      {"op":"add","path":"/a/b/1","value":9},
      {"op":"remove","path":"/a/b/0"},
      {"op":"replace","path":"/c","value":"y"},
      {"op":"copy","from":"/c","path":"/d"},
      {"op":"move","from":"/d","path":"/e~1f"},
      {"op":"add","path":"/a/b/-","value":4},
      {"op":"test","path":"/c","value":"y"}])", a), a);
  ASSERT_TRUE(out.ok()) << out.error().message;
  EXPECT_EQ(Json(*out), R"({"a":{"b":[9,2,3,4]},"c":"y","e/f":"y"})");
}

TEST(JsonPatch, FailedTestNamesTheOperation) {
  Arena a;
  auto out = ApplyJsonPatch(Parse(R"({"c":1})", a), Parse(R"([{"op":"test","path":"/c","value":2}])", a), a);
  ASSERT_FALSE(out.ok());
  EXPECT_NE(out.error().message.find("operation 0"), std::string::npos);
}

TEST(JsonPatch, MissingPathIsAnError) {
  Arena a;
  EXPECT_FALSE(ApplyJsonPatch(Parse(R"({})", a), Parse(R"([{"op":"remove","path":"/x"}])", a), a).ok());
  EXPECT_FALSE(ApplyJsonPatch(Parse(R"({"l":[]})", a), Parse(R"([{"op":"add","path":"/l/3","value":1}])", a), a).ok());
}

class StrategicMergePatch : public ::testing::Test {
 protected:
  void SetUp() override {
    auto spec = ParseJsonText(OpenApiJson(), spec_arena_);
    ASSERT_TRUE(spec.ok());
    deployment_ = SchemaType::ForKind(*spec, "apps", "v1", "Deployment");
    ASSERT_TRUE(deployment_.valid());
  }
  Arena spec_arena_{1 << 20};
  SchemaType deployment_;
};

TEST_F(StrategicMergePatch, ContainersMergeByName) {
  Arena a;
  Node* target = Parse(R"({"spec":{"template":{"spec":{"containers":[
      {"name":"web","image":"nginx:1"},{"name":"side","image":"busybox:1"}]}}}})", a);
  auto out = ApplyStrategicMergePatch(target, Parse(R"({"spec":{"template":{"spec":{"containers":[
      {"name":"side","image":"busybox:2"},{"name":"new","image":"x"}]}}}})", a), deployment_, a);
  ASSERT_TRUE(out.ok()) << out.error().message;
  EXPECT_EQ(Json((*out)->GetPath({"spec", "template", "spec", "containers"})),
            R"([{"name":"web","image":"nginx:1"},{"name":"side","image":"busybox:2"},{"name":"new","image":"x"}])");
}

TEST_F(StrategicMergePatch, DeleteDirectiveAndElementOrder) {
  Arena a;
  Node* target = Parse(R"({"spec":{"template":{"spec":{"containers":[
      {"name":"a","image":"1"},{"name":"b","image":"2"},{"name":"c","image":"3"}]}}}})", a);
  auto out = ApplyStrategicMergePatch(target, Parse(R"({"spec":{"template":{"spec":{
      "$setElementOrder/containers":[{"name":"c"},{"name":"a"}],
      "containers":[{"name":"b","$patch":"delete"}]}}}})", a), deployment_, a);
  ASSERT_TRUE(out.ok()) << out.error().message;
  EXPECT_EQ(Json((*out)->GetPath({"spec", "template", "spec", "containers"})),
            R"([{"name":"c","image":"3"},{"name":"a","image":"1"}])");
}

TEST_F(StrategicMergePatch, ListsWithoutMergeStrategyReplace) {
  Arena a;
  Node* target = Parse(R"({"spec":{"template":{"spec":{"containers":[{"name":"a","args":["x","y"]}]}}}})", a);
  auto out = ApplyStrategicMergePatch(target, Parse(R"({"spec":{"template":{"spec":{"containers":[
      {"name":"a","args":["z"]}]}}}})", a), deployment_, a);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(Json((*out)->GetPath({"spec", "template", "spec", "containers"})), R"([{"name":"a","args":["z"]}])");
}

}  // namespace
}  // namespace skiff::local
