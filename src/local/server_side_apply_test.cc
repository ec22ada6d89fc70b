#include "local/server_side_apply.h"

#include <gtest/gtest.h>

#include "local/field_walk.h"
#include "local/json_codec.h"
#include "local/openapi_blob.h"

namespace skiff::local {
namespace {

Node* Parse(std::string_view text, Arena& arena) {
  auto r = ParseJsonText(text, arena);
  EXPECT_TRUE(r.ok()) << text;
  return r.ok() ? *r : arena.NewNull();
}

std::string Json(const Node* n) {
  if (n == nullptr) return "<absent>";
  std::string out;
  EmitJsonText(n, out);
  return out;
}

class ServerSideApplyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    spec_ = Parse(OpenApiJson(), schema_arena_);
    deployments_.schema = SchemaType::ForKind(spec_, "apps", "v1", "Deployment");
    ASSERT_TRUE(deployments_.schema.valid());
    deployments_.api_version = "apps/v1";
    deployments_.has_status = true;
    deployments_.now = "2030-01-01T00:00:00Z";
  }

  // A Deployment applied by `manager` on top of nothing.
  Node* Created(std::string_view config, std::string_view manager) {
    auto out = ServerSideApply(nullptr, Parse(config, a_), manager, false, deployments_, a_);
    EXPECT_TRUE(out.ok());
    return out.ok() ? out->object : nullptr;
  }

  ManagedFields Managers(const Node* obj) {
    auto m = DecodeManagedFields(obj->GetPath({"metadata", "managedFields"}));
    EXPECT_TRUE(m.ok());
    return m.ok() ? *m : ManagedFields{};
  }

  std::string FieldsOf(const Node* obj, std::string_view manager) {
    for (const ManagerEntry& e : Managers(obj)) {
      if (e.manager == manager) return e.fields.ToJson();
    }
    return "<none>";
  }

  Arena schema_arena_{1 << 20};
  Arena a_;
  Node* spec_ = nullptr;
  OwnershipContext deployments_;
};

constexpr std::string_view kWeb = R"({"apiVersion":"apps/v1","kind":"Deployment",
  "metadata":{"name":"web","namespace":"default","labels":{"app":"web","tier":"front"}},
  "spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},
    "template":{"metadata":{"labels":{"app":"web"}},
      "spec":{"containers":[{"name":"web","image":"nginx:1.25","ports":[{"containerPort":80,"protocol":"TCP"}]}]}}}})";

TEST_F(ServerSideApplyTest, AppliedFieldsUseSchemaKeysAtomicSelectorsAndNoServerFields) {
  EXPECT_EQ(AppliedFieldSet(Parse(kWeb, a_), deployments_).ToJson(),
            R"({"f:metadata":{"f:labels":{"f:app":{},"f:tier":{}}},"f:spec":{"f:replicas":{},"f:selector":{},)"
            R"("f:template":{"f:metadata":{"f:labels":{"f:app":{}}},"f:spec":{"f:containers":{)"
            R"("k:{\"name\":\"web\"}":{".":{},"f:image":{},"f:name":{},"f:ports":{)"
            R"("k:{\"containerPort\":80,\"protocol\":\"TCP\"}":{".":{},"f:containerPort":{},"f:protocol":{}}}}}}}}})");
}

TEST_F(ServerSideApplyTest, CreateRecordsOneApplyEntry) {
  Node* obj = Created(kWeb, "ci");
  ASSERT_NE(obj, nullptr);
  ManagedFields m = Managers(obj);
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].manager, "ci");
  EXPECT_EQ(m[0].operation, "Apply");
  EXPECT_EQ(m[0].api_version, "apps/v1");
  EXPECT_EQ(m[0].time, "2030-01-01T00:00:00Z");
}

TEST_F(ServerSideApplyTest, ReapplyingTheSameConfigChangesNothing) {
  Node* live = Created(kWeb, "ci");
  deployments_.now = "2031-01-01T00:00:00Z";
  auto again = ServerSideApply(live, Parse(kWeb, a_), "ci", false, deployments_, a_);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(DeepEqual(live, again->object, false)) << Json(again->object);
}

TEST_F(ServerSideApplyTest, ChangingAFieldAnotherManagerOwnsConflicts) {
  Node* live = Created(kWeb, "ci");
  // kubectl edit sets replicas to 5 and so takes the field.
  Node* edited = a_.Clone(live);
  edited->GetPath({"spec"})->Set("replicas", a_.NewInt(5));
  RecordUpdate(live, edited, "kubectl-edit", deployments_, a_);
  EXPECT_EQ(FieldsOf(edited, "kubectl-edit"), R"({"f:spec":{"f:replicas":{}}})");
  EXPECT_EQ(FieldsOf(edited, "ci").find("f:replicas"), std::string::npos);

  // A second applier setting the value kubectl edit chose shares it.
  auto shared = ServerSideApply(edited, Parse(R"({"spec":{"replicas":5}})", a_), "other", false, deployments_, a_);
  ASSERT_TRUE(shared.ok());
  EXPECT_TRUE(shared->conflicts.empty());
  EXPECT_EQ(FieldsOf(shared->object, "other"), R"({"f:spec":{"f:replicas":{}}})");
  EXPECT_EQ(FieldsOf(shared->object, "kubectl-edit"), R"({"f:spec":{"f:replicas":{}}})");

  // The original applier wants 2 again: both owners conflict.
  auto conflict = ServerSideApply(shared->object, Parse(kWeb, a_), "ci", false, deployments_, a_);
  ASSERT_TRUE(conflict.ok());
  ASSERT_EQ(conflict->conflicts.size(), 2u);
  EXPECT_EQ(conflict->object, nullptr);
  const FieldConflict* by_edit = nullptr;
  for (const FieldConflict& c : conflict->conflicts) {
    if (c.owner.find("kubectl-edit") != std::string::npos) by_edit = &c;
  }
  ASSERT_NE(by_edit, nullptr);
  HttpResponse r = ApplyConflictResponse({*by_edit});
  EXPECT_EQ(r.status, 409);
  EXPECT_NE(r.body.find(R"("message":"Apply failed with 1 conflict: conflict with \"kubectl-edit\" using apps/v1: .spec.replicas")"),
            std::string::npos)
      << r.body;
  EXPECT_NE(r.body.find(R"({"reason":"FieldManagerConflict","message":"conflict with \"kubectl-edit\" using apps/v1","field":".spec.replicas"})"),
            std::string::npos)
      << r.body;
  EXPECT_NE(ApplyConflictResponse(conflict->conflicts).body.find("Apply failed with 2 conflicts: conflicts with \\\"kubectl-edit\\\" using apps/v1:\\n- .spec.replicas"), std::string::npos);

  // Forced, the applier takes the field from both.
  auto forced = ServerSideApply(shared->object, Parse(kWeb, a_), "ci", true, deployments_, a_);
  ASSERT_TRUE(forced.ok());
  EXPECT_TRUE(forced->conflicts.empty());
  EXPECT_EQ(Json(forced->object->GetPath({"spec", "replicas"})), "2");
  EXPECT_EQ(FieldsOf(forced->object, "kubectl-edit"), "<none>");
  EXPECT_EQ(FieldsOf(forced->object, "other"), "<none>");
  EXPECT_NE(FieldsOf(forced->object, "ci").find("f:replicas"), std::string::npos);
}

TEST_F(ServerSideApplyTest, FieldsNoLongerAppliedAreRemovedUnlessSomeoneElseOwnsThem) {
  Node* live = Created(kWeb, "ci");
  auto other = ServerSideApply(live, Parse(R"({"metadata":{"labels":{"tier":"front"}}})", a_), "other", false,
                               deployments_, a_);
  ASSERT_TRUE(other.ok());
  std::string fewer(kWeb);
  for (std::string_view drop : {R"(,"tier":"front")", R"(,"ports":[{"containerPort":80,"protocol":"TCP"}])"}) {
    fewer.erase(fewer.find(drop), drop.size());
  }
  auto out = ServerSideApply(other->object, Parse(fewer, a_), "ci", false, deployments_, a_);
  ASSERT_TRUE(out.ok());
  // tier stays (other owns it), ports go (nobody owns them any more), and
  // with them the list they leave empty.
  EXPECT_EQ(Json(out->object->GetPath({"metadata", "labels"})), R"({"app":"web","tier":"front"})");
  const Node* container = out->object->GetPath({"spec", "template", "spec", "containers"})->items()[0];
  EXPECT_EQ(container->Get("ports"), nullptr) << Json(container);

  // Once the other applier drops tier too, it is gone.
  auto dropped = ServerSideApply(out->object, Parse(R"({"metadata":{"labels":{"app":"web"}}})", a_), "other",
                                 false, deployments_, a_);
  ASSERT_TRUE(dropped.ok());
  EXPECT_EQ(Json(dropped->object->GetPath({"metadata", "labels"})), R"({"app":"web"})");
}

TEST_F(ServerSideApplyTest, KeyedListsMergePerItemKeepingOtherOwnersItems) {
  Node* live = Created(kWeb, "ci");
  auto sidecar = ServerSideApply(
      live, Parse(R"({"spec":{"template":{"spec":{"containers":[{"name":"log","image":"busybox"}]}}}})", a_),
      "sidecar-injector", false, deployments_, a_);
  ASSERT_TRUE(sidecar.ok());
  std::string newer(kWeb);
  newer.replace(newer.find("nginx:1.25"), 10, "nginx:1.26");
  auto out = ServerSideApply(sidecar->object, Parse(newer, a_), "ci", false, deployments_, a_);
  ASSERT_TRUE(out.ok());
  ASSERT_TRUE(out->conflicts.empty());
  const Node* containers = out->object->GetPath({"spec", "template", "spec", "containers"});
  ASSERT_EQ(containers->items().size(), 2u) << Json(containers);
  EXPECT_EQ(containers->items()[0]->GetString("image"), "nginx:1.26");
  EXPECT_EQ(containers->items()[1]->GetString("name"), "log");
}

TEST_F(ServerSideApplyTest, DuplicateKeysInAnApplyConfigAreRejected) {
  auto out = ServerSideApply(
      nullptr,
      Parse(R"({"spec":{"template":{"spec":{"containers":[{"name":"a","image":"x"},{"name":"a","image":"y"}]}}}})", a_),
      "ci", false, deployments_, a_);
  ASSERT_FALSE(out.ok());
  EXPECT_NE(out.error().message.find(R"(.spec.template.spec.containers: duplicate entries for key [name="a"])"),
            std::string::npos)
      << out.error().message;
}

TEST_F(ServerSideApplyTest, SetListsMergeByValue) {
  Node* live = Created(R"({"metadata":{"finalizers":["a.example/x"]}})", "one");
  auto out = ServerSideApply(live, Parse(R"({"metadata":{"finalizers":["b.example/y"]}})", a_), "two", false,
                             deployments_, a_);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(Json(out->object->GetPath({"metadata", "finalizers"})), R"(["a.example/x","b.example/y"])");
  EXPECT_EQ(FieldsOf(out->object, "two"), R"({"f:metadata":{"f:finalizers":{"v:\"b.example/y\"":{}}}})");
}

TEST_F(ServerSideApplyTest, WithoutSchemaMapsMergeAndListsAreAtomic) {
  OwnershipContext custom;
  custom.api_version = "example.com/v1";
  custom.now = "2030-01-01T00:00:00Z";
  auto live = ServerSideApply(nullptr, Parse(R"({"spec":{"size":1,"items":[{"name":"a"},{"name":"b"}]}})", a_),
                              "one", false, custom, a_);
  ASSERT_TRUE(live.ok());
  auto out = ServerSideApply(live->object, Parse(R"({"spec":{"color":"red","items":[{"name":"c"}]}})", a_), "two",
                             true, custom, a_);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(Json(out->object->Get("spec")), R"({"size":1,"items":[{"name":"c"}],"color":"red"})");
  EXPECT_EQ(FieldsOf(out->object, "two"), R"({"f:spec":{"f:color":{},"f:items":{}}})");
  EXPECT_EQ(FieldsOf(out->object, "one"), R"({"f:spec":{"f:size":{}}})");
}

TEST_F(ServerSideApplyTest, UpdatesRecordAddedMapsWithTheirOwnEntry) {
  Node* obj = Parse(R"({"metadata":{"name":"web","labels":{"app":"web"}},"spec":{"replicas":1}})", a_);
  RecordUpdate(nullptr, obj, "kubectl-create", deployments_, a_);
  EXPECT_EQ(FieldsOf(obj, "kubectl-create"), R"({"f:metadata":{"f:labels":{".":{},"f:app":{}}},"f:spec":{"f:replicas":{}}})");
  ManagedFields m = Managers(obj);
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].operation, "Update");

  // An update that changes nothing keeps the entry's time.
  Node* same = a_.Clone(obj);
  deployments_.now = "2031-01-01T00:00:00Z";
  RecordUpdate(obj, same, "kubectl-create", deployments_, a_);
  EXPECT_TRUE(DeepEqual(obj, same, false)) << Json(same);
}

TEST_F(ServerSideApplyTest, EmptyManagedFieldsInAnUpdateResetOwnership) {
  Node* live = Created(kWeb, "ci");
  for (std::string_view reset : {"[]", "[{}]"}) {
    Node* updated = a_.Clone(live);
    updated->Get("metadata")->Set("managedFields", Parse(reset, a_));
    RecordUpdate(live, updated, "kubectl-patch", deployments_, a_);
    EXPECT_EQ(updated->GetPath({"metadata", "managedFields"}), nullptr) << reset;
  }
  // Without managedFields the live entries stand.
  Node* updated = a_.Clone(live);
  updated->Get("metadata")->Remove("managedFields");
  RecordUpdate(live, updated, "kubectl-patch", deployments_, a_);
  EXPECT_NE(FieldsOf(updated, "ci"), "<none>");
}

TEST_F(ServerSideApplyTest, StatusSubresourceOwnsOnlyStatus) {
  Node* live = Created(kWeb, "ci");
  Node* updated = a_.Clone(live);
  updated->Set("status", Parse(R"({"replicas":2})", a_));
  OwnershipContext status = deployments_;
  status.subresource = "status";
  RecordUpdate(live, updated, "controller", status, a_);
  ManagedFields m = Managers(updated);
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(m[1].manager, "controller");
  EXPECT_EQ(m[1].subresource, "status");
  EXPECT_EQ(m[1].fields.ToJson(), R"({"f:status":{".":{},"f:replicas":{}}})");
  // Main-resource writes of a kind with a status subresource never own status.
  EXPECT_EQ(AppliedFieldSet(Parse(R"({"status":{"replicas":3}})", a_), deployments_).ToJson(), "{}");
}

TEST(UpdateManagerName, FieldManagerElseUserAgentProduct) {
  EXPECT_EQ(UpdateManagerName("kubectl-edit", "kubectl/v1.32.4 (linux/amd64) kubernetes/4cb5f07"), "kubectl-edit");
  EXPECT_EQ(UpdateManagerName("", "kubectl/v1.32.4 (linux/amd64) kubernetes/4cb5f07"), "kubectl");
  EXPECT_EQ(UpdateManagerName("", "curl/8.0"), "curl");
  EXPECT_EQ(UpdateManagerName(std::string(200, 'm'), "").size(), 128u);
}

TEST(FieldWalk, CompareFindsAddedModifiedRemoved) {
  Arena a;
  auto before = ParseJsonText(R"({"a":1,"b":{"c":2},"d":3})", a);
  auto after = ParseJsonText(R"({"a":9,"b":{"c":2},"e":{"f":1}})", a);
  Comparison c = Compare(*before, *after, SchemaType{});
  EXPECT_EQ(c.modified.ToJson(), R"({"f:a":{}})");
  EXPECT_EQ(c.removed.ToJson(), R"({"f:d":{}})");
  EXPECT_EQ(c.added.ToJson(), R"({"f:e":{".":{},"f:f":{}}})");
}

}  // namespace
}  // namespace skiff::local
