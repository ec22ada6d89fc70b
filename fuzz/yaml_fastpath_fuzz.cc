// libFuzzer target: the fast YAML reader against libyaml on the same bytes.
// Whenever the fast path accepts an input, libyaml must accept it too and
// build identical documents (kinds, text, styles, key order, positions);
// declining is always allowed. Build with fuzz/build.sh; seed it with
// manifests (fuzz/corpus/yaml_fastpath_fuzz).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "yaml/tree_diff.h"
#include "yaml/yaml_fastpath.h"

namespace {

void CheckOne(std::string_view text, const skiff::ParseLimits& limits) {
  skiff::Arena fast_arena;
  auto fast = skiff::TryParseYamlFast(text, "f.yaml", fast_arena, limits);
  if (!fast.has_value()) return;
  skiff::Arena slow_arena;
  auto slow = skiff::ParseYamlStreamWithLibyaml(text, "f.yaml", slow_arena, limits);
  if (!slow.ok()) {
    std::fprintf(stderr, "fast path accepted what libyaml rejects: %s\n",
                 slow.error().message.c_str());
    std::abort();
  }
  std::string diff = skiff::FirstTreeDifference(*fast, *slow);
  if (!diff.empty()) {
    std::fprintf(stderr, "trees differ: %s\n", diff.c_str());
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 1 << 16) return 0;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  CheckOne(text, skiff::ParseLimits{});
  skiff::ParseLimits kustomization_like;
  kustomization_like.duplicate_keys_last_wins = true;
  kustomization_like.max_depth = 8;
  CheckOne(text, kustomization_like);
  return 0;
}
