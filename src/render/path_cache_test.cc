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
  for (const std::string& p : {r + "/a/b", r + "/a/b/file.yaml", r + "/a/link", r + "/a/filelink",
                               r + "/a/dangling", r + "/a/none"}) {
    struct stat st;
    bool want = ::stat(p.c_str(), &st) == 0;
    mode_t mode = 0;
    bool got = PathMode(p, &mode);
    EXPECT_EQ(got, want) << p;
    if (want && got) {
      EXPECT_EQ(S_ISDIR(mode), S_ISDIR(st.st_mode)) << p;
    }
  }
}

}  // namespace
}  // namespace skiff
