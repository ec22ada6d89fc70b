// libFuzzer target: render an arbitrary kustomization tree. The input is
// split at NUL bytes into the files of a small tree (kustomization.yaml, then
// resources, patches, a base and a component, in the order of kFiles), written
// under a private directory in memory-backed storage, and rendered.
// Invariants: no crash or hang, and nothing outside the tree is ever read: a
// file beside the tree holds a marker that must never reach the output (the
// tree also holds a symlink pointing at it). Build with fuzz/build.sh.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "render/render.h"

namespace {

namespace fs = std::filesystem;

constexpr std::string_view kOutsideMarker = "skiff-fuzz-outside-marker";

constexpr const char* kFiles[] = {
    "kustomization.yaml",      "resources.yaml",     "patch.yaml",
    "base/kustomization.yaml", "base/resources.yaml", "comp/kustomization.yaml",
    "comp/patch.yaml",         "config.env",          "schema.json",
};

// The sandbox: <dir>/tree is rendered, <dir>/outside/secret.yaml must stay
// unread.
const fs::path& Sandbox() {
  static const fs::path dir = [] {
    std::string templ = (fs::exists("/dev/shm") ? std::string("/dev/shm") : fs::temp_directory_path().string()) +
                        "/skiff-fuzz-XXXXXX";
    char* made = ::mkdtemp(templ.data());
    if (made == nullptr) std::abort();
    fs::path d = made;
    fs::create_directories(d / "outside");
    std::ofstream(d / "outside" / "secret.yaml")
        << "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: secret\ndata:\n  k: "
        << kOutsideMarker << "\n";
    std::atexit([] {
      std::error_code ec;
      fs::remove_all(Sandbox(), ec);
    });
    return d;
  }();
  return dir;
}

void WriteTree(const fs::path& tree, std::string_view input) {
  std::error_code ec;
  fs::remove_all(tree, ec);
  fs::create_directories(tree / "base");
  fs::create_directories(tree / "comp");
  fs::create_symlink("../outside/secret.yaml", tree / "link.yaml", ec);
  size_t start = 0;
  for (const char* name : kFiles) {
    if (start > input.size()) break;
    size_t end = input.find('\0', start);
    if (end == std::string_view::npos) end = input.size();
    std::ofstream(tree / name, std::ios::binary) << input.substr(start, end - start);
    start = end + 1;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 32 * 1024) return 0;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  if (input.find(kOutsideMarker) != std::string_view::npos) return 0;
  fs::path tree = Sandbox() / "tree";
  WriteTree(tree, input);
  std::vector<std::string> warnings;
  auto rendered = skiff::Render(tree.string(), {}, warnings);
  if (!rendered.ok()) return 0;
  std::string out = skiff::EmitRendered(*rendered);
  if (out.find(kOutsideMarker) != std::string::npos) {
    std::fprintf(stderr, "rendered a file from outside the tree\n");
    std::abort();
  }
  return 0;
}
