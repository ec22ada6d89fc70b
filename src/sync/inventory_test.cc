#include "sync/inventory.h"

#include <gtest/gtest.h>

#include <string>

#include "yaml/yaml.h"

namespace skiff::sync {
namespace {

// Expected ids computed independently with Python's hashlib and
// base64.urlsafe_b64encode (padding stripped), the KEP's recipe.
TEST(ApplySetIdTest, MatchesTheKepRecipe) {
  EXPECT_EQ(ApplySetId("skiff-demo", "skiff-system", "Secret", ""),
            "applyset-Zvy4fsSJ4YaammCf5gK1fykaBnp07xIqQx5DBBWecqs-v1");
  EXPECT_EQ(ApplySetId("parent", "ns", "ConfigMap", ""),
            "applyset-GJ-_vVForufjnxmUFBmeCsZADd-GxSTMRP64duJycHE-v1");
  EXPECT_EQ(ApplySetId("x", "", "Widget", "example.com"),
            "applyset-e97gs7GAFFHzPLxBwDqyQYearP67pQmMO9cSoZEjoqQ-v1");
}

TEST(ApplySetIdTest, GroupKindUsesKindDotGroup) {
  EXPECT_EQ(GroupKindString(Gvk{"apps", "v1", "Deployment"}), "Deployment.apps");
  EXPECT_EQ(GroupKindString(Gvk{"", "v1", "ConfigMap"}), "ConfigMap");
}

ResourceSet Parse(Arena& arena, std::string_view text) {
  auto docs = ParseYamlStream(text, "set.yaml", arena);
  EXPECT_TRUE(docs.ok());
  ResourceSet set;
  for (const YamlDocument& d : *docs) {
    Resource r;
    r.root = d.root;
    r.origin = Origin{"set.yaml", d.pos.line};
    set.AddUnchecked(std::move(r));
  }
  return set;
}

constexpr std::string_view kSet = R"(apiVersion: v1
kind: Namespace
metadata: {name: app}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: app}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: cm, namespace: skiff-system}
)";

TEST(InventoryTest, ParentRecordsSortedGroupKindsAndOtherNamespaces) {
  Arena arena;
  ResourceSet set = Parse(arena, kSet);
  Inventory inv = Inventory::ForApp("demo", "skiff-system", "0.1.0");
  inv.Cover(set);
  Node* parent = inv.ParentObject(arena);
  std::string json;
  EmitJson(parent, json);
  EXPECT_NE(json.find(R"("applyset.kubernetes.io/contains-group-kinds":"ConfigMap,Deployment.apps,Namespace")"),
            std::string::npos) << json;
  EXPECT_NE(json.find(R"("applyset.kubernetes.io/additional-namespaces":"app")"), std::string::npos);
  EXPECT_NE(json.find(R"("applyset.kubernetes.io/tooling":"skiff/0.1.0")"), std::string::npos);
  EXPECT_NE(json.find(R"("applyset.kubernetes.io/id":"applyset-Zvy4fsSJ4YaammCf5gK1fykaBnp07xIqQx5DBBWecqs-v1")"),
            std::string::npos);
  EXPECT_NE(json.find(R"("name":"skiff-demo")"), std::string::npos);
}

TEST(InventoryTest, ReadParentRoundTripsAndCoverWidens) {
  Arena arena;
  ResourceSet set = Parse(arena, kSet);
  Inventory written = Inventory::ForApp("demo", "skiff-system", "0.1.0");
  written.Cover(set);
  Inventory read = Inventory::ForApp("demo", "skiff-system", "0.1.0");
  ASSERT_TRUE(ReadParent(written.ParentObject(arena), read).ok());
  EXPECT_EQ(read.group_kinds, written.group_kinds);
  EXPECT_EQ(read.additional_namespaces, written.additional_namespaces);

  ResourceSet smaller = Parse(arena, "apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: other}\n");
  read.Cover(smaller);
  EXPECT_EQ(read.group_kinds.size(), 4u);  // widened, nothing forgotten
  read.CoverExactly(smaller);
  EXPECT_EQ(read.group_kinds, (std::set<std::string>{"Secret"}));
  EXPECT_EQ(read.additional_namespaces, (std::set<std::string>{"other"}));
}

TEST(InventoryTest, ParentOfAnotherToolOrWithForeignIdIsRefused) {
  Arena arena;
  Inventory inv = Inventory::ForApp("demo", "skiff-system", "0.1.0");
  auto kubectl_parent = ParseYamlStream(R"(metadata:
  labels: {applyset.kubernetes.io/id: x}
  annotations: {applyset.kubernetes.io/tooling: kubectl/v1.32}
)", "p", arena);
  Status s = ReadParent((*kubectl_parent)[0].root, inv);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("kubectl/v1.32"), std::string::npos);

  auto impersonated = ParseYamlStream(R"(metadata:
  labels: {applyset.kubernetes.io/id: applyset-other-v1}
  annotations: {applyset.kubernetes.io/tooling: skiff/0.1.0}
)", "p", arena);
  EXPECT_FALSE(ReadParent((*impersonated)[0].root, inv).ok());
}

TEST(InventoryTest, LabelMembersRefusesAnObjectClaimedByAnotherSet) {
  Arena arena;
  ResourceSet set = Parse(arena, kSet);
  ASSERT_TRUE(LabelMembers(set, arena, "applyset-a-v1").ok());
  EXPECT_EQ(set[1].root->GetPath({"metadata", "labels"})->GetString(kApplySetPartOfLabel),
            "applyset-a-v1");
  Status again = LabelMembers(set, arena, "applyset-a-v1");
  EXPECT_TRUE(again.ok());
  Status other = LabelMembers(set, arena, "applyset-b-v1");
  ASSERT_FALSE(other.ok());
  EXPECT_NE(other.error().message.find("set.yaml:"), std::string::npos);
}

}  // namespace
}  // namespace skiff::sync
