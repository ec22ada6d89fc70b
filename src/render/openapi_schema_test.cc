#include "render/openapi_schema.h"

#include <gtest/gtest.h>

#include "render/strategic_merge.h"
#include "yaml/yaml.h"

namespace skiff {
namespace {

constexpr std::string_view kDocument = R"({
  "definitions": {
    "v1.MyKind": {
      "properties": {
        "apiVersion": {"type": "string"},
        "kind": {"type": "string"},
        "spec": {"$ref": "#/definitions/v1.MyKindSpec"}
      },
      "x-kubernetes-group-version-kind": [{"group": "example.com", "kind": "MyKind", "version": "v1"}]
    },
    "v1.MyKindSpec": {
      "properties": {
        "items": {
          "type": "array",
          "x-kubernetes-patch-merge-key": "name",
          "x-kubernetes-patch-strategy": "merge",
          "items": {"$ref": "#/definitions/v1.Item"}
        },
        "ports": {
          "type": "array",
          "x-kubernetes-list-map-keys": ["port", "protocol"],
          "x-kubernetes-patch-merge-key": "port",
          "x-kubernetes-patch-strategy": "merge"
        },
        "tags": {"type": "array", "items": {"type": "string"}},
        "loop": {"$ref": "#/definitions/v1.Loop"}
      }
    },
    "v1.Item": {"properties": {"name": {"type": "string"}}},
    "v1.Loop": {"$ref": "#/definitions/v1.Loop"}
  }
})";

std::shared_ptr<const OpenApiSchema> Parsed() {
  auto s = OpenApiSchema::Parse(kDocument, "schema.json");
  EXPECT_TRUE(s.ok()) << s.error().message;
  return s.ok() ? *s : nullptr;
}

TEST(OpenApiSchemaTest, FindsKindsByGroupVersionKindAndFollowsRefs) {
  auto schema = Parsed();
  ASSERT_NE(schema, nullptr);
  const OpenApiNode* root = schema->ForGvk(Gvk{"example.com", "v1", "MyKind"});
  ASSERT_NE(root, nullptr);
  EXPECT_EQ(schema->ForGvk(Gvk{"example.com", "v2", "MyKind"}), nullptr);
  EXPECT_EQ(schema->ForGvk(Gvk{"apps", "v1", "Deployment"}), nullptr);
  const OpenApiNode* items = schema->Field(schema->Field(root, "spec"), "items");
  ASSERT_NE(items, nullptr);
  EXPECT_TRUE(items->strategy_merge);
  EXPECT_EQ(items->merge_keys, std::vector<std::string>{"name"});
  const OpenApiNode* item = schema->Elements(items);
  ASSERT_NE(item, nullptr);
  EXPECT_NE(schema->Field(item, "name"), nullptr);
}

TEST(OpenApiSchemaTest, ListMapKeysWinOverThePatchMergeKey) {
  auto schema = Parsed();
  ASSERT_NE(schema, nullptr);
  const OpenApiNode* spec = schema->Field(schema->ForGvk(Gvk{"example.com", "v1", "MyKind"}), "spec");
  const OpenApiNode* ports = schema->Field(spec, "ports");
  ASSERT_NE(ports, nullptr);
  EXPECT_EQ(ports->merge_keys, (std::vector<std::string>{"port", "protocol"}));
  EXPECT_FALSE(schema->Field(spec, "tags")->strategy_merge);
}

TEST(OpenApiSchemaTest, ACycleOfRefsResolvesToNothing) {
  auto schema = Parsed();
  ASSERT_NE(schema, nullptr);
  const OpenApiNode* spec = schema->Field(schema->ForGvk(Gvk{"example.com", "v1", "MyKind"}), "spec");
  EXPECT_EQ(schema->Field(spec, "loop"), nullptr);
}

TEST(OpenApiSchemaTest, MalformedDocumentsAreRejectedNamingTheFile) {
  for (std::string_view bad : {"{\"definitions\": 5}", "[1, 2]", "a: [",
                               "definitions: {x: {properties: [1]}}"}) {
    auto s = OpenApiSchema::Parse(bad, "dir/schema.json");
    ASSERT_FALSE(s.ok()) << bad;
    EXPECT_NE(s.error().message.find("dir/schema.json"), std::string::npos) << s.error().message;
  }
  for (std::string_view empty : {"", "{}", "definitions: {}"}) {
    EXPECT_TRUE(OpenApiSchema::Parse(empty, "s.json").ok()) << empty;
  }
}

Node* ParseOne(std::string_view text, Arena& arena) {
  auto docs = ParseYamlStream(text, "t.yaml", arena);
  EXPECT_TRUE(docs.ok());
  return docs.ok() ? docs->front().root : nullptr;
}

std::string MergedJson(std::string_view target, std::string_view patch,
                       const OpenApiSchema* custom) {
  Arena arena;
  auto merged = StrategicMerge(arena, ParseOne(target, arena), ParseOne(patch, arena), custom);
  if (!merged.ok()) return "error: " + merged.error().message;
  std::string out;
  EmitJson(*merged, out, /*sort_keys=*/true);
  return out;
}

TEST(OpenApiSchemaTest, CustomKindsMergeListsByTheirKey) {
  auto schema = Parsed();
  ASSERT_NE(schema, nullptr);
  std::string_view target =
      "{apiVersion: example.com/v1, kind: MyKind, spec: {items: [{name: x, v: 1}, {name: y, v: 2}]}}";
  std::string_view patch = "{apiVersion: example.com/v1, kind: MyKind, spec: {items: [{name: y, v: 3}]}}";
  EXPECT_EQ(MergedJson(target, patch, schema.get()),
            R"({"apiVersion":"example.com/v1","kind":"MyKind","spec":{"items":[{"name":"y","v":3},{"name":"x","v":1}]}})");
  // Without the document the kind is unknown and the patch's list wins.
  EXPECT_EQ(MergedJson(target, patch, nullptr),
            R"({"apiVersion":"example.com/v1","kind":"MyKind","spec":{"items":[{"name":"y","v":3}]}})");
}

TEST(OpenApiSchemaTest, ACustomDocumentReplacesTheBuiltInTables) {
  auto schema = Parsed();
  ASSERT_NE(schema, nullptr);
  std::string_view target =
      "{apiVersion: v1, kind: Pod, spec: {containers: [{name: a, image: a}, {name: b, image: b}]}}";
  std::string_view patch = "{apiVersion: v1, kind: Pod, spec: {containers: [{name: b, image: c}]}}";
  EXPECT_EQ(MergedJson(target, patch, schema.get()),
            R"({"apiVersion":"v1","kind":"Pod","spec":{"containers":[{"image":"c","name":"b"}]}})");
  EXPECT_EQ(MergedJson(target, patch, nullptr),
            R"({"apiVersion":"v1","kind":"Pod","spec":{"containers":[{"image":"c","name":"b"},{"image":"a","name":"a"}]}})");
}

Node* OpenApiField(std::string_view text, Arena& arena) { return ParseOne(text, arena); }

TEST(SchemaSelectionTest, TheFirstChoiceWinsAndTheTopAlwaysChooses) {
  Arena arena;
  std::string doc(kDocument);
  SchemaSelection sel;
  ASSERT_TRUE(sel.Choose(OpenApiField("{}", arena), nullptr, "k", true, "k:1").ok());
  EXPECT_FALSE(sel.chosen);
  ASSERT_TRUE(sel.Choose(OpenApiField("{path: s.json}", arena), &doc, "s.json", false, "b:1").ok());
  EXPECT_TRUE(sel.chosen);
  EXPECT_NE(sel.custom, nullptr);
  // A later base cannot change it, not even with an invalid version.
  ASSERT_TRUE(sel.Choose(OpenApiField("{version: v0}", arena), nullptr, "k", false, "c:1").ok());
  EXPECT_NE(sel.custom, nullptr);
  // The top kustomization resets it.
  ASSERT_TRUE(sel.Choose(OpenApiField("{version: v1.21.2}", arena), nullptr, "k", true, "t:1").ok());
  EXPECT_EQ(sel.custom, nullptr);
}

TEST(SchemaSelectionTest, VersionErrorsAreReported) {
  Arena arena;
  std::string doc = "{}";
  SchemaSelection sel;
  Status unknown = sel.Choose(OpenApiField("{version: v1.20.4}", arena), nullptr, "k", true, "k:2");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message.find("k:2"), std::string::npos);
  EXPECT_NE(unknown.error().message.find("not built in"), std::string::npos);
  Status both = sel.Choose(OpenApiField("{version: v1.21.2, path: s}", arena), &doc, "s", true, "k:3");
  ASSERT_FALSE(both.ok());
  EXPECT_NE(both.error().message.find("cannot use both"), std::string::npos);
}

TEST(SchemaSelectionTest, AnInvalidDocumentFailsItsFirstUser) {
  Arena arena;
  std::string doc = "{\"definitions\": 5}";
  SchemaSelection sel;
  ASSERT_TRUE(sel.Choose(OpenApiField("{path: bad.json}", arena), &doc, "bad.json", true, "k:1").ok());
  auto use = sel.ForMerge();
  ASSERT_FALSE(use.ok());
  EXPECT_NE(use.error().message.find("bad.json"), std::string::npos);
}

}  // namespace
}  // namespace skiff

namespace skiff {
namespace {

TEST(OpenApiSchemaScopeTest, PathsWithGetOperationsGiveTheScope) {
  auto schema = OpenApiSchema::Parse(R"({"paths": {
      "/apis/x.io/v1/widgets/{name}": {"get": {"x-kubernetes-group-version-kind":
          {"group": "x.io", "version": "v1", "kind": "Widget"}}},
      "/apis/x.io/v1/gadgets": {"get": {"x-kubernetes-group-version-kind":
          {"group": "x.io", "version": "v1", "kind": "Gadget"}}},
      "/apis/x.io/v1/namespaces/{namespace}/gadgets/{name}": {"get": {
          "x-kubernetes-group-version-kind": {"group": "x.io", "version": "v1", "kind": "Gadget"}}},
      "/apis/x.io/v1/tools/{name}": {"put": {"x-kubernetes-group-version-kind":
          {"group": "x.io", "version": "v1", "kind": "Tool"}}}}})",
                                     "schema.json");
  ASSERT_TRUE(schema.ok()) << schema.error().message;
  EXPECT_EQ((*schema)->Namespaced(Gvk{"x.io", "v1", "Widget"}), std::optional<bool>(false));
  EXPECT_EQ((*schema)->Namespaced(Gvk{"x.io", "v1", "Gadget"}), std::optional<bool>(true));
  EXPECT_EQ((*schema)->Namespaced(Gvk{"x.io", "v1", "Tool"}), std::nullopt);  // GET only
  EXPECT_EQ((*schema)->Namespaced(Gvk{"x.io", "v2", "Widget"}), std::nullopt);
}

}  // namespace
}  // namespace skiff
