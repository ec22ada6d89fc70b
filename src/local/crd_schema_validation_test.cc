#include "local/crd_schema_validation.h"

#include <gtest/gtest.h>

#include "local/json_codec.h"

namespace skiff::local {
namespace {

// A CRD version schema exercising every supported keyword.
constexpr std::string_view kCrd = R"({
  "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
  "metadata": {"name": "widgets.example.com"},
  "spec": {"group": "example.com", "names": {"kind": "Widget", "plural": "widgets"}, "scope": "Namespaced",
    "versions": [
      {"name": "v1alpha1", "served": true, "storage": false,
       "schema": {"openAPIV3Schema": {"type": "object", "x-kubernetes-preserve-unknown-fields": true}}},
      {"name": "v1", "served": true, "storage": true, "schema": {"openAPIV3Schema": {
        "type": "object",
        "properties": {
          "spec": {"type": "object", "required": ["size"], "properties": {
            "size": {"type": "integer"},
            "ratio": {"type": "number"},
            "enabled": {"type": "boolean"},
            "mode": {"type": "string", "enum": ["fast", "safe"]},
            "note": {"type": "string", "nullable": true},
            "port": {"x-kubernetes-int-or-string": true},
            "labels": {"type": "object", "additionalProperties": {"type": "string"}},
            "free": {"type": "object", "x-kubernetes-preserve-unknown-fields": true},
            "template": {"type": "object", "x-kubernetes-embedded-resource": true,
                         "properties": {"spec": {"type": "object"}}},
            "ports": {"type": "array", "items": {"type": "object", "required": ["name"], "properties": {
              "name": {"type": "string"}, "number": {"type": "integer"}}}}
          }},
          "status": {"type": "object", "properties": {"ready": {"type": "boolean"}}}
        }}}}
    ]}})";

class CrdSchemaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto crd = ParseJsonText(kCrd, arena_);
    ASSERT_TRUE(crd.ok()) << crd.error().message;
    schema_ = CrdVersionSchema(*crd, "v1");
    ASSERT_NE(schema_, nullptr);
  }

  Node* Object(std::string_view spec_json) {
    std::string text = R"({"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"w"},"spec":)" +
                       std::string(spec_json) + "}";
    auto root = ParseJsonText(text, arena_);
    EXPECT_TRUE(root.ok());
    return root.ok() ? *root : arena_.NewMap();
  }

  std::vector<StatusCause> Violations(std::string_view spec_json) {
    return SchemaViolations(Object(spec_json), schema_);
  }

  Arena arena_;
  const Node* schema_ = nullptr;
};

TEST_F(CrdSchemaTest, PicksTheSchemaOfTheRequestedVersion) {
  auto crd = ParseJsonText(kCrd, arena_);
  ASSERT_TRUE(crd.ok());
  const Node* alpha = CrdVersionSchema(*crd, "v1alpha1");
  ASSERT_NE(alpha, nullptr);
  EXPECT_EQ(alpha->Get("properties"), nullptr);
  EXPECT_EQ(CrdVersionSchema(*crd, "v2"), nullptr);
}

TEST_F(CrdSchemaTest, ValidObjectHasNoViolations) {
  auto causes = Violations(R"({"size": 3, "ratio": 1, "enabled": true, "mode": "safe", "note": null, "port": "http",
      "labels": {"a": "b"}, "ports": [{"name": "web", "number": 80}]})");
  EXPECT_TRUE(causes.empty()) << InvalidMessage(causes);
}

TEST_F(CrdSchemaTest, WrongTypeIsWordedLikeTheApiServer) {
  auto causes = Violations(R"({"size": "three"})");
  ASSERT_EQ(causes.size(), 1u);
  EXPECT_EQ(causes[0].field, "spec.size");
  EXPECT_EQ(causes[0].reason, "FieldValueTypeInvalid");
  EXPECT_EQ(causes[0].message, R"(Invalid value: "string": spec.size in body must be of type integer: "string")");
  EXPECT_EQ(InvalidMessage(causes),
            R"(spec.size: Invalid value: "string": spec.size in body must be of type integer: "string")");
}

TEST_F(CrdSchemaTest, IntegerIsNotABooleanNorAFloat) {
  auto causes = Violations(R"({"size": 1.5, "enabled": "yes", "ratio": "x"})");
  ASSERT_EQ(causes.size(), 3u);
  EXPECT_EQ(causes[0].message, R"(Invalid value: "number": spec.size in body must be of type integer: "number")");
  EXPECT_EQ(causes[1].field, "spec.enabled");
  EXPECT_EQ(causes[2].field, "spec.ratio");
}

TEST_F(CrdSchemaTest, MissingRequiredFieldIsReported) {
  auto causes = Violations(R"({"mode": "fast"})");
  ASSERT_EQ(causes.size(), 1u);
  EXPECT_EQ(causes[0].field, "spec.size");
  EXPECT_EQ(causes[0].reason, "FieldValueRequired");
  EXPECT_EQ(causes[0].message, "Required value");
}

TEST_F(CrdSchemaTest, EnumListsSupportedValues) {
  auto causes = Violations(R"({"size": 1, "mode": "turbo"})");
  ASSERT_EQ(causes.size(), 1u);
  EXPECT_EQ(causes[0].reason, "FieldValueNotSupported");
  EXPECT_EQ(causes[0].message, R"(Unsupported value: "turbo": supported values: "fast", "safe")");
}

TEST_F(CrdSchemaTest, NullNeedsNullable) {
  EXPECT_TRUE(Violations(R"({"size": 1, "note": null})").empty());
  auto causes = Violations(R"({"size": 1, "mode": null})");
  ASSERT_EQ(causes.size(), 1u);
  EXPECT_EQ(causes[0].message, R"(Invalid value: "null": spec.mode in body must be of type string: "null")");
}

TEST_F(CrdSchemaTest, IntOrStringAcceptsBothAndNothingElse) {
  EXPECT_TRUE(Violations(R"({"size": 1, "port": 8080})").empty());
  EXPECT_TRUE(Violations(R"({"size": 1, "port": "web"})").empty());
  auto causes = Violations(R"({"size": 1, "port": true})");
  ASSERT_EQ(causes.size(), 1u);
  EXPECT_EQ(causes[0].field, "spec.port");
}

TEST_F(CrdSchemaTest, ItemsAndAdditionalPropertiesAreValidated) {
  auto causes = Violations(R"({"size": 1, "labels": {"a": 1}, "ports": [{"name": "a"}, {"number": "x"}]})");
  ASSERT_EQ(causes.size(), 3u);
  EXPECT_EQ(causes[0].field, "spec.labels.a");
  EXPECT_EQ(causes[1].field, "spec.ports[1].name");
  EXPECT_EQ(causes[1].reason, "FieldValueRequired");
  EXPECT_EQ(causes[2].field, "spec.ports[1].number");
  EXPECT_EQ(InvalidMessage(causes).front(), '[');
}

TEST_F(CrdSchemaTest, UndeclaredFieldsAreFoundAndPruned) {
  Node* obj = Object(R"({"size": 1, "extra": 1, "free": {"any": {"thing": 1}}, "ports": [{"name": "a", "bogus": 2}],
      "template": {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {}, "junk": 1}})");
  obj->Set("topLevel", arena_.NewString("x"));
  std::vector<std::string> undeclared = UndeclaredFields(obj, schema_);
  EXPECT_EQ(undeclared, (std::vector<std::string>{"spec.extra", "spec.ports[0].bogus", "spec.template.junk", "topLevel"}));
  PruneUndeclaredFields(obj, schema_);
  EXPECT_TRUE(UndeclaredFields(obj, schema_).empty());
  EXPECT_EQ(obj->GetPath({"spec", "extra"}), nullptr);
  EXPECT_EQ(obj->Get("topLevel"), nullptr);
  EXPECT_NE(obj->GetPath({"spec", "free", "any", "thing"}), nullptr);
  EXPECT_NE(obj->GetPath({"spec", "template", "metadata", "name"}), nullptr);
  EXPECT_NE(obj->GetPath({"metadata", "name"}), nullptr);
  EXPECT_NE(obj->GetPath({"spec", "size"}), nullptr);
}

TEST_F(CrdSchemaTest, PreserveUnknownFieldsAtTheRootKeepsEverything) {
  auto crd = ParseJsonText(kCrd, arena_);
  ASSERT_TRUE(crd.ok());
  const Node* alpha = CrdVersionSchema(*crd, "v1alpha1");
  Node* obj = Object(R"({"anything": [1, 2]})");
  EXPECT_TRUE(UndeclaredFields(obj, alpha).empty());
  EXPECT_TRUE(SchemaViolations(obj, alpha).empty());
}

}  // namespace
}  // namespace skiff::local
