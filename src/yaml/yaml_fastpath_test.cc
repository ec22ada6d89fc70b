#include "yaml/yaml_fastpath.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "yaml/tree_diff.h"

namespace skiff {
namespace {

enum class Expect { kAccept, kDecline, kEither };

// Runs both readers on `text`. Whenever the fast path accepts, libyaml must
// accept too and build the identical trees. Returns whether it accepted.
bool CheckAgainstLibyaml(const std::string& text, const ParseLimits& limits = {}) {
  Arena fast_arena;
  Arena slow_arena;
  auto fast = TryParseYamlFast(text, "f.yaml", fast_arena, limits);
  auto slow = ParseYamlStreamWithLibyaml(text, "f.yaml", slow_arena, limits);
  if (!fast.has_value()) return false;
  EXPECT_TRUE(slow.ok()) << "fast path accepted what libyaml rejects:\n"
                         << text << "\nlibyaml: " << slow.error().message;
  if (!slow.ok()) return true;
  std::string diff = FirstTreeDifference(*fast, *slow);
  EXPECT_EQ(diff, "") << "on input:\n" << text;
  return true;
}

void Check(const std::string& text, Expect expect, const ParseLimits& limits = {}) {
  bool accepted = CheckAgainstLibyaml(text, limits);
  if (expect == Expect::kAccept) {
    EXPECT_TRUE(accepted) << "declined:\n" << text;
  }
  if (expect == Expect::kDecline) {
    EXPECT_FALSE(accepted) << "accepted:\n" << text;
  }
}

TEST(YamlFastPath, AcceptsManifestShapes) {
  Check("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: v\n", Expect::kAccept);
  Check("a:\n- x\n- y: 1\n  z: [1, \"two\", 'th''ree']\n- - no\n", Expect::kDecline);
  Check("a:\n- x\n- y: 1\n  z: [1, \"two\", 'th''ree', 2001-01-01]\nb: {}\nc: []\n",
        Expect::kAccept);
  Check("spec:\n  containers:\n  - name: main\n    args: [\"--port=8080\", --x]\n"
        "    env:\n    - name: A\n      value: \"1\"\n",
        Expect::kAccept);
  Check("# lead\n---\na: 1 # trailing\n---\n\n---\nb: ~\n...\n", Expect::kDecline);
  Check("# lead\n---\na: 1 # trailing\n---\n\n---\nb: ~\n---\n", Expect::kAccept);
  Check("", Expect::kAccept);
  Check("# only a comment\n", Expect::kAccept);
  Check("---\n", Expect::kAccept);
  Check("  a: 1\n  b:\n    c: 2\n", Expect::kAccept);
  Check("a:\nb:\n  -\n  - c\n", Expect::kAccept);
  Check("a: \"esc \\\" \\\\ \\n \\t \\/\"\nb: 'x'\n\"q k\": v\n'r k': w\n", Expect::kAccept);
  Check("n: 0x1F\nf: 1.5e3\nb: yes\no: 0777\nt: 2001-12-14t21:59:43.10-05:00\nnull: x\n",
        Expect::kDecline);  // `null:` is a typed key
  Check("n: 0x1F\nf: 1.5e3\nb: yes\no: 0777\nt: 2001-12-14t21:59:43.10-05:00\nz: ~\n",
        Expect::kAccept);
  Check("url: http://x:80/a#b\ncolon: a:b\nhash: a#b\n", Expect::kAccept);
}

TEST(YamlFastPath, BlockScalarsMatchLibyaml) {
  const char* bodies[] = {
      "k: |\n  a\n  b\n",          "k: |-\n  a\n\n  b\n\n\n",  "k: |+\n  a\n\n\n",
      "k: >\n  a\n  b\n\n  c\n",   "k: >-\n  a\n   b\n  c\n",  "k: >+\n  a\n  b\n\n",
      "k: |\n\n  a\n",             "k: |\n    a\n  b: 1\n",    "k: |\n  a\n   b\n  c",
      "- |\n  x\n- >\n y\n",       "a:\n  - k: |\n      v\n    j: 1\n",
      "k: >\n  a\n  \n  b\n",      "k: >\n   a\n  b\n",         "k: |\n  # not a comment\n# is\n",
      "k: |  # c\n  a\n",          "k: |\n  a\n \n  b\n",      "k: |\n",
      "k: >\n\n\n",               "k: |2\n   a\n",             "k: |\n   \n  a\n",
      "k: >\n  a\n\n   b\n  c\n", "- k: |\n  v\n",
  };
  for (const char* body : bodies) Check(body, Expect::kEither);
  Check("k: |\n  a\n  b\n", Expect::kAccept);
  Check("k: >-\n  a\n  b\n", Expect::kAccept);
}

TEST(YamlFastPath, DeclinesWhatItDoesNotModel) {
  for (const char* text : {
           "a: &x 1\nb: *x\n", "a: !!str 1\n", "%YAML 1.2\n---\na: 1\n", "a: 1\n...\n",
           "a: multi\n  line\n", "a: 'multi\n  line'\n", "? complex\n: key\n", "<<: {a: 1}\n",
           "a: {b: 1}\n", "a: [1, [2]]\n", "a: [1,\n  2]\n", "a:\tb\n", "a: caf\xc3\xa9\n",
           "a: 1\r\n", "a: 1\na: 2\n", "1: x\n", "2001-01-01: x\n", "a: b: c\n", "a: - b\n",
           "- - a\n", "--- a\n", "a: \"\\x41\"\n", "a: [1, ]\n", "a: |1\n  x\n",
       }) {
    Check(text, Expect::kDecline);
  }
}

TEST(YamlFastPath, HonoursLimits) {
  ParseLimits last_wins;
  last_wins.duplicate_keys_last_wins = true;
  Check("a: 1\nb: 2\na: 3\n", Expect::kAccept, last_wins);
  ParseLimits shallow;
  shallow.max_depth = 2;
  Check("a:\n  b:\n    c: 1\n", Expect::kDecline, shallow);
  Check("a:\n  b: 1\n", Expect::kAccept, shallow);
}

TEST(YamlFastPath, ManyKeysStillFindDuplicates) {
  std::string text;
  for (int i = 0; i < 100; ++i) text += "k" + std::to_string(i) + ": v\n";
  Check(text, Expect::kAccept);
  Check(text + "k7: again\n", Expect::kDecline);
}

std::string ReadAll(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Every YAML file of the repository's conformance cases and examples, whole
// and with each line in turn removed (which makes many invalid or unusual
// documents): identical trees whenever the fast path accepts.
TEST(YamlFastPath, RepositoryYamlMatchesLibyaml) {
  size_t files = 0;
  size_t accepted = 0;
  for (const char* dir : {"/tests/conformance/cases", "/examples"}) {
    std::filesystem::path root = std::string(SKIFF_SOURCE_DIR) + dir;
    if (!std::filesystem::exists(root)) continue;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
      if (!entry.is_regular_file() || entry.path().extension() != ".yaml") continue;
      std::string text = ReadAll(entry.path());
      ++files;
      if (CheckAgainstLibyaml(text)) ++accepted;
      if (files > 300) continue;
      std::vector<std::string> lines;
      std::stringstream ss(text);
      for (std::string line; std::getline(ss, line);) lines.push_back(line);
      for (size_t drop = 0; drop < lines.size() && drop < 40; ++drop) {
        std::string mutated;
        for (size_t i = 0; i < lines.size(); ++i) {
          if (i != drop) mutated += lines[i] + "\n";
        }
        CheckAgainstLibyaml(mutated);
      }
    }
  }
  EXPECT_GT(files, 100u);
  // The subset is meant to cover real manifests, not just toy ones.
  EXPECT_GT(accepted * 10, files * 8) << accepted << " of " << files;
}

}  // namespace
}  // namespace skiff
