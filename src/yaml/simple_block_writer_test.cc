#include "yaml/simple_block_writer.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "yaml/yaml.h"

namespace skiff {
namespace {

// The fast path must write exactly what libyaml writes whenever it accepts
// a document; random strings over YAML's awkward ASCII characters, at
// several depths and lengths around the 80-column wrap, probe that.
TEST(SimpleBlockWriter, AgreesWithLibyamlWheneverItAccepts) {
  std::mt19937 rng(20240229);
  const std::string alphabet = "ab1 :#-'\"?,[]{}&*!|>%@`.~0yYnN\\=";
  auto random_string = [&](size_t max_len) {
    std::string s;
    size_t len = rng() % (max_len + 1);
    for (size_t i = 0; i < len; ++i) s += alphabet[rng() % alphabet.size()];
    return s;
  };
  int accepted = 0;
  for (int round = 0; round < 3000; ++round) {
    Arena arena;
    Node* root = arena.NewMap();
    Node* map = root;
    int depth = static_cast<int>(rng() % 6);
    for (int d = 0; d < depth; ++d) map = arena.GetOrCreateMap(map, "level" + std::to_string(d));
    Node* seq = arena.NewSeq();
    for (int i = 0; i < 3; ++i) {
      Node* item = arena.NewMap();
      item->Set(random_string(8), arena.NewString(random_string(90)));
      seq->Append(i == 2 ? arena.NewString(random_string(90)) : item);
    }
    map->Set(random_string(10), arena.NewString(random_string(90)));
    map->Set("list", seq);
    map->Set("empty", round % 2 ? arena.NewMap() : arena.NewSeq());
    std::string fast, reference;
    EmitYamlWithLibyaml(root, reference);
    if (WriteSimpleBlockDocument(root, fast)) {
      ++accepted;
      ASSERT_EQ(fast, reference) << "round " << round;
    }
  }
  EXPECT_GT(accepted, 300);  // the comparison must actually have happened
}

TEST(SimpleBlockWriter, DeclinesWhatNeedsLibyaml) {
  Arena arena;
  for (const char* s : {"line\nbreak", "caf\u00e9", "tab\there", "a long value with spaces that would have to wrap somewhere past the eightieth column"}) {
    Node* root = arena.NewMap();
    root->Set("k", arena.NewString(s));
    std::string out;
    EXPECT_FALSE(WriteSimpleBlockDocument(root, out)) << s;
  }
  Node* root = arena.NewMap();
  root->Set(std::string(129, 'k'), arena.NewString("v"));
  std::string out;
  EXPECT_FALSE(WriteSimpleBlockDocument(root, out));
  // Numbers JSON cannot carry: the caller's encodability check sees them.
  for (const char* f : {".inf", "-.Inf", "+.INF", ".nan", ".NaN"}) {
    Node* doc = arena.NewMap();
    doc->Set("f", arena.NewScalar(NodeKind::kFloat, f));
    std::string text;
    EXPECT_FALSE(WriteSimpleBlockDocument(doc, text)) << f;
  }
  Node* finite = arena.NewMap();
  finite->Set("f", arena.NewScalar(NodeKind::kFloat, "1.5"));
  EXPECT_TRUE(WriteSimpleBlockDocument(finite, out));
}

TEST(SimpleBlockWriter, CountsDoubledQuotesTowardsTheLineWidth) {
  // Short enough unquoted, but past column 80 once its quotes are doubled
  // in single-quoted style: libyaml breaks it at the space.
  for (std::string s : {"...[" + std::string(40, '\'') + " " + std::string(20, '\'') + "+",
                        "- " + std::string(30, '\'') + " x" + std::string(12, '\'')}) {
    Arena arena;
    Node* root = arena.NewMap();
    root->Set("key", arena.NewString(arena.Str(s)));
    std::string fast, reference;
    EmitYamlWithLibyaml(root, reference);
    if (WriteSimpleBlockDocument(root, fast)) {
      EXPECT_EQ(fast, reference) << s;
    }
  }
}

}  // namespace
}  // namespace skiff
