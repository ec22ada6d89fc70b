#include "yaml/scalar_node.h"

#include "yaml/scalar_resolve.h"

namespace skiff {

bool IsPlainTimestamp(std::string_view text) {
  YamlTimestamp ts;
  return !text.empty() && text[0] >= '0' && text[0] <= '9' &&
         ResolvePlainScalar(text) == NodeKind::kString && ParseYamlTimestamp(text, &ts);
}

Node* NewPlainScalarNode(Arena& arena, std::string_view text) {
  NodeKind kind = ResolvePlainScalar(text);
  char stamp[48];
  YamlTimestamp ts;
  if (kind == NodeKind::kString && !text.empty() && text[0] >= '0' && text[0] <= '9' &&
      ParseYamlTimestamp(text, &ts)) {
    text = std::string_view(stamp, FormatYamlTimestamp(ts, stamp));
  }
  return arena.NewScalar(kind, text, ScalarStyle::kPlain);
}

}  // namespace skiff
