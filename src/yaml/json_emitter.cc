// EmitJson: compact JSON byte-identical to Go's encoding/json for the same
// values (its escaping, its number forms, optionally its sorted keys).
#include <algorithm>
#include <string>
#include <vector>

#include "yaml/number_text.h"
#include "yaml/utf8.h"
#include "yaml/yaml.h"

namespace skiff {
namespace {

void AppendEscapedString(std::string_view s, std::string& out) {
  static const char kHex[] = "0123456789abcdef";
  out += '"';
  size_t run = 0;  // start of the pending unescaped bytes
  auto flush = [&](size_t i) { out.append(s.data() + run, i - run); };
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      size_t len = Utf8SequenceLength(s, i);
      bool line_sep = len == 3 && c == 0xE2 && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
                      (static_cast<unsigned char>(s[i + 2]) & 0xFE) == 0xA8;
      if (len == 0 || line_sep) {
        flush(i);
        out += len == 0 ? "\\ufffd" : (s[i + 2] == '\xA8' ? "\\u2028" : "\\u2029");
        i += len == 0 ? 1 : len;
        run = i;
      } else {
        i += len;
      }
      continue;
    }
    const char* esc = nullptr;
    switch (c) {
      case '"': esc = "\\\""; break;
      case '\\': esc = "\\\\"; break;
      case '\n': esc = "\\n"; break;
      case '\r': esc = "\\r"; break;
      case '\t': esc = "\\t"; break;
      case '\b': esc = "\\b"; break;
      case '\f': esc = "\\f"; break;
      default: break;
    }
    if (esc == nullptr && c >= 0x20 && c != '<' && c != '>' && c != '&') {
      ++i;
      continue;
    }
    flush(i);
    if (esc != nullptr) {
      out += esc;
    } else {
      out += "\\u00";
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
    run = ++i;
  }
  flush(s.size());
  out += '"';
}

void AppendJson(const Node* n, std::string& out, bool sort_keys) {
  switch (n->kind()) {
    case NodeKind::kMap: {
      std::vector<const MapEntry*> entries;
      entries.reserve(n->entries().size());
      for (const MapEntry& e : n->entries()) entries.push_back(&e);
      if (sort_keys) {
        std::stable_sort(entries.begin(), entries.end(),
                         [](const MapEntry* a, const MapEntry* b) { return a->key < b->key; });
      }
      out += '{';
      for (size_t i = 0; i < entries.size(); ++i) {
        if (i > 0) out += ',';
        AppendEscapedString(entries[i]->key, out);
        out += ':';
        AppendJson(entries[i]->value, out, sort_keys);
      }
      out += '}';
      break;
    }
    case NodeKind::kSeq:
      out += '[';
      for (size_t i = 0; i < n->items().size(); ++i) {
        if (i > 0) out += ',';
        AppendJson(n->items()[i], out, sort_keys);
      }
      out += ']';
      break;
    case NodeKind::kNull:
      out += "null";
      break;
    case NodeKind::kBool: {
      std::string_view t = n->scalar();
      out += t == "true" || t == "True" || t == "TRUE" ? "true" : "false";
      break;
    }
    case NodeKind::kInt:
    case NodeKind::kFloat: {
      char buf[kNumberTextMax];
      out += JsonNumberText(n->kind(), n->scalar(), buf);
      break;
    }
    case NodeKind::kString:
      AppendEscapedString(n->scalar(), out);
      break;
  }
}

}  // namespace

void EmitJson(const Node* root, std::string& out, bool sort_keys) {
  if (root == nullptr) {
    out += "null";
    return;
  }
  AppendJson(root, out, sort_keys);
}

}  // namespace skiff
