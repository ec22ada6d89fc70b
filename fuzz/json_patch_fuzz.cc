// libFuzzer target: an arbitrary JSON patch applied to an arbitrary document.
// Input: the document, a NUL byte, the patch (JSON or YAML). Invariants: no
// crash; a successful `test` leaves the document unchanged; after a
// successful patch whose last operation is add or replace, testing that path
// for that value succeeds; a document always tests equal to itself at "".
// Build with fuzz/build.sh.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "model/json_patch.h"
#include "yaml/yaml.h"

namespace {

using skiff::Arena;
using skiff::JsonPatchOp;
using skiff::Node;

void Check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "json patch invariant broken: %s\n", what);
    std::abort();
  }
}

std::string Json(const Node* n) {
  std::string out;
  if (n != nullptr) skiff::EmitJson(n, out, /*sort_keys=*/true);
  return out;
}

Node* ParseFirst(std::string_view text, Arena& arena) {
  skiff::ParseLimits limits;
  limits.max_alias_expansions = 2000;
  auto docs = skiff::ParseYamlStream(text, "fuzz.yaml", arena, limits);
  if (!docs.ok() || docs->empty()) return nullptr;
  return docs->front().root;
}

bool TestsEqual(Arena& arena, Node* doc, std::string path, const Node* value) {
  JsonPatchOp op{JsonPatchOp::Kind::kTest, std::move(path), {}, value, {}};
  Node* copy = arena.Clone(doc);
  return skiff::ApplyJsonPatch(arena, copy, {op}).ok();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 16 * 1024) return 0;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  size_t cut = input.find('\0');
  if (cut == std::string_view::npos) return 0;
  Arena arena;
  Node* doc = ParseFirst(input.substr(0, cut), arena);
  Node* patch = ParseFirst(input.substr(cut + 1), arena);
  if (doc == nullptr || patch == nullptr) return 0;
  Check(TestsEqual(arena, doc, "", arena.Clone(doc)), "a document does not test equal to itself");

  auto ops = skiff::ParseJsonPatch(patch);
  if (!ops.ok() || ops->empty()) return 0;
  std::string before = Json(doc);
  Node* patched = arena.Clone(doc);
  if (!skiff::ApplyJsonPatch(arena, patched, *ops).ok()) return 0;
  bool only_tests = true;
  for (const JsonPatchOp& op : *ops) only_tests = only_tests && op.kind == JsonPatchOp::Kind::kTest;
  if (only_tests) Check(Json(patched) == before, "a successful test changed the document");

  const JsonPatchOp& last = ops->back();
  bool sets_value = last.kind == JsonPatchOp::Kind::kAdd || last.kind == JsonPatchOp::Kind::kReplace;
  bool appends = last.path.size() >= 2 && last.path.substr(last.path.size() - 2) == "/-";
  if (sets_value && !appends && last.value != nullptr && patched != nullptr) {
    Check(TestsEqual(arena, patched, last.path, last.value), "a value just set does not test equal");
  }
  return 0;
}
