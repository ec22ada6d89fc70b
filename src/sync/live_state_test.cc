#include "sync/live_state.h"

#include <gtest/gtest.h>

#include "sync/inventory.h"
#include "yaml/yaml.h"

namespace skiff::sync {
namespace {

Node* Json(Arena& arena, std::string_view text) {
  auto node = ParseJson(text, arena);
  EXPECT_TRUE(node.ok()) << text;
  return node.ok() ? *node : arena.NewMap();
}

TEST(SameContentTest, IgnoresWhatEveryWriteChangesButNothingElse) {
  Arena arena;
  Node* live = Json(arena, R"({"kind":"ConfigMap","metadata":{"name":"a","resourceVersion":"5",
    "generation":1,"managedFields":[{"manager":"skiff"}],"uid":"u1"},"data":{"k":"v"}})");
  Node* preview = Json(arena, R"({"kind":"ConfigMap","metadata":{"uid":"u1","name":"a",
    "resourceVersion":"6","generation":2,"managedFields":[{"manager":"skiff","time":"later"}]},
    "data":{"k":"v"}})");
  EXPECT_TRUE(SameContent(live, preview));
  Node* restamped = Json(arena, R"({"kind":"ConfigMap","metadata":{"name":"a","uid":"u1"},
    "data":{"k":"v"},"status":{"conditions":[{"type":"Ready","lastTransitionTime":"now"}]}})");
  EXPECT_TRUE(SameContent(live, restamped));
  Node* changed = Json(arena, R"({"kind":"ConfigMap","metadata":{"name":"a","uid":"u1"},
    "data":{"k":"w"}})");
  EXPECT_FALSE(SameContent(live, changed));
  Node* relabelled = Json(arena, R"({"kind":"ConfigMap","metadata":{"name":"a","uid":"u1",
    "labels":{"x":"y"}},"data":{"k":"v"}})");
  EXPECT_FALSE(SameContent(live, relabelled));
  Node* extra_field = Json(arena, R"({"kind":"ConfigMap","metadata":{"name":"a","uid":"u1"},
    "data":{"k":"v"},"immutable":true})");
  EXPECT_FALSE(SameContent(live, extra_field));
}

TEST(OwnedByTest, NeedsOurLabelAndOurFieldManagerWhenManagersAreRecorded) {
  Arena arena;
  std::string label = "{\"" + std::string(kApplySetPartOfLabel) + "\":\"applyset-a-v1\"}";
  Node* ours = Json(arena, R"({"metadata":{"labels":)" + label +
                               R"(,"managedFields":[{"manager":"kubectl-edit"},{"manager":"skiff"}]}})");
  EXPECT_TRUE(OwnedBy(ours, "applyset-a-v1", "skiff"));
  EXPECT_FALSE(OwnedBy(ours, "applyset-b-v1", "skiff"));  // another app's object

  Node* labelled_by_hand = Json(arena, R"({"metadata":{"labels":)" + label +
                                           R"(,"managedFields":[{"manager":"kubectl-create"}]}})");
  EXPECT_FALSE(OwnedBy(labelled_by_hand, "applyset-a-v1", "skiff"));
  EXPECT_EQ(ForeignOwner(labelled_by_hand, "applyset-a-v1", "skiff"),
            "field manager(s) kubectl-create");
  EXPECT_EQ(ForeignOwner(ours, "applyset-b-v1", "skiff"), "the applied set applyset-a-v1");

  Node* no_managers = Json(arena, R"({"metadata":{"labels":)" + label + "}}");
  EXPECT_TRUE(OwnedBy(no_managers, "applyset-a-v1", "skiff"));

  Node* kubectl = Json(arena, R"({"metadata":{"managedFields":[{"manager":"kubectl-create"}]}})");
  EXPECT_FALSE(OwnedBy(kubectl, "applyset-a-v1", "skiff"));
  EXPECT_EQ(ForeignOwner(kubectl, "applyset-a-v1", "skiff"), "field manager(s) kubectl-create");
}

}  // namespace
}  // namespace skiff::sync
