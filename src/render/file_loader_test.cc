#include "render/file_loader.h"

#include <gtest/gtest.h>

#include "render/test_tree.h"

namespace skiff {
namespace {

using testing::TestTree;

class FileLoaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    tree_.Write("outside.yaml", "secret: 1\n");
    tree_.Write("app/cm.yaml", "kind: ConfigMap\n");
    tree_.Write("app/sub/deep.yaml", "kind: Deep\n");
    tree_.Write("base/kustomization.yaml", "resources: []\n");
    auto loader = FileLoader::ForRoot(tree_.Path("app"));
    ASSERT_TRUE(loader.ok()) << loader.error().message;
    loader_ = std::make_unique<FileLoader>(std::move(*loader));
  }

  TestTree tree_;
  std::unique_ptr<FileLoader> loader_;
};

TEST_F(FileLoaderTest, ReadsFilesAtAndBelowTheRoot) {
  auto top = loader_->ReadFile("cm.yaml", "resources[0]");
  ASSERT_TRUE(top.ok()) << top.error().message;
  EXPECT_EQ(*top, "kind: ConfigMap\n");
  auto deep = loader_->ReadFile("sub/../sub/deep.yaml", "resources[1]");
  ASSERT_TRUE(deep.ok()) << deep.error().message;
  EXPECT_EQ(*deep, "kind: Deep\n");
}

TEST_F(FileLoaderTest, RefusesDotDotEscape) {
  auto r = loader_->ReadFile("../outside.yaml", "resources[2]");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("resources[2]"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("not in or below"), std::string::npos) << r.error().message;
  auto sneaky = loader_->ReadFile("sub/../../outside.yaml", "patches[0]");
  EXPECT_FALSE(sneaky.ok());
}

TEST_F(FileLoaderTest, RefusesAbsolutePathsEvenInsideTheRoot) {
  auto r = loader_->ReadFile(tree_.Path("app/cm.yaml"), "resources[0]");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("absolute"), std::string::npos) << r.error().message;
  EXPECT_FALSE(loader_->ResolveDir(tree_.Path("base")).ok());
}

TEST_F(FileLoaderTest, RefusesSymlinkPointingOutside) {
  tree_.Symlink(tree_.Path("outside.yaml"), "app/link.yaml");
  tree_.Symlink("../outside.yaml", "app/rel-link.yaml");
  EXPECT_FALSE(loader_->ReadFile("link.yaml", "resources[0]").ok());
  auto r = loader_->ReadFile("rel-link.yaml", "resources[0]");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("outside.yaml"), std::string::npos) << r.error().message;
}

TEST_F(FileLoaderTest, FollowsSymlinkThatStaysInside) {
  tree_.Symlink("sub/deep.yaml", "app/inner-link.yaml");
  auto r = loader_->ReadFile("inner-link.yaml", "resources[0]");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(*r, "kind: Deep\n");
}

TEST_F(FileLoaderTest, SymlinkedRootIsResolvedFirst) {
  tree_.Symlink(tree_.Path("app"), "app-link");
  auto loader = FileLoader::ForRoot(tree_.Path("app-link"));
  ASSERT_TRUE(loader.ok());
  EXPECT_EQ(loader->root(), tree_.Path("app"));
  EXPECT_TRUE(loader->ReadFile("cm.yaml", "resources[0]").ok());
}

TEST_F(FileLoaderTest, RefusesRemoteUrls) {
  for (const char* url :
       {"https://github.com/org/repo//deploy?ref=v1", "http://example.com/cm.yaml",
        "git@github.com:org/repo.git", "git::https://example.com/repo", "ssh://git@host/repo",
        "github.com/org/repo/deploy"}) {
    auto r = loader_->ReadFile(url, "resources[4]");
    ASSERT_FALSE(r.ok()) << url;
    EXPECT_NE(r.error().message.find("remote"), std::string::npos) << r.error().message;
    EXPECT_NE(r.error().message.find("resources[4]"), std::string::npos) << r.error().message;
    EXPECT_FALSE(loader_->ResolveDir(url).ok()) << url;
  }
}

TEST_F(FileLoaderTest, MissingFileNamesFieldAndPath) {
  auto r = loader_->ReadFile("nope.yaml", "configMapGenerator[0].files[1]");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("configMapGenerator[0].files[1]"), std::string::npos);
  EXPECT_NE(r.error().message.find("nope.yaml"), std::string::npos);
}

TEST_F(FileLoaderTest, DirectoryIsNotAFile) {
  EXPECT_FALSE(loader_->ReadFile("sub", "resources[0]").ok());
}

TEST_F(FileLoaderTest, BaseDirectoriesMayLieOutsideTheRoot) {
  auto dir = loader_->ResolveDir("../base");
  ASSERT_TRUE(dir.ok()) << dir.error().message;
  EXPECT_EQ(*dir, tree_.Path("base"));
  EXPECT_FALSE(loader_->ResolveDir("../missing").ok());
  EXPECT_FALSE(loader_->ResolveDir("cm.yaml").ok());
}

TEST_F(FileLoaderTest, ClassifiesWithoutRestriction) {
  EXPECT_EQ(loader_->Classify("cm.yaml"), FileLoader::Entry::kFile);
  EXPECT_EQ(loader_->Classify("../outside.yaml"), FileLoader::Entry::kFile);
  EXPECT_EQ(loader_->Classify("../base"), FileLoader::Entry::kDirectory);
  EXPECT_EQ(loader_->Classify("missing"), FileLoader::Entry::kMissing);
}

}  // namespace
}  // namespace skiff
