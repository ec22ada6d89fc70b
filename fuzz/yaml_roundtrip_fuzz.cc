// libFuzzer target: parse -> emit -> parse -> emit must reach a fixed point
// (unless a map's keys are not totally ordered by Go's key order) and never
// crash. Also checks that JSON written from the parsed documents
// parses back to the same tree. Build with fuzz/build.sh.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "yaml/key_order.h"
#include "yaml/simple_block_writer.h"
#include "yaml/yaml.h"

namespace {

using skiff::Arena;
using skiff::Node;

std::string EmitAll(const std::vector<skiff::YamlDocument>& docs) {
  std::vector<const Node*> roots;
  for (const auto& d : docs) roots.push_back(d.root);
  std::string out;
  skiff::EmitYamlStream(roots, out);
  return out;
}

// Keys kustomize itself writes so they do not read back: "<<" is written
// plain and reads as a merge key; a key starting with U+FEFF is written with
// every character escaped, which can pass YAML's 1024-byte simple-key limit.
bool HasUnreadableKey(const Node* n) {
  if (n == nullptr) return false;
  if (n->IsMap()) {
    for (const auto& e : n->entries()) {
      if (e.key == "<<" || e.key.substr(0, 3) == "\xEF\xBB\xBF" || HasUnreadableKey(e.value)) {
        return true;
      }
    }
  } else if (n->IsSeq()) {
    for (const Node* item : n->items()) {
      if (HasUnreadableKey(item)) return true;
    }
  }
  return false;
}

// Go's key order (yaml.v2's, which skiff writes) compares digit runs as
// numbers and is not transitive for some keys ("-.0es", "-.09 r", "-.2"):
// such a map's written order depends on the order it was read in, in
// kustomize as in skiff, so writing it twice need not give the same text.
bool HasIntransitiveKeys(const Node* n) {
  if (n == nullptr) return false;
  if (n->IsSeq()) {
    for (const Node* item : n->items()) {
      if (HasIntransitiveKeys(item)) return true;
    }
    return false;
  }
  if (!n->IsMap()) return false;
  const auto& e = n->entries();
  if (e.size() > 40) return true;  // not checked: treated as unordered
  for (size_t i = 0; i < e.size(); ++i) {
    for (size_t j = 0; j < e.size(); ++j) {
      if (!skiff::YamlKeyLess(e[i].key, e[j].key)) continue;
      for (size_t k = 0; k < e.size(); ++k) {
        if (skiff::YamlKeyLess(e[j].key, e[k].key) && !skiff::YamlKeyLess(e[i].key, e[k].key)) {
          return true;
        }
      }
    }
  }
  for (const auto& entry : e) {
    if (HasIntransitiveKeys(entry.value)) return true;
  }
  return false;
}

void Check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "round-trip failure: %s\n", what);
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 64 * 1024) return 0;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  skiff::ParseLimits limits;
  limits.max_alias_expansions = 2000;
  Arena arena;
  auto first = skiff::ParseYamlStream(text, "fuzz.yaml", arena, limits);
  if (!first.ok()) return 0;
  for (const auto& d : *first) {
    if (HasUnreadableKey(d.root)) return 0;
  }
  for (const auto& d : *first) {
    std::string fast, reference;
    if (d.root != nullptr && skiff::WriteSimpleBlockDocument(d.root, fast)) {
      skiff::EmitYamlWithLibyaml(d.root, reference);
      Check(fast == reference, "fast path differs from libyaml");
    }
  }
  std::string once = EmitAll(*first);
  auto second = skiff::ParseYamlStream(once, "once.yaml", arena);
  Check(second.ok(), "emitted YAML does not parse");
  std::string twice = EmitAll(*second);
  bool ordered = true;
  for (const auto& d : *second) ordered = ordered && !HasIntransitiveKeys(d.root);
  Check(!ordered || once == twice, "emit(parse(emit(x))) != emit(x)");
  for (const auto& d : *second) {
    if (d.root == nullptr) continue;
    std::string json;
    skiff::EmitJson(d.root, json);
    auto back = skiff::ParseJson(json, arena);
    Check(back.ok(), "emitted JSON does not parse");
    std::string json2;
    skiff::EmitJson(*back, json2);
    Check(json == json2, "JSON is not a fixed point");
  }
  return 0;
}
