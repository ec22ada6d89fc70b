#include "render/json_encodable.h"

#include <string>

#include "yaml/utf8.h"

namespace skiff {
namespace {

// Decodes the valid sequence of `len` bytes at s[i].
char32_t DecodeAt(std::string_view s, size_t i, size_t len) {
  auto byte = [&](size_t k) { return static_cast<char32_t>(static_cast<unsigned char>(s[i + k])); };
  if (len == 1) return byte(0);
  if (len == 2) return ((byte(0) & 0x1F) << 6) | (byte(1) & 0x3F);
  if (len == 3) return ((byte(0) & 0x0F) << 12) | ((byte(1) & 0x3F) << 6) | (byte(2) & 0x3F);
  return ((byte(0) & 0x07) << 18) | ((byte(1) & 0x3F) << 12) | ((byte(2) & 0x3F) << 6) |
         (byte(3) & 0x3F);
}

// Characters Go's encoding/json leaves raw that a YAML reader rejects.
// Lower controls are escaped by JSON, and invalid bytes become U+FFFD.
bool IsRejectedAfterJson(char32_t c) {
  return c == 0x7F || (c >= 0x80 && c <= 0x9F && c != 0x85) || c == 0xFFFE || c == 0xFFFF;
}

bool HasRejectedCharacter(std::string_view s) {
  // Nearly every string is plain ASCII below DEL, which cannot be rejected:
  // skip the decoding for those.
  size_t first = 0;
  while (first < s.size() && static_cast<unsigned char>(s[first]) < 0x7F) ++first;
  if (first == s.size()) return false;
  for (size_t i = first; i < s.size();) {
    size_t len = Utf8SequenceLength(s, i);
    if (len == 0) {
      ++i;
      continue;
    }
    if (IsRejectedAfterJson(DecodeAt(s, i, len))) return true;
    i += len;
  }
  return false;
}

bool IsInfinityOrNan(std::string_view text) {
  if (!text.empty() && (text[0] == '+' || text[0] == '-')) text.remove_prefix(1);
  std::string lower(text);
  for (char& c : lower) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return lower == ".inf" || lower == ".nan";
}

// Same verdict as Checker::Check without building a field path per node;
// the path is only worth building once something fails.
bool AllEncodable(const Node* n) {
  if (n->IsMap()) {
    for (const MapEntry& e : n->entries()) {
      if (HasRejectedCharacter(e.key) || !AllEncodable(e.value)) return false;
    }
    return true;
  }
  if (n->IsSeq()) {
    for (const Node* item : n->items()) {
      if (!AllEncodable(item)) return false;
    }
    return true;
  }
  if (n->kind() == NodeKind::kFloat) return !IsInfinityOrNan(n->scalar());
  return !n->IsString() || !HasRejectedCharacter(n->scalar());
}

class Checker {
 public:
  explicit Checker(const Resource& resource) : resource_(resource) {}

  Status Check(const Node* n, const std::string& path) const {
    if (n->IsMap()) {
      for (const MapEntry& e : n->entries()) {
        std::string child = path.empty() ? std::string(e.key) : path + "." + std::string(e.key);
        if (HasRejectedCharacter(e.key)) {
          return Fail(n, e.key_pos, child, "key contains a control character");
        }
        SKIFF_RETURN_IF_ERROR(Check(e.value, child));
      }
    } else if (n->IsSeq()) {
      for (size_t i = 0; i < n->items().size(); ++i) {
        SKIFF_RETURN_IF_ERROR(Check(n->items()[i], path + "[" + std::to_string(i) + "]"));
      }
    } else if (n->kind() == NodeKind::kFloat && IsInfinityOrNan(n->scalar())) {
      return Fail(n, n->pos(), path,
                  "value " + std::string(n->scalar()) + " cannot be encoded as JSON");
    } else if (n->IsString() && HasRejectedCharacter(n->scalar())) {
      return Fail(n, n->pos(), path, "string contains a control character");
    }
    return Status::Ok();
  }

 private:
  Error Fail(const Node* n, SourcePos pos, const std::string& path,
             const std::string& problem) const {
    std::string where = n->file().empty() || pos.line == 0
                            ? resource_.origin.String()
                            : std::string(n->file()) + ":" + std::to_string(pos.line);
    return MakeError(where + ": " + std::string(resource_.Kind()) + " " +
                     std::string(resource_.Name()) + ": field " + path + ": " + problem);
  }

  const Resource& resource_;
};

}  // namespace

Status CheckJsonEncodable(const Resource& resource) {
  if (AllEncodable(resource.root)) return Status::Ok();
  return Checker(resource).Check(resource.root, "");
}

}  // namespace skiff
