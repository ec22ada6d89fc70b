#include "model/node.h"

#include <gtest/gtest.h>

namespace skiff {
namespace {

TEST(NodeTest, MapKeepsInsertionOrderAndLastSetWins) {
  Arena arena;
  Node* m = arena.NewMap();
  m->Set("b", arena.NewString("1"));
  m->Set("a", arena.NewString("2"));
  m->Set("b", arena.NewString("3"));
  ASSERT_EQ(m->entries().size(), 2u);
  EXPECT_EQ(m->entries()[0].key, "b");
  EXPECT_EQ(m->Get("b")->scalar(), "3");
  EXPECT_TRUE(m->Remove("b"));
  EXPECT_EQ(m->Get("b"), nullptr);
}

TEST(NodeTest, InternedKeysShareStorage) {
  std::string a = "metadata", b = "metadata";
  EXPECT_EQ(InternKey(a).data(), InternKey(b).data());
}

TEST(NodeTest, CloneIsDeepAndIndependent) {
  Arena src_arena, dst_arena;
  Node* m = src_arena.NewMap();
  Node* seq = src_arena.NewSeq();
  seq->Append(src_arena.NewInt(7));
  m->Set("items", seq);
  Node* copy = dst_arena.Clone(m);
  EXPECT_TRUE(DeepEqual(m, copy, true));
  copy->Get("items")->items()[0]->SetScalar(NodeKind::kInt, "8");
  EXPECT_EQ(seq->items()[0]->scalar(), "7");
  EXPECT_FALSE(DeepEqual(m, copy));
}

TEST(NodeTest, GetPathStopsAtNonMaps) {
  Arena arena;
  Node* m = arena.NewMap();
  arena.GetOrCreateMap(arena.GetOrCreateMap(m, "spec"), "template")->Set("x", arena.NewBool(true));
  EXPECT_EQ(m->GetPath({"spec", "template", "x"})->scalar(), "true");
  EXPECT_EQ(m->GetPath({"spec", "template", "x", "y"}), nullptr);
}

}  // namespace
}  // namespace skiff
