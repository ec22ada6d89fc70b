#include "local/json_codec.h"

#include <cstdio>

namespace skiff::local {
namespace {

class Parser {
 public:
  Parser(std::string_view text, Arena& arena) : s_(text), arena_(arena) {}

  Result<Node*> ParseDocument() {
    SKIFF_ASSIGN_OR_RETURN(Node * root, Value(0));
    SkipSpace();
    if (i_ != s_.size()) return Fail("trailing characters");
    return root;
  }

 private:
  Error Fail(const std::string& what) const {
    return MakeError("JSON offset " + std::to_string(i_) + ": " + what);
  }
  void SkipSpace() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\n' || s_[i_] == '\r' || s_[i_] == '\t')) ++i_;
  }
  bool Consume(std::string_view word) {
    if (s_.substr(i_, word.size()) != word) return false;
    i_ += word.size();
    return true;
  }

  Result<Node*> Value(int depth) {
    if (depth > 512) return Fail("nesting too deep");
    SkipSpace();
    if (i_ >= s_.size()) return Fail("unexpected end of input");
    char c = s_[i_];
    if (c == '{') return Object(depth);
    if (c == '[') return Array(depth);
    if (c == '"') {
      SKIFF_ASSIGN_OR_RETURN(std::string str, String());
      return arena_.NewString(arena_.Str(str));
    }
    if (Consume("true")) return arena_.NewScalar(NodeKind::kBool, "true");
    if (Consume("false")) return arena_.NewScalar(NodeKind::kBool, "false");
    if (Consume("null")) return arena_.NewScalar(NodeKind::kNull, "null");
    return Number();
  }

  Result<Node*> Number() {
    size_t start = i_;
    bool is_float = false;
    if (i_ < s_.size() && s_[i_] == '-') ++i_;
    while (i_ < s_.size()) {
      char c = s_[i_];
      if (c >= '0' && c <= '9') {
        ++i_;
      } else if (c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
        is_float = true;
        ++i_;
      } else {
        break;
      }
    }
    if (i_ == start || (i_ == start + 1 && s_[start] == '-')) return Fail("unexpected character");
    return arena_.NewScalar(is_float ? NodeKind::kFloat : NodeKind::kInt, arena_.Str(s_.substr(start, i_ - start)));
  }

  static void AppendUtf8(std::string& out, unsigned cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  Result<unsigned> Hex4() {
    if (i_ + 4 > s_.size()) return Fail("short \\u escape");
    unsigned v = 0;
    for (int k = 0; k < 4; ++k) {
      char c = s_[i_++];
      v <<= 4;
      if (c >= '0' && c <= '9') v |= static_cast<unsigned>(c - '0');
      else if (c >= 'a' && c <= 'f') v |= static_cast<unsigned>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F') v |= static_cast<unsigned>(c - 'A' + 10);
      else return Fail("bad \\u escape");
    }
    return v;
  }

  Result<std::string> String() {
    ++i_;  // opening quote
    std::string out;
    while (true) {
      if (i_ >= s_.size()) return Fail("unterminated string");
      char c = s_[i_++];
      if (c == '"') return out;
      if (c != '\\') {
        out += c;
        continue;
      }
      if (i_ >= s_.size()) return Fail("unterminated escape");
      char e = s_[i_++];
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          SKIFF_ASSIGN_OR_RETURN(unsigned cp, Hex4());
          if (cp >= 0xD800 && cp < 0xDC00 && Consume("\\u")) {
            SKIFF_ASSIGN_OR_RETURN(unsigned low, Hex4());
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          }
          AppendUtf8(out, cp);
          break;
        }
        default: return Fail("bad escape");
      }
    }
  }

  Result<Node*> Object(int depth) {
    ++i_;
    Node* m = arena_.NewMap();
    SkipSpace();
    if (i_ < s_.size() && s_[i_] == '}') {
      ++i_;
      return m;
    }
    while (true) {
      SkipSpace();
      if (i_ >= s_.size() || s_[i_] != '"') return Fail("expected a string key");
      SKIFF_ASSIGN_OR_RETURN(std::string key, String());
      SkipSpace();
      if (i_ >= s_.size() || s_[i_] != ':') return Fail("expected ':'");
      ++i_;
      SKIFF_ASSIGN_OR_RETURN(Node * v, Value(depth + 1));
      m->Set(InternKey(key), v);
      SkipSpace();
      if (i_ < s_.size() && s_[i_] == ',') {
        ++i_;
        continue;
      }
      if (i_ < s_.size() && s_[i_] == '}') {
        ++i_;
        return m;
      }
      return Fail("expected ',' or '}'");
    }
  }

  Result<Node*> Array(int depth) {
    ++i_;
    Node* seq = arena_.NewSeq();
    SkipSpace();
    if (i_ < s_.size() && s_[i_] == ']') {
      ++i_;
      return seq;
    }
    while (true) {
      SKIFF_ASSIGN_OR_RETURN(Node * v, Value(depth + 1));
      seq->Append(v);
      SkipSpace();
      if (i_ < s_.size() && s_[i_] == ',') {
        ++i_;
        continue;
      }
      if (i_ < s_.size() && s_[i_] == ']') {
        ++i_;
        return seq;
      }
      return Fail("expected ',' or ']'");
    }
  }

  std::string_view s_;
  Arena& arena_;
  size_t i_ = 0;
};


}  // namespace

Result<Node*> ParseJsonText(std::string_view text, Arena& arena) { return Parser(text, arena).ParseDocument(); }

void EmitJsonText(const Node* n, std::string& out) {
  switch (n->kind()) {
    case NodeKind::kMap: {
      out += '{';
      bool first = true;
      for (const MapEntry& e : n->entries()) {
        if (!first) out += ',';
        first = false;
        AppendJsonQuoted(e.key, out);
        out += ':';
        EmitJsonText(e.value, out);
      }
      out += '}';
      return;
    }
    case NodeKind::kSeq: {
      out += '[';
      for (size_t i = 0; i < n->items().size(); ++i) {
        if (i > 0) out += ',';
        EmitJsonText(n->items()[i], out);
      }
      out += ']';
      return;
    }
    case NodeKind::kNull: out += "null"; return;
    case NodeKind::kBool:
    case NodeKind::kInt:
    case NodeKind::kFloat: out += n->scalar(); return;
    case NodeKind::kString: AppendJsonQuoted(n->scalar(), out); return;
  }
}

void AppendJsonQuoted(std::string_view s, std::string& out) {
  out += '"';
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

}  // namespace skiff::local
