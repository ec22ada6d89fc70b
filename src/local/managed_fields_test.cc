#include "local/managed_fields.h"

#include <gtest/gtest.h>

#include "local/json_codec.h"

namespace skiff::local {
namespace {

Node* Parse(std::string_view text, Arena& arena) {
  auto r = ParseJsonText(text, arena);
  EXPECT_TRUE(r.ok()) << text;
  return r.ok() ? *r : arena.NewNull();
}

std::string Json(const Node* n) {
  std::string out;
  EmitJsonText(n, out);
  return out;
}

// The fieldsV1 the API server records for `kubectl create` of an nginx
// Deployment (keys sorted the way the server writes them).
constexpr std::string_view kDeploymentFields =
    R"({"f:metadata":{"f:finalizers":{".":{},"v:\"example.com/guard\"":{}},"f:labels":{".":{},"f:app":{}}},)"
    R"("f:spec":{"f:replicas":{},"f:selector":{},"f:template":{"f:metadata":{"f:labels":{".":{},"f:app":{}}},)"
    R"("f:spec":{"f:containers":{"k:{\"name\":\"nginx\"}":{".":{},"f:image":{},"f:name":{},)"
    R"("f:ports":{".":{},"k:{\"containerPort\":80,\"protocol\":\"TCP\"}":{".":{},"f:containerPort":{},)"
    R"("f:protocol":{}}}}}}}}})";

TEST(FieldSet, RoundTripsARealFieldsV1Blob) {
  Arena a;
  auto set = FieldSet::FromNode(Parse(kDeploymentFields, a));
  ASSERT_TRUE(set.ok()) << set.error().message;
  EXPECT_EQ(set->ToJson(), kDeploymentFields);
  EXPECT_EQ(Json(set->ToNode(a)), kDeploymentFields);
}

TEST(FieldSet, MembersAndPathStrings) {
  Arena a;
  auto set = FieldSet::FromNode(Parse(kDeploymentFields, a));
  ASSERT_TRUE(set.ok());
  std::vector<std::string> paths;
  set->ForEach([&](const FieldPath& p) { paths.push_back(PathString(p)); });
  EXPECT_NE(std::find(paths.begin(), paths.end(), ".metadata.labels"), paths.end());  // "." member
  EXPECT_NE(std::find(paths.begin(), paths.end(), ".metadata.finalizers[=\"example.com/guard\"]"), paths.end());
  EXPECT_NE(std::find(paths.begin(), paths.end(),
                      ".spec.template.spec.containers[name=\"nginx\"].ports[containerPort=80,protocol=\"TCP\"]"
                      ".containerPort"),
            paths.end());
  // Parents that are not members themselves ("f:spec" has no ".") are not listed.
  EXPECT_EQ(std::find(paths.begin(), paths.end(), ".spec"), paths.end());
  EXPECT_EQ(paths.size(), 15u);
}

TEST(FieldSet, KeysAreCanonicalWhateverTheirSpelling) {
  Arena a;
  auto x = FieldSet::FromNode(Parse(R"({"k:{\"protocol\":\"TCP\", \"containerPort\":80}":{}})", a));
  auto y = FieldSet::FromNode(Parse(R"({"k:{\"containerPort\":80,\"protocol\":\"TCP\"}":{}})", a));
  ASSERT_TRUE(x.ok() && y.ok());
  EXPECT_EQ(*x, *y);
}

TEST(FieldSet, SetAlgebra) {
  auto f = [](std::string_view n) { return PathElement::Field(n); };
  FieldSet a, b;
  a.Insert({f("spec"), f("replicas")});
  a.Insert({f("spec"), f("paused")});
  b.Insert({f("spec"), f("replicas")});
  b.Insert({f("metadata"), f("labels"), f("x")});
  EXPECT_EQ(a.Intersection(b).ToJson(), R"({"f:spec":{"f:replicas":{}}})");
  EXPECT_EQ(a.Difference(b).ToJson(), R"({"f:spec":{"f:paused":{}}})");
  EXPECT_EQ(a.Union(b).ToJson(), R"({"f:metadata":{"f:labels":{"f:x":{}}},"f:spec":{"f:paused":{},"f:replicas":{}}})");
  FieldSet spec;
  spec.Insert({f("spec")});
  EXPECT_EQ(a.RecursiveDifference(spec).ToJson(), "{}");
  EXPECT_TRUE(a.Difference(spec) == a);  // only the member "spec" itself, which a lacks
  EXPECT_TRUE(a.HasAtOrBelow({f("spec")}));
  EXPECT_FALSE(a.Has({f("spec")}));
  EXPECT_TRUE(a.Difference(a).empty());
}

TEST(FieldSet, RejectsMalformedKeys) {
  Arena a;
  EXPECT_FALSE(FieldSet::FromNode(Parse(R"({"x:spec":{}})", a)).ok());
  EXPECT_FALSE(FieldSet::FromNode(Parse(R"({"k:[1]":{}})", a)).ok());
  EXPECT_FALSE(FieldSet::FromNode(Parse(R"({"f:spec":[]})", a)).ok());
  EXPECT_FALSE(FieldSet::FromNode(Parse(R"({"i:x":{}})", a)).ok());
}

TEST(ManagedFields, DecodeEncodeSortsApplyFirstAndDropsEmptySets) {
  Arena a;
  Node* list = Parse(R"([
    {"manager":"kubectl-edit","operation":"Update","apiVersion":"apps/v1","time":"2024-01-01T00:00:00Z",
     "fieldsType":"FieldsV1","fieldsV1":{"f:spec":{"f:replicas":{}}}},
    {"manager":"gone","operation":"Update","apiVersion":"apps/v1","fieldsType":"FieldsV1","fieldsV1":{}},
    {"manager":"kubectl","operation":"Apply","apiVersion":"apps/v1","time":"2024-02-01T00:00:00Z",
     "fieldsType":"FieldsV1","fieldsV1":{"f:metadata":{"f:labels":{"f:app":{}}}}},
    {"manager":"kubectl","operation":"Update","apiVersion":"apps/v1","time":"2024-01-01T00:00:00Z",
     "fieldsType":"FieldsV1","fieldsV1":{"f:status":{"f:replicas":{}}},"subresource":"status"}])",
                     a);
  auto decoded = DecodeManagedFields(list);
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  ASSERT_EQ(decoded->size(), 4u);
  EXPECT_EQ((*decoded)[3].subresource, "status");
  EXPECT_EQ(Json(EncodeManagedFields(*decoded, a)),
            R"([{"manager":"kubectl","operation":"Apply","apiVersion":"apps/v1","time":"2024-02-01T00:00:00Z",)"
            R"("fieldsType":"FieldsV1","fieldsV1":{"f:metadata":{"f:labels":{"f:app":{}}}}},)"
            R"({"manager":"kubectl","operation":"Update","apiVersion":"apps/v1","time":"2024-01-01T00:00:00Z",)"
            R"("fieldsType":"FieldsV1","fieldsV1":{"f:status":{"f:replicas":{}}},"subresource":"status"},)"
            R"({"manager":"kubectl-edit","operation":"Update","apiVersion":"apps/v1","time":"2024-01-01T00:00:00Z",)"
            R"("fieldsType":"FieldsV1","fieldsV1":{"f:spec":{"f:replicas":{}}}}])");
}

TEST(ManagedFields, DecodeNamesTheBadEntry) {
  Arena a;
  auto bad = DecodeManagedFields(Parse(R"([{"manager":"m","operation":"Apply","fieldsV1":{}},{"manager":"x"}])", a));
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("metadata.managedFields[1].operation"), std::string::npos) << bad.error().message;
  EXPECT_TRUE(DecodeManagedFields(nullptr).ok());
}

TEST(ManagedFields, OwnersAndTheirDescriptions) {
  ManagerEntry edit{"kubectl-edit", "Update", "apps/v1", "", "", {}};
  ManagerEntry edit_v2 = edit;
  edit_v2.api_version = "apps/v1beta2";
  ManagerEntry applier{"ci", "Apply", "apps/v1", "", "", {}};
  ManagerEntry applier_v2 = applier;
  applier_v2.api_version = "apps/v1beta2";
  ManagerEntry scaler{"kubectl", "Update", "apps/v1", "", "scale", {}};
  EXPECT_FALSE(edit.SameOwner(edit_v2));
  EXPECT_TRUE(applier.SameOwner(applier_v2));
  EXPECT_FALSE(edit.SameOwner(scaler));
  EXPECT_EQ(edit.Describe(), R"("kubectl-edit" using apps/v1)");
  EXPECT_EQ(applier.Describe(), R"("ci")");
  EXPECT_EQ(scaler.Describe(), R"("kubectl" with subresource "scale" using apps/v1)");
}

}  // namespace
}  // namespace skiff::local
