#include "local/selectors.h"

#include <gtest/gtest.h>

namespace skiff::local {
namespace {

// Labels {app: web, tier: frontend} as a map node.
const Node* Labels(Arena& arena) {
  Node* m = arena.NewMap();
  m->Set("app", arena.NewString("web"));
  m->Set("tier", arena.NewString("frontend"));
  return m;
}

bool Match(const std::string& selector) {
  Arena arena;
  auto s = Selector::ParseLabels(selector);
  EXPECT_TRUE(s.ok()) << selector;
  return s.ok() && s->MatchesLabels(Labels(arena));
}

TEST(LabelSelector, EqualityOperators) {
  EXPECT_TRUE(Match("app=web"));
  EXPECT_TRUE(Match("app==web"));
  EXPECT_FALSE(Match("app=db"));
  EXPECT_TRUE(Match("app!=db"));
  EXPECT_FALSE(Match("app!=web"));
  EXPECT_TRUE(Match("missing!=x"));  // absent keys satisfy !=
}

TEST(LabelSelector, SetOperators) {
  EXPECT_TRUE(Match("tier in (backend, frontend)"));
  EXPECT_FALSE(Match("tier in (backend)"));
  EXPECT_TRUE(Match("tier notin (backend)"));
  EXPECT_FALSE(Match("tier notin (frontend,x)"));
  EXPECT_TRUE(Match("missing notin (a)"));
  EXPECT_FALSE(Match("missing in (a)"));
}

TEST(LabelSelector, ExistenceOperators) {
  EXPECT_TRUE(Match("app"));
  EXPECT_FALSE(Match("!app"));
  EXPECT_TRUE(Match("!legacy"));
  EXPECT_FALSE(Match("legacy"));
}

TEST(LabelSelector, ConjunctionNeedsEveryTerm) {
  EXPECT_TRUE(Match("app=web,tier in (frontend),!legacy"));
  EXPECT_FALSE(Match("app=web,tier in (backend)"));
  EXPECT_TRUE(Match(""));
}

TEST(LabelSelector, MalformedSetIsAnError) {
  EXPECT_FALSE(Selector::ParseLabels("tier in (a,b").ok());
  EXPECT_FALSE(Selector::ParseLabels("bad key=1").ok());
}

TEST(FieldSelector, NameAndNamespace) {
  Arena arena;
  Node* obj = arena.NewMap();
  Node* meta = arena.GetOrCreateMap(obj, "metadata");
  meta->Set("name", arena.NewString("a"));
  meta->Set("namespace", arena.NewString("team"));
  auto yes = Selector::ParseFields("metadata.name=a,metadata.namespace==team");
  ASSERT_TRUE(yes.ok());
  EXPECT_TRUE(yes->MatchesFields(obj));
  auto no = Selector::ParseFields("metadata.name!=a");
  ASSERT_TRUE(no.ok());
  EXPECT_FALSE(no->MatchesFields(obj));
}

TEST(FieldSelector, UnsupportedFieldIsAnError) {
  auto s = Selector::ParseFields("spec.nodeName=x");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("spec.nodeName"), std::string::npos);
}

}  // namespace
}  // namespace skiff::local
