#include "yaml/simple_block_writer.h"

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "yaml/key_order.h"
#include "yaml/number_text.h"
#include "yaml/scalar_resolve.h"

namespace skiff {
namespace {

constexpr size_t kBestWidth = 80;
constexpr size_t kMaxSimpleKey = 128;  // libyaml writes longer keys as "? key"

bool IsPrintableAscii(std::string_view s) {
  for (char c : s) {
    if (c < 0x20 || c > 0x7E) return false;
  }
  return true;
}

bool IsInfinityOrNan(std::string_view s) {
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) s.remove_prefix(1);
  if (s.size() != 4 || s[0] != '.') return false;
  auto lower = [](char c) { return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c); };
  std::string t{lower(s[1]), lower(s[2]), lower(s[3])};
  return t == "inf" || t == "nan";
}

bool IsFollowedByBlank(std::string_view s, size_t i) { return i + 1 == s.size() || s[i + 1] == ' '; }

// libyaml's analysis for a one-line printable ASCII scalar in block context.
bool PlainAllowed(std::string_view s) {
  if (s.front() == ' ' || s.back() == ' ') return false;
  if (s.size() >= 3 && (s.substr(0, 3) == "---" || s.substr(0, 3) == "...")) return false;
  char c = s[0];
  if (std::string_view("#,[]{}&*!|>'\"%@`").find(c) != std::string_view::npos) return false;
  if ((c == '?' || c == ':' || c == '-') && IsFollowedByBlank(s, 0)) return false;
  for (size_t i = 1; i < s.size(); ++i) {
    if (s[i] == ':' && IsFollowedByBlank(s, i)) return false;
    if (s[i] == '#' && s[i - 1] == ' ') return false;
  }
  return true;
}

// Writes block mappings and sequences exactly as libyaml lays them out
// (indent 2, sequences inside mappings not indented).
class SimpleBlockWriter {
 public:
  SimpleBlockWriter(std::string& out, std::vector<std::vector<const MapEntry*>>& sorted)
      : out_(out), sorted_(sorted) {}

  bool WriteRoot(const Node* root) {
    if (root->IsMap() && !root->entries().empty()) return WriteMap(root, 0, false);
    if (root->IsSeq() && !root->items().empty()) return WriteSeq(root, 0, false);
    if (!AppendValue(root, 0)) return false;
    out_ += '\n';
    return true;
  }

 private:
  // Appends a scalar or empty collection starting at `column`; false when
  // libyaml's analysis or line wrapping would be needed.
  bool AppendValue(const Node* n, size_t column) {
    switch (n->kind()) {
      case NodeKind::kMap: out_ += "{}"; return n->entries().empty();
      case NodeKind::kSeq: out_ += "[]"; return n->items().empty();
      case NodeKind::kNull: out_ += "null"; return true;
      case NodeKind::kBool: {
        std::string_view t = n->scalar();
        out_ += t == "true" || t == "True" || t == "TRUE" ? "true" : "false";
        return true;
      }
      case NodeKind::kFloat:
        // Left to libyaml: the same text, and JSON has no such numbers (the
        // caller checks what this writer declines).
        if (IsInfinityOrNan(n->scalar())) return false;
        [[fallthrough]];
      case NodeKind::kInt: {
        char buf[kNumberTextMax];
        out_ += YamlNumberText(n->kind(), n->scalar(), buf);
        return true;
      }
      case NodeKind::kString:
        return AppendString(n->scalar(), column, true);
    }
    return false;
  }

  bool AppendString(std::string_view s, size_t column, bool may_wrap) {
    if (s.empty()) {
      out_ += "\"\"";
      return true;
    }
    if (!IsPrintableAscii(s)) return false;
    bool has_space = s.find(' ') != std::string_view::npos;
    bool keyword = PlainTextReadsAsNonString(s);
    // Every style breaks lines only at spaces once past column 80, counting
    // the written characters: quotes, and a single-quoted string's doubled
    // quotes.
    if (may_wrap && has_space) {
      bool single_quoted = !keyword && !PlainAllowed(s);
      size_t doubled = single_quoted ? static_cast<size_t>(std::count(s.begin(), s.end(), '\'')) : 0;
      if (column + s.size() + 2 + doubled > kBestWidth) return false;
    }
    if (keyword) {
      if (s.find_first_of("\"\\") != std::string_view::npos) return false;
      out_ += '"';
      out_ += s;
      out_ += '"';
    } else if (PlainAllowed(s)) {
      out_ += s;
    } else {
      out_ += '\'';
      for (char c : s) {
        if (c == '\'') out_ += '\'';
        out_ += c;
      }
      out_ += '\'';
    }
    return true;
  }

  bool IsEmptyCollection(const Node* n) {
    return (n->IsMap() && n->entries().empty()) || (n->IsSeq() && n->items().empty());
  }

  bool WriteMap(const Node* map, size_t indent, bool inline_first) {
    if (sorted_.size() <= indent) sorted_.resize(indent + 1);
    SortedEntries(*map, sorted_[indent]);
    for (size_t i = 0; i < sorted_[indent].size(); ++i) {
      const MapEntry* e = sorted_[indent][i];
      if (i > 0 || !inline_first) out_.append(indent, ' ');
      size_t key_start = out_.size();
      if (e->key.size() > kMaxSimpleKey || !AppendString(e->key, indent, false)) return false;
      size_t column = indent + (out_.size() - key_start) + 2;
      const Node* v = e->value;
      if (v->IsMap() && !v->entries().empty()) {
        out_ += ":\n";
        if (!WriteMap(v, indent + 2, false)) return false;
      } else if (v->IsSeq() && !v->items().empty()) {
        out_ += ":\n";
        if (!WriteSeq(v, indent, false)) return false;
      } else {
        out_ += ": ";
        if (!AppendValue(v, column)) return false;
        out_ += '\n';
      }
    }
    return true;
  }

  bool WriteSeq(const Node* seq, size_t indent, bool inline_first) {
    for (size_t i = 0; i < seq->items().size(); ++i) {
      const Node* item = seq->items()[i];
      if (i > 0 || !inline_first) out_.append(indent, ' ');
      out_ += "- ";
      if (item->IsMap() && !item->entries().empty()) {
        if (!WriteMap(item, indent + 2, true)) return false;
      } else if (item->IsSeq() && !item->items().empty()) {
        if (!WriteSeq(item, indent + 2, true)) return false;
      } else {
        if (!AppendValue(item, indent + 2)) return false;
        out_ += '\n';
      }
    }
    return true;
  }

  std::string& out_;
  std::vector<std::vector<const MapEntry*>>& sorted_;  // one per indent, reused
};

}  // namespace

bool WriteSimpleBlockDocument(const Node* root, std::string& out) {
  if (root == nullptr) return false;
  // Reused across documents: a render writes thousands.
  thread_local std::vector<std::vector<const MapEntry*>> sorted;
  SimpleBlockWriter writer(out, sorted);
  return writer.WriteRoot(root);
}

}  // namespace skiff
