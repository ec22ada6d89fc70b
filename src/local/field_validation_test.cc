#include "local/field_validation.h"

#include <gtest/gtest.h>

#include "local/json_codec.h"
#include "local/openapi_blob.h"
#include "local/patch_schema.h"

namespace skiff::local {
namespace {

// Unknown fields of `json` against the embedded definition of group/version/kind.
std::vector<std::string> Unknown(std::string_view group, std::string_view version, std::string_view kind,
                                 std::string_view json) {
  static Arena spec_arena(1 << 20);
  static const Node* spec = *ParseJsonText(OpenApiJson(), spec_arena);
  Arena arena;
  auto obj = ParseJsonText(json, arena);
  EXPECT_TRUE(obj.ok());
  SchemaType schema = SchemaType::ForKind(spec, group, version, kind);
  EXPECT_TRUE(schema.valid()) << kind;
  return UnknownFields(*obj, schema.node, spec->Get("definitions"));
}

TEST(FieldValidationTest, DeclaredFieldsAndFreeFormMapsPass) {
  EXPECT_TRUE(Unknown("", "v1", "ConfigMap",
                      R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a","labels":{"any":"x"},)"
                      R"("annotations":{"b":"c"}},"data":{"whatever":"v"}})")
                  .empty());
}

TEST(FieldValidationTest, ReportsUnknownFieldsWithTheirPaths) {
  auto unknown = Unknown("", "v1", "ConfigMap",
                         R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a","colour":"red"},"extra":1})");
  EXPECT_EQ(unknown, (std::vector<std::string>{"metadata.colour", "extra"}));
}

TEST(FieldValidationTest, FollowsRefsIntoListItems) {
  auto unknown = Unknown("apps", "v1", "Deployment",
                         R"({"spec":{"replicas":1,"template":{"spec":{"containers":[)"
                         R"({"name":"a","image":"x"},{"name":"b","imagePullPolicy":"Always","bogus":true}]}}}})");
  EXPECT_EQ(unknown, (std::vector<std::string>{"spec.template.spec.containers[1].bogus"}));
}

// IntOrString and Quantity are not objects: their values are not walked.
TEST(FieldValidationTest, ScalarTypedFieldsAcceptAnyScalar) {
  EXPECT_TRUE(Unknown("apps", "v1", "Deployment",
                      R"({"spec":{"strategy":{"rollingUpdate":{"maxSurge":"25%","maxUnavailable":1}}}})")
                  .empty());
}

TEST(FieldValidationTest, DirectiveAndMessage) {
  EXPECT_EQ(ParseFieldValidation("Strict"), FieldValidation::kStrict);
  EXPECT_EQ(ParseFieldValidation("Warn"), FieldValidation::kWarn);
  EXPECT_EQ(ParseFieldValidation(""), FieldValidation::kIgnore);
  EXPECT_EQ(StrictDecodingMessage({"a", "spec.b"}),
            R"(strict decoding error: unknown field "a", unknown field "spec.b")");
}

}  // namespace
}  // namespace skiff::local
