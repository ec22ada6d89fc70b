#include "render/kv_sources.h"

#include <gtest/gtest.h>

#include "render/file_loader.h"
#include "render/test_tree.h"

namespace skiff {
namespace {

std::vector<std::pair<std::string, std::string>> Pairs(const Result<std::vector<KvPair>>& r) {
  std::vector<std::pair<std::string, std::string>> out;
  if (!r.ok()) {
    ADD_FAILURE() << r.error().message;
    return out;
  }
  for (const KvPair& kv : *r) out.emplace_back(kv.key, kv.value);
  return out;
}

using P = std::vector<std::pair<std::string, std::string>>;

// The env file of this test went through `kubectl kustomize`, which gave
// data A="1", "B "=" 2", C="", D='x=y "q" ', E_1="" (and dropped "=x").
TEST(EnvFile, ParsesAsKustomizeDoes) {
  std::string content = "\xEF\xBB\xBF" "A=1\n  B = 2\n#c\n\nC\nD=x=y \"q\" \r\n=x\nE_1=\n";
  EXPECT_EQ(Pairs(ParseEnvFile(content, "a.env")),
            (P{{"A", "1"}, {"B ", " 2"}, {"C", ""}, {"D", "x=y \"q\" "}, {"E_1", ""}}));
}

TEST(EnvFile, BomIsStrippedOnlyOnTheFirstLine) {
  EXPECT_EQ(Pairs(ParseEnvFile("A=1\n\xEF\xBB\xBF" "B=2", "a.env")),
            (P{{"A", "1"}, {"\xEF\xBB\xBF" "B", "2"}}));
}

TEST(EnvFile, LeadingUnicodeSpaceIsTrimmed) {
  EXPECT_EQ(Pairs(ParseEnvFile("\t\xC2\xA0 K=v\n", "a.env")), (P{{"K", "v"}}));
}

TEST(EnvFile, InvalidUtf8NamesTheLine) {
  auto r = ParseEnvFile("A=1\nB=\xff\n", "dir/a.env");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("dir/a.env:2"), std::string::npos) << r.error().message;
}

TEST(Literal, OuterMatchingQuotesAreRemoved) {
  EXPECT_EQ(ParseLiteralSource("a='q'")->value, "q");
  EXPECT_EQ(ParseLiteralSource("a=\"dq\"")->value, "dq");
  EXPECT_EQ(ParseLiteralSource("a='x")->value, "'x");
  EXPECT_EQ(ParseLiteralSource("a='x\"")->value, "'x\"");
  EXPECT_EQ(ParseLiteralSource("a=b=c")->value, "b=c");
  EXPECT_EQ(ParseLiteralSource("a b=c")->key, "a b");
}

TEST(Literal, NeedsAKeyAndAnEqualsSign) {
  EXPECT_FALSE(ParseLiteralSource("=v").ok());
  EXPECT_FALSE(ParseLiteralSource("novalue").ok());
}

TEST(FileSource, KeyDefaultsToTheBaseName) {
  auto r = ParseFileSource("conf/app.properties");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->key, "app.properties");
  EXPECT_EQ(r->value, "conf/app.properties");
  auto k = ParseFileSource("k=conf/app.properties");
  EXPECT_EQ(k->key, "k");
  EXPECT_EQ(k->value, "conf/app.properties");
}

TEST(FileSource, RejectsMalformedSources) {
  EXPECT_FALSE(ParseFileSource("=path").ok());
  EXPECT_FALSE(ParseFileSource("key=").ok());
  EXPECT_FALSE(ParseFileSource("a=b=c").ok());
}

TEST(LoadKvPairs, OrderIsEnvsThenLiteralsThenFiles) {
  testing::TestTree tree;
  tree.Write("a.env", "E=1\n");
  tree.Write("f.txt", "content");
  auto loader = FileLoader::ForRoot(tree.root());
  ASSERT_TRUE(loader.ok());
  KvSources s;
  s.files = {"f.txt"};
  s.literals = {"L=2"};
  s.env_files = {"a.env"};
  EXPECT_EQ(Pairs(LoadKvPairs(s, *loader)), (P{{"E", "1"}, {"L", "2"}, {"f.txt", "content"}}));
}

TEST(LoadKvPairs, FilesOutsideTheRootAreRefused) {
  testing::TestTree tree;
  tree.Write("outside.txt", "secret");
  tree.Write("app/ok.txt", "ok");
  tree.Symlink(tree.Path("outside.txt"), "app/link.txt");
  auto loader = FileLoader::ForRoot(tree.Path("app"));
  ASSERT_TRUE(loader.ok());
  for (const std::string& source : std::vector<std::string>{
           "../outside.txt", tree.Path("outside.txt"), "link.txt", "k=../outside.txt"}) {
    KvSources s;
    s.files = {source};
    EXPECT_FALSE(LoadKvPairs(s, *loader).ok()) << source;
    KvSources e;
    e.env_files = {source};
    EXPECT_FALSE(LoadKvPairs(e, *loader).ok()) << source;
  }
}

}  // namespace
}  // namespace skiff
