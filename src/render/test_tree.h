// A private temporary directory tree for tests: files written by relative
// path, removed with everything in it when the tree goes out of scope.
#pragma once

#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

namespace skiff::testing {

class TestTree {
 public:
  TestTree() {
    std::string templ = (std::filesystem::temp_directory_path() / "skiff-test-XXXXXX").string();
    char* made = ::mkdtemp(templ.data());
    root_ = made != nullptr ? std::filesystem::canonical(made).string() : std::string();
  }
  ~TestTree() {
    std::error_code ec;
    std::filesystem::remove_all(root_, ec);
  }
  TestTree(const TestTree&) = delete;
  TestTree& operator=(const TestTree&) = delete;

  const std::string& root() const { return root_; }
  std::string Path(std::string_view rel) const { return root_ + "/" + std::string(rel); }

  // Writes `content` to `rel`, creating parent directories.
  void Write(std::string_view rel, std::string_view content) const {
    std::filesystem::path p = Path(rel);
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << content;
  }
  void Mkdir(std::string_view rel) const { std::filesystem::create_directories(Path(rel)); }
  // Creates a symlink at `rel` pointing to `target` (used as written).
  void Symlink(std::string_view target, std::string_view rel) const {
    std::filesystem::path p = Path(rel);
    std::filesystem::create_directories(p.parent_path());
    std::filesystem::create_symlink(std::string(target), p);
  }

 private:
  std::string root_;
};

}  // namespace skiff::testing
