#include "sync/line_diff.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <random>
#include <string>

namespace skiff::sync {
namespace {

// Rebuilds the new text from the old one and an edit script.
std::string ApplyEdits(const std::vector<std::string_view>& a, const std::vector<std::string_view>& b,
                       const std::vector<LineEdit>& edits) {
  std::string out;
  size_t next_old = 0;
  for (const LineEdit& e : edits) {
    if (e.op == LineEdit::Op::kInsert) {
      out += b[e.new_index];
      out += '\n';
      continue;
    }
    EXPECT_EQ(e.old_index, next_old);
    ++next_old;
    if (e.op == LineEdit::Op::kKeep) {
      EXPECT_EQ(a[e.old_index], b[e.new_index]);
      out += a[e.old_index];
      out += '\n';
    }
  }
  EXPECT_EQ(next_old, a.size());
  return out;
}

size_t CountChanges(const std::vector<LineEdit>& edits) {
  size_t n = 0;
  for (const LineEdit& e : edits) n += e.op != LineEdit::Op::kKeep;
  return n;
}

std::string RunCommand(const std::string& command) {
  std::string out;
  FILE* p = popen(command.c_str(), "r");
  if (p == nullptr) return out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  pclose(p);
  return out;
}

std::string RandomText(std::mt19937& rng, int lines) {
  std::string text;
  for (int i = 0; i < lines; ++i) text += "line" + std::to_string(rng() % 6) + "\n";
  return text;
}

TEST(LineDiffTest, EqualTextsGiveNoDiff) {
  EXPECT_EQ(UnifiedDiff("a\nb\n", "a\nb\n", "x", "y"), "");
}

TEST(LineDiffTest, SplitLinesIgnoresOnlyTheFinalNewline) {
  EXPECT_EQ(SplitLines("a\n\nb\n").size(), 3u);
  EXPECT_EQ(SplitLines("a\nb").size(), 2u);
  EXPECT_TRUE(SplitLines("").empty());
}

TEST(LineDiffTest, OneChangedLineWithThreeLinesOfContext) {
  std::string a = "1\n2\n3\n4\n5\n6\n7\n8\n9\n";
  std::string b = "1\n2\n3\n4\nfive\n6\n7\n8\n9\n";
  EXPECT_EQ(UnifiedDiff(a, b, "live/x", "desired/x"),
            "--- live/x\n+++ desired/x\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n");
}

TEST(LineDiffTest, CreationNumbersTheEmptySideAsZero) {
  EXPECT_EQ(UnifiedDiff("", "a\nb\n", "old", "new"), "--- old\n+++ new\n@@ -0,0 +1,2 @@\n+a\n+b\n");
  EXPECT_EQ(UnifiedDiff("a\n", "", "old", "new"), "--- old\n+++ new\n@@ -1 +0,0 @@\n-a\n");
}

TEST(LineDiffTest, ColorWrapsChangedLines) {
  std::string out = UnifiedDiff("a\n", "b\n", "old", "new", {.context = 3, .color = true});
  EXPECT_NE(out.find("\x1b[31m-a\x1b[0m"), std::string::npos);
  EXPECT_NE(out.find("\x1b[32m+b\x1b[0m"), std::string::npos);
}

TEST(LineDiffTest, ScriptsAreValidAndMinimal) {
  std::mt19937 rng(7);
  for (int round = 0; round < 300; ++round) {
    std::string a = RandomText(rng, rng() % 20), b = RandomText(rng, rng() % 20);
    auto la = SplitLines(a), lb = SplitLines(b);
    auto edits = DiffLines(la, lb);
    EXPECT_EQ(ApplyEdits(la, lb, edits), b);
    // Shortest script length: |a| + |b| - 2 * LCS.
    std::vector<std::vector<size_t>> lcs(la.size() + 1, std::vector<size_t>(lb.size() + 1, 0));
    for (size_t i = la.size(); i-- > 0;)
      for (size_t j = lb.size(); j-- > 0;)
        lcs[i][j] = la[i] == lb[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
    EXPECT_EQ(CountChanges(edits), la.size() + lb.size() - 2 * lcs[0][0]);
  }
}

TEST(LineDiffTest, BoundedSearchStillGivesAValidScript) {
  std::mt19937 rng(11);
  std::string a = RandomText(rng, 200), b = RandomText(rng, 200);
  auto la = SplitLines(a), lb = SplitLines(b);
  auto edits = DiffLines(la, lb, /*max_edits=*/5);
  EXPECT_EQ(ApplyEdits(la, lb, edits), b);
}

// GNU diff is the reference for the unified format: same hunk headers and
// the same number of changed lines on texts with a unique shortest script.
TEST(LineDiffTest, MatchesGnuDiffHunks) {
  if (RunCommand("command -v diff").empty()) GTEST_SKIP() << "diff not installed";
  std::mt19937 rng(3);
  std::string dir = std::string(SKIFF_BINARY_DIR) + "/line_diff_test";
  RunCommand("mkdir -p " + dir);
  for (int round = 0; round < 40; ++round) {
    // Distinct lines with a few edits: the shortest script is unique.
    std::string a, b;
    for (int i = 0; i < 40; ++i) {
      std::string line = "key" + std::to_string(i) + ": v\n";
      int r = rng() % 10;
      if (r != 0) a += line;
      if (r == 1) b += "changed" + std::to_string(i) + "\n";
      else if (r != 2) b += line;
    }
    std::ofstream(dir + "/a") << a;
    std::ofstream(dir + "/b") << b;
    std::string gnu = RunCommand("diff -u --label old --label new " + dir + "/a " + dir + "/b");
    EXPECT_EQ(UnifiedDiff(a, b, "old", "new"), gnu) << "round " << round;
  }
}

}  // namespace
}  // namespace skiff::sync
