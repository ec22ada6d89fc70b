#include "render/path_cache.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

namespace skiff {
namespace {

namespace fs = std::filesystem;

std::string LibcRealPath(const std::string& path, int* err) {
  char buf[PATH_MAX];
  errno = 0;
  if (::realpath(path.c_str(), buf) == nullptr) {
    *err = errno;
    return {};
  }
  *err = 0;
  return buf;
}

class PathCacheTest : public testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("skiff-path-cache-" + std::to_string(::getpid()));
    fs::remove_all(root_);
    fs::create_directories(root_ / "a/b/c");
    fs::create_directories(root_ / "elsewhere/d");
    std::ofstream(root_ / "a/b/file.yaml") << "x: 1\n";
    fs::create_directory_symlink(root_ / "elsewhere", root_ / "a/link");
    fs::create_symlink(root_ / "a/b/file.yaml", root_ / "a/filelink");
    fs::create_symlink(root_ / "missing", root_ / "a/dangling");
  }
  void TearDown() override { fs::remove_all(root_); }

  fs::path root_;
};

// Every answer of the cached resolver equals realpath(3), errno included,
// for plain, dotted, symlinked, missing and file-as-directory paths, asked
// twice so the second answer comes from the cache.
TEST_F(PathCacheTest, AgreesWithRealpath) {
  std::string r = root_.string();
  const std::string paths[] = {
      r + "/a/b/c",          r + "/a/b/c/../../b/file.yaml", r + "/a/./b//c/",
      r + "/a/link/d",       r + "/a/link/../a/b",           r + "/a/filelink",
      r + "/a/dangling",     r + "/a/nope/x",                r + "/a/b/file.yaml/x",
      r + "/a/b/file.yaml/", r + "/a/b/file.yaml/..",        "/",
      "/..",                 r + "/../" + root_.filename().string() + "/a",
  };
  ScopedPathCache cache;
  for (int round = 0; round < 2; ++round) {
    for (const std::string& p : paths) {
      int want_errno = 0;
      std::string want = LibcRealPath(p, &want_errno);
      errno = 0;
      std::string got = ResolvePath(p);
      int got_errno = got.empty() ? errno : 0;
      EXPECT_EQ(got, want) << p;
      EXPECT_EQ(got_errno, want_errno) << p;
    }
  }
}

TEST_F(PathCacheTest, ModeFollowsSymlinksLikeStat) {
  std::string r = root_.string();
  ScopedPathCache cache;
  // Modes differ between a directory and its parent, so a path ending in
  // ".." must give the parent's.
  fs::permissions(root_ / "a/b/c", fs::perms::owner_all);
  for (const std::string& p : {r + "/a/b", r + "/a/b/file.yaml", r + "/a/link", r + "/a/filelink",
                               r + "/a/dangling", r + "/a/none", r + "/a/b/c", r + "/a/b/c/..",
                               r + "/a/b/c/../file.yaml", r + "/a/b/c/..", r + "/a/b/c"}) {
    struct stat st;
    bool want = ::stat(p.c_str(), &st) == 0;
    mode_t mode = 0;
    bool got = PathMode(p, &mode);
    EXPECT_EQ(got, want) << p;
    if (want && got) {
      EXPECT_EQ(mode, st.st_mode) << p;
    }
  }
}

// Lookups failing with ENOENT or ENOTDIR are remembered too: asked again,
// the cache gives the same error without asking the kernel (the file made
// in between is not seen: the tree is one snapshot for a render).
TEST_F(PathCacheTest, RemembersMissingPaths) {
  std::string r = root_.string();
  ScopedPathCache cache;
  errno = 0;
  EXPECT_EQ(ResolvePath(r + "/a/later"), "");
  EXPECT_EQ(errno, ENOENT);
  std::ofstream(root_ / "a/later") << "x: 1\n";
  errno = 0;
  EXPECT_EQ(ResolvePath(r + "/a/later"), "");
  EXPECT_EQ(errno, ENOENT);
  mode_t mode = 0;
  EXPECT_FALSE(PathMode(r + "/a/later", &mode));
  // A new render sees the file.
  ScopedPathCache next;
  EXPECT_EQ(ResolvePath(r + "/a/later"), r + "/a/later");
}

// Threads that join a render's cache agree with realpath(3) while they fill
// it concurrently, and what one learned the others see.
TEST_F(PathCacheTest, WorkerThreadsShareTheRenderCache) {
  std::string r = root_.string();
  for (int i = 0; i < 32; ++i) fs::create_directories(root_ / ("apps/app" + std::to_string(i)));
  ScopedPathCache cache;
  PathCacheState* shared = ScopedPathCache::Active();
  ASSERT_NE(shared, nullptr);
  std::vector<std::string> failures[4];
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      ScopedPathCache joined(shared);
      EXPECT_EQ(ScopedPathCache::Active(), shared);
      for (int round = 0; round < 3; ++round) {
        for (int i = 0; i < 32; ++i) {
          for (std::string p : {r + "/apps/app" + std::to_string((i + t * 8) % 32),
                                r + "/apps/app" + std::to_string(i) + "/../app0/./",
                                r + "/apps/app" + std::to_string(i) + "/missing",
                                r + "/a/link/d"}) {
            int want_errno = 0;
            std::string want = LibcRealPath(p, &want_errno);
            errno = 0;
            std::string got = ResolvePath(p);
            int got_errno = got.empty() ? errno : 0;
            if (got != want || got_errno != want_errno) failures[t].push_back(p);
          }
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  for (const auto& f : failures) EXPECT_TRUE(f.empty()) << f.front();
  EXPECT_EQ(ScopedPathCache::Active(), shared);  // the joins did not uninstall it
}

TEST_F(PathCacheTest, RemembersFileTextsForTheRender) {
  std::string file = (root_ / "a/b/file.yaml").string();
  EXPECT_FALSE(RememberedFileText(file).has_value());  // no cache: nothing kept
  RememberFileText(file, "ignored");
  ScopedPathCache cache;
  EXPECT_FALSE(RememberedFileText(file).has_value());
  RememberFileText(file, "x: 1\n");
  RememberFileText(file, "x: 2\n");  // the first reading stays
  ASSERT_TRUE(RememberedFileText(file).has_value());
  EXPECT_EQ(*RememberedFileText(file), "x: 1\n");
  RememberFileText(file + ".empty", "");
  ASSERT_TRUE(RememberedFileText(file + ".empty").has_value());
  EXPECT_EQ(*RememberedFileText(file + ".empty"), "");
}

}  // namespace
}  // namespace skiff
