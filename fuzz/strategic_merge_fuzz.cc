// libFuzzer target: strategic merge patch of an arbitrary patch into an
// arbitrary object of a built-in kind. Input: one byte choosing the kind, the
// object, a NUL byte, the patch. Invariants: no crash; a merge either fails
// with an error or yields an object (or a deletion) that emits as YAML and
// parses back; skipping the parts of the object the patch does not reach
// gives exactly what the full walk gives (same error, same output). Build
// with fuzz/build.sh.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "render/strategic_merge.h"
#include "yaml/yaml.h"

namespace {

using skiff::Arena;
using skiff::Node;

struct Kind {
  const char* api_version;
  const char* kind;
};
// Kinds whose schemas hold every list strategy: merge by name, by several
// keys (ports), sets of scalars, atomic and replace lists.
constexpr Kind kKinds[] = {
    {"apps/v1", "Deployment"}, {"v1", "Pod"},          {"v1", "Service"},
    {"apps/v1", "StatefulSet"}, {"batch/v1", "CronJob"}, {"networking.k8s.io/v1", "Ingress"},
    {"v1", "ConfigMap"},        {"example.com/v1", "Unknown"},
};

void Check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "strategic merge invariant broken: %s\n", what);
    std::abort();
  }
}

Node* ParseFirst(std::string_view text, Arena& arena) {
  skiff::ParseLimits limits;
  limits.max_alias_expansions = 2000;
  auto docs = skiff::ParseYamlStream(text, "fuzz.yaml", arena, limits);
  if (!docs.ok() || docs->empty()) return nullptr;
  return docs->front().root;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2 || size > 16 * 1024) return 0;
  const Kind& kind = kKinds[data[0] % (sizeof(kKinds) / sizeof(kKinds[0]))];
  std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
  size_t cut = input.find('\0');
  if (cut == std::string_view::npos) return 0;
  // Each merge consumes its inputs: the two walks get their own copies.
  std::string outcome[2];
  for (int full_walk = 0; full_walk < 2; ++full_walk) {
    Arena arena;
    Node* target = ParseFirst(input.substr(0, cut), arena);
    Node* patch = ParseFirst(input.substr(cut + 1), arena);
    if (target == nullptr || patch == nullptr || !target->IsMap()) return 0;
    target->Set("apiVersion", arena.NewString(kind.api_version));
    target->Set("kind", arena.NewString(kind.kind));
    skiff::SetStrategicMergeShortcut(full_walk == 0);
    auto merged = skiff::StrategicMerge(arena, target, patch);
    skiff::SetStrategicMergeShortcut(true);
    if (!merged.ok()) {
      outcome[full_walk] = "error: " + merged.error().message;
      continue;
    }
    if (*merged == nullptr) {
      outcome[full_walk] = "deleted";
      continue;
    }
    std::string text;
    skiff::EmitYamlStream({*merged}, text);
    auto back = skiff::ParseYamlStream(text, "merged.yaml", arena);
    Check(back.ok(), "a merged object does not parse back");
    outcome[full_walk] = text;
  }
  if (outcome[0] != outcome[1]) {
    std::fprintf(stderr, "--- with shortcut:\n%s\n--- full walk:\n%s\n", outcome[0].c_str(),
                 outcome[1].c_str());
  }
  Check(outcome[0] == outcome[1], "the shortcut changed the result of a merge");
  return 0;
}
