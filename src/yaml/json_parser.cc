// ParseJson: the events of skiff_json_walk (simdjson, json_events.h) built
// into the arena model.
#include <cstring>
#include <new>
#include <string>
#include <vector>

#include "yaml/json_events.h"
#include "yaml/json_plugin_loader.h"
#include "yaml/key_intern.h"
#include "yaml/yaml.h"

namespace skiff {
namespace {

constexpr int kOutOfMemory = 1;

struct TreeBuilder {
  Arena& arena;
  std::vector<Node*> open;  // the containers being filled, innermost last
  std::string_view key;     // of the next value, when the innermost is a map
  Node* root = nullptr;

  void Attach(Node* node) {
    if (open.empty()) {
      root = node;
    } else if (open.back()->IsMap()) {
      open.back()->entries().push_back(MapEntry{key, node, SourcePos{}});
    } else {
      open.back()->Append(node);
    }
  }

  void Take(const SkiffJsonEvent& e) {
    std::string_view text(e.text, e.size);
    switch (e.type) {
      case kSkiffJsonKey: key = InternKeyCached(text); return;
      case kSkiffJsonObjectEnd:
      case kSkiffJsonArrayEnd: open.pop_back(); return;
      case kSkiffJsonObjectBegin:
      case kSkiffJsonArrayBegin: {
        Node* node = e.type == kSkiffJsonObjectBegin ? arena.NewMap() : arena.NewSeq();
        Attach(node);
        open.push_back(node);
        return;
      }
      case kSkiffJsonString:
        Attach(arena.NewScalar(NodeKind::kString, text, ScalarStyle::kDoubleQuoted));
        return;
      case kSkiffJsonInt: Attach(arena.NewScalar(NodeKind::kInt, text)); return;
      case kSkiffJsonFloat: Attach(arena.NewScalar(NodeKind::kFloat, text)); return;
      case kSkiffJsonTrue: Attach(arena.NewBool(true)); return;
      case kSkiffJsonFalse: Attach(arena.NewBool(false)); return;
      case kSkiffJsonNull: Attach(arena.NewNull()); return;
    }
  }
};

// The walker may run another C++ runtime: nothing unwinds into it.
extern "C" int TakeEvent(void* context, const SkiffJsonEvent* event) {
  try {
    static_cast<TreeBuilder*>(context)->Take(*event);
    return 0;
  } catch (const std::bad_alloc&) {
    return kOutOfMemory;
  }
}

}  // namespace

Result<Node*> ParseJson(std::string_view text, Arena& arena) {
  SKIFF_ASSIGN_OR_RETURN(SkiffJsonWalkFn walk, JsonWalker());
  TreeBuilder builder{arena, {}, {}, nullptr};
  char error[256] = {};
  int code = walk(text.data(), text.size(), &builder, TakeEvent, error, sizeof error);
  if (code == kOutOfMemory) return MakeError("json: out of memory");
  if (code != 0) return MakeError(error);
  return builder.root;
}

}  // namespace skiff
