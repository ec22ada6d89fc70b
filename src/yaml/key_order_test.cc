#include "yaml/key_order.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace skiff {
namespace {

// Pairs (a, b) where go-yaml v2 writes a before b (checked against
// kubectl kustomize output).
TEST(YamlKeyLess, FollowsGoYamlNaturalOrder) {
  const std::pair<const char*, const char*> ordered[] = {
      {"B", "a"},           // uppercase letters first (code point)
      {"_u", "a"},          // non-letter before letter
      {"1", "a"},           {"-", "_"},  // two non-letters, no digits: by rune
      {"a2", "a10"},        // digit runs compare as numbers
      {"a", "a1"},          // prefix first
      {"z9", "z10"},        {"2", "10"},
      {"a01", "a001"},      // equal value, shorter run first
      {"a10", "a1a"},       {"a1a", "a9"}, {"a9", "a10"},  // the non-transitive cycle
      {"\u00e9", "\u00e9t\u00e9"}, {"z", "\u00e9"},  // é is a letter above z
      {"a b", "a.b"},       {"a-b", "a.b"},
  };
  for (const auto& [a, b] : ordered) {
    EXPECT_TRUE(YamlKeyLess(a, b)) << a << " < " << b;
    EXPECT_FALSE(YamlKeyLess(b, a)) << b << " !< " << a;
  }
  EXPECT_FALSE(YamlKeyLess("same", "same"));
}

TEST(SortedEntries, SortsSmallAndLargeMapsAlike) {
  Arena arena;
  for (int n : {5, 200}) {
    Node* map = arena.NewMap();
    for (int i = n - 1; i >= 0; --i) map->Set("k" + std::to_string(i), arena.NewInt(i));
    std::vector<const MapEntry*> sorted;
    SortedEntries(*map, sorted);
    ASSERT_EQ(sorted.size(), static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) EXPECT_EQ(sorted[i]->key, "k" + std::to_string(i));
  }
}

TEST(SortedEntries, StaysInBoundsWithTheNonTransitiveCycle) {
  Arena arena;
  Node* map = arena.NewMap();
  for (int i = 0; i < 300; ++i) {
    const char* stems[] = {"a9", "a09", "a10", "a1a", "a1b"};
    map->Set(std::string(stems[i % 5]) + std::string(i / 5, 'x'), arena.NewInt(i));
  }
  std::vector<const MapEntry*> first, again;
  SortedEntries(*map, first);
  SortedEntries(*map, again);
  EXPECT_EQ(first.size(), 300u);
  EXPECT_EQ(first, again);
}

}  // namespace
}  // namespace skiff
