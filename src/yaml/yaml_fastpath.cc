#include "yaml/yaml_fastpath.h"

#include <algorithm>
#include <string>
#include <unordered_set>

#include "yaml/key_intern.h"
#include "yaml/scalar_node.h"
#include "yaml/scalar_resolve.h"

namespace skiff {
namespace {

// Past the end of the text reads as '\0': the accepted text has no NUL.
constexpr char kEnd = '\0';

bool IsBlankOrEnd(char c) { return c == ' ' || c == '\n' || c == kEnd; }

// Characters that may not start a plain scalar in the subset (YAML
// indicators, or syntax the fast path leaves to libyaml).
bool IsIndicator(char c) {
  switch (c) {
    case '?': case ':': case ',': case '[': case ']': case '{': case '}': case '#':
    case '&': case '*': case '!': case '|': case '>': case '\'': case '"': case '%':
    case '@': case '`':
      return true;
    default:
      return false;
  }
}

// Reads one stream; every Parse* function starts at a node's first byte and
// returns with the cursor at the start of the first line it did not consume.
// Any construct outside the subset sets `declined_`, and the result is then
// thrown away.
class FastReader {
 public:
  FastReader(std::string_view text, std::string_view file, Arena& arena,
             const ParseLimits& limits)
      : t_(text), file_(InternKey(file)), arena_(arena), limits_(limits) {}

  std::optional<std::vector<YamlDocument>> Run();

 private:
  enum class LineKind { kContent, kEnd, kDocumentStart };

  char At(size_t i) const { return i < t_.size() ? t_[i] : kEnd; }
  SourcePos Pos(size_t offset) const {
    return SourcePos{line_, static_cast<uint32_t>(offset - line_start_ + 1)};
  }
  size_t EndOfLine(size_t from) const {
    size_t e = t_.find('\n', from);
    return e == std::string_view::npos ? t_.size() : e;
  }
  void NextLine() {
    p_ = EndOfLine(p_);
    if (p_ < t_.size()) ++p_;
    ++line_;
    line_start_ = p_;
  }
  size_t SkipSpaces(size_t i) const {
    while (At(i) == ' ') ++i;
    return i;
  }
  bool IsSequenceEntry(size_t i) const { return At(i) == '-' && IsBlankOrEnd(At(i + 1)); }
  Node* Decline() {
    declined_ = true;
    return nullptr;
  }

  LineKind SkipBlankLines(size_t* indent);
  bool RestOfLineIsEmpty(size_t i) const;
  bool FindQuoteEnd(size_t open, size_t* close) const;
  bool FindPlainKeyColon(size_t start, size_t* colon) const;
  bool LooksLikeKey(size_t start) const;
  bool ReadQuoted(std::string* out);
  std::string_view ReadKey();

  Node* ParseBlockNode(int parent_indent, size_t indent, size_t depth);
  Node* ParseMap(size_t indent, size_t depth);
  Node* ParseSeq(size_t indent, size_t depth, bool indentless);
  Node* ParseAfterIndicator(int indent, bool in_map, size_t depth);
  Node* ParseInlineValue(int parent_indent, size_t depth);
  Node* ParsePlain();
  Node* ParseFlowSeq(size_t depth);
  Node* ParseBlockScalar(int parent_indent);
  bool AddEntry(Node* map, std::unordered_set<const char*>& big_map_keys,
                std::string_view key, Node* value, SourcePos key_pos);

  std::string_view t_;
  std::string_view file_;
  Arena& arena_;
  const ParseLimits& limits_;
  size_t p_ = 0;
  size_t line_start_ = 0;
  uint32_t line_ = 1;
  bool declined_ = false;
  std::string scratch_;
};

// Skips blank and comment-only lines from the start of a line. Leaves the
// cursor at the start of a content line (setting its indent), at the end, or
// at a `---` line.
FastReader::LineKind FastReader::SkipBlankLines(size_t* indent) {
  for (;;) {
    if (p_ >= t_.size()) return LineKind::kEnd;
    size_t i = SkipSpaces(p_);
    char c = At(i);
    if (c == kEnd) {
      p_ = t_.size();
      return LineKind::kEnd;
    }
    if (c == '\n' || c == '#') {
      NextLine();
      continue;
    }
    if (i == p_ && t_.substr(p_, 3) == "---" && IsBlankOrEnd(At(p_ + 3))) {
      return LineKind::kDocumentStart;
    }
    if (i == p_ && (t_.substr(p_, 3) == "..." || c == '%')) {
      declined_ = true;
      return LineKind::kEnd;
    }
    *indent = i - p_;
    return LineKind::kContent;
  }
}

// Only spaces, then the end of the line or a comment after a space.
bool FastReader::RestOfLineIsEmpty(size_t i) const {
  size_t j = SkipSpaces(i);
  char c = At(j);
  return c == '\n' || c == kEnd || (c == '#' && j > i);
}

// Finds the closing quote of a one-line quoted scalar opening at `open`.
bool FastReader::FindQuoteEnd(size_t open, size_t* close) const {
  char q = At(open);
  for (size_t i = open + 1;; ++i) {
    char c = At(i);
    if (c == '\n' || c == kEnd) return false;
    if (q == '"' && c == '\\') {
      ++i;
      if (At(i) == '\n' || At(i) == kEnd) return false;
      continue;
    }
    if (c != q) continue;
    if (q == '\'' && At(i + 1) == '\'') {
      ++i;
      continue;
    }
    *close = i;
    return true;
  }
}

// The ':' ending a plain key that starts at `start`: the first ':' followed
// by a blank, before any comment.
bool FastReader::FindPlainKeyColon(size_t start, size_t* colon) const {
  char first = At(start);
  if (IsIndicator(first) || (first == '-' && IsBlankOrEnd(At(start + 1)))) return false;
  for (size_t i = start;; ++i) {
    char c = At(i);
    if (c == '\n' || c == kEnd) return false;
    if (c == '#' && i > start && At(i - 1) == ' ') return false;
    if (c == ':' && IsBlankOrEnd(At(i + 1))) {
      *colon = i;
      return true;
    }
  }
}

bool FastReader::LooksLikeKey(size_t start) const {
  size_t end = 0;
  char c = At(start);
  if (c == '"' || c == '\'') {
    if (!FindQuoteEnd(start, &end)) return false;
    size_t after = SkipSpaces(end + 1);
    return At(after) == ':' && IsBlankOrEnd(At(after + 1));
  }
  return FindPlainKeyColon(start, &end);
}

// Reads a one-line quoted scalar at the cursor into `out`; the cursor ends
// after the closing quote. Escapes that could make non-ASCII text or span
// lines are declined.
bool FastReader::ReadQuoted(std::string* out) {
  size_t close = 0;
  if (!FindQuoteEnd(p_, &close)) return false;
  char q = At(p_);
  out->clear();
  for (size_t i = p_ + 1; i < close; ++i) {
    char c = t_[i];
    if (q == '\'' && c == '\'') {
      ++i;  // '' is one quote
    } else if (q == '"' && c == '\\') {
      switch (t_[++i]) {
        case '\\': c = '\\'; break;
        case '"': c = '"'; break;
        case '/': c = '/'; break;
        case ' ': c = ' '; break;
        case 'n': c = '\n'; break;
        case 't': c = '\t'; break;
        case 'r': c = '\r'; break;
        case '0': c = '\0'; break;
        case 'a': c = '\a'; break;
        case 'b': c = '\b'; break;
        case 'e': c = '\x1b'; break;
        case 'f': c = '\f'; break;
        case 'v': c = '\v'; break;
        default: return false;
      }
    }
    out->push_back(c);
  }
  p_ = close + 1;
  return true;
}

// Reads `key:` at the cursor; returns the interned key (empty when
// declined) and leaves the cursor after the ':'.
std::string_view FastReader::ReadKey() {
  std::string_view text;
  char c = At(p_);
  if (c == '"' || c == '\'') {
    if (!ReadQuoted(&scratch_)) return {};
    size_t after = SkipSpaces(p_);
    if (At(after) != ':' || !IsBlankOrEnd(At(after + 1))) return {};
    p_ = after + 1;
    text = scratch_;
  } else {
    size_t colon = 0;
    if (!FindPlainKeyColon(p_, &colon) || colon - p_ > 1000) return {};
    size_t end = colon;
    while (end > p_ && t_[end - 1] == ' ') --end;
    text = t_.substr(p_, end - p_);
    // Typed, timestamp and merge keys are left to libyaml's error and
    // rewrite rules.
    if (text.empty() || text == "<<" || ResolvePlainScalar(text) != NodeKind::kString ||
        IsPlainTimestamp(text)) {
      return {};
    }
    p_ = colon + 1;
  }
  if (text.empty()) return {};
  return InternKeyCached(text);
}

// A node starting on its own line at column `indent`.
Node* FastReader::ParseBlockNode(int parent_indent, size_t indent, size_t depth) {
  p_ = line_start_ + indent;
  if (IsSequenceEntry(p_)) return ParseSeq(indent, depth, /*indentless=*/false);
  if (LooksLikeKey(p_)) return ParseMap(indent, depth);
  return ParseInlineValue(parent_indent, depth);
}

bool FastReader::AddEntry(Node* map, std::unordered_set<const char*>& big_map_keys,
                          std::string_view key, Node* value, SourcePos key_pos) {
  auto& entries = map->entries();
  bool duplicate = false;
  if (entries.size() < 32) {
    for (const MapEntry& e : entries) duplicate = duplicate || e.key.data() == key.data();
  } else {
    if (big_map_keys.empty()) {
      for (const MapEntry& e : entries) big_map_keys.insert(e.key.data());
    }
    duplicate = !big_map_keys.insert(key.data()).second;
  }
  if (duplicate) {
    if (!limits_.duplicate_keys_last_wins) return false;
    map->Set(key, value);
    return true;
  }
  entries.push_back(MapEntry{key, value, key_pos});
  return true;
}

// A block map whose first key is at the cursor, in column `indent`.
Node* FastReader::ParseMap(size_t indent, size_t depth) {
  if (depth + 1 > limits_.max_depth) return Decline();
  Node* map = arena_.NewMap();
  map->set_source(file_, Pos(p_));
  std::unordered_set<const char*> big_map_keys;
  for (;;) {
    SourcePos key_pos = Pos(p_);
    std::string_view key = ReadKey();
    if (key.empty()) return Decline();
    Node* value = ParseAfterIndicator(static_cast<int>(indent), /*in_map=*/true, depth + 1);
    if (value == nullptr) return nullptr;
    if (!AddEntry(map, big_map_keys, key, value, key_pos)) return Decline();
    size_t next = 0;
    if (SkipBlankLines(&next) != LineKind::kContent || next < indent) break;
    if (next > indent) return Decline();
    p_ = line_start_ + indent;
    if (IsSequenceEntry(p_)) return Decline();
  }
  return map;
}

// A block sequence whose first '-' is at the cursor, in column `indent`.
// An indentless one (a map value at the map's own indent) ends at the
// first line that is not an entry; a plain one must end at a lower indent.
Node* FastReader::ParseSeq(size_t indent, size_t depth, bool indentless) {
  if (depth + 1 > limits_.max_depth) return Decline();
  Node* seq = arena_.NewSeq();
  seq->set_source(file_, Pos(p_));
  for (;;) {
    ++p_;  // the '-'
    Node* item = ParseAfterIndicator(static_cast<int>(indent), /*in_map=*/false, depth + 1);
    if (item == nullptr) return nullptr;
    seq->Append(item);
    size_t next = 0;
    if (SkipBlankLines(&next) != LineKind::kContent || next < indent) break;
    if (next > indent) return Decline();
    if (IsSequenceEntry(line_start_ + indent)) {
      p_ = line_start_ + indent;
      continue;
    }
    if (indentless) break;  // the cursor stays at the start of the parent's next key
    return Decline();
  }
  return seq;
}

// The value after a map's ':' or a sequence's '-' (cursor just after it):
// on the same line, on the following lines, or empty.
Node* FastReader::ParseAfterIndicator(int indent, bool in_map, size_t depth) {
  // libyaml places an empty value right after its indicator.
  SourcePos empty_pos = Pos(p_);
  size_t start = SkipSpaces(p_);
  char c = At(start);
  if (c == '\n' || c == kEnd || c == '#') {
    NextLine();
    size_t next = 0;
    LineKind kind = SkipBlankLines(&next);
    if (declined_) return nullptr;
    if (kind == LineKind::kContent && static_cast<int>(next) > indent) {
      return ParseBlockNode(indent, next, depth);
    }
    if (in_map && kind == LineKind::kContent && static_cast<int>(next) == indent &&
        IsSequenceEntry(line_start_ + next)) {
      p_ = line_start_ + next;
      return ParseSeq(next, depth, /*indentless=*/true);
    }
    Node* empty = NewPlainScalarNode(arena_, "");
    empty->set_source(file_, empty_pos);
    return empty;
  }
  p_ = start;
  if (IsSequenceEntry(p_)) return Decline();  // `key: - a`, or a compact `- - a`
  // In a map, `key: other: value` is declined by the scalar readers.
  if (!in_map && LooksLikeKey(p_)) return ParseMap(p_ - line_start_, depth);
  return ParseInlineValue(indent, depth);
}

// A scalar or flow collection starting at the cursor, ending on this line
// (block scalars: on the lines their indentation covers).
Node* FastReader::ParseInlineValue(int parent_indent, size_t depth) {
  SourcePos pos = Pos(p_);
  char c = At(p_);
  Node* n = nullptr;
  if (c == '"' || c == '\'') {
    if (!ReadQuoted(&scratch_) || !RestOfLineIsEmpty(p_)) return Decline();
    n = arena_.NewScalar(NodeKind::kString, scratch_,
                         c == '"' ? ScalarStyle::kDoubleQuoted : ScalarStyle::kSingleQuoted);
    NextLine();
  } else if (c == '[') {
    n = ParseFlowSeq(depth);
  } else if (c == '{') {
    size_t close = SkipSpaces(p_ + 1);
    if (depth + 1 > limits_.max_depth || At(close) != '}' || !RestOfLineIsEmpty(close + 1)) {
      return Decline();
    }
    n = arena_.NewMap();
    NextLine();
  } else if (c == '|' || c == '>') {
    n = ParseBlockScalar(parent_indent);
  } else if (IsIndicator(c) || (c == '-' && IsBlankOrEnd(At(p_ + 1)))) {
    return Decline();
  } else {
    n = ParsePlain();
  }
  if (n == nullptr) return nullptr;
  n->set_source(file_, pos);
  return n;
}

// A one-line plain scalar; one that goes on (a more indented next line) is
// caught by the enclosing collection, which declines.
Node* FastReader::ParsePlain() {
  size_t eol = EndOfLine(p_);
  size_t end = eol;
  for (size_t i = p_ + 1; i < eol; ++i) {
    if (t_[i] == '#' && t_[i - 1] == ' ') {
      end = i;
      break;
    }
    if (t_[i] == ':' && (i + 1 == eol || t_[i + 1] == ' ')) return Decline();
  }
  while (end > p_ && t_[end - 1] == ' ') --end;
  Node* n = NewPlainScalarNode(arena_, t_.substr(p_, end - p_));
  NextLine();
  return n;
}

// `[a, "b", c]` on one line: scalars only, no trailing comma.
Node* FastReader::ParseFlowSeq(size_t depth) {
  if (depth + 1 > limits_.max_depth) return Decline();
  Node* seq = arena_.NewSeq();
  p_ = SkipSpaces(p_ + 1);
  if (At(p_) == ']') {
    ++p_;
  } else {
    for (;;) {
      SourcePos pos = Pos(p_);
      char c = At(p_);
      Node* item = nullptr;
      if (c == '"' || c == '\'') {
        if (!ReadQuoted(&scratch_)) return Decline();
        item = arena_.NewScalar(NodeKind::kString, scratch_,
                                c == '"' ? ScalarStyle::kDoubleQuoted
                                         : ScalarStyle::kSingleQuoted);
      } else {
        if (IsIndicator(c) || (c == '-' && (IsBlankOrEnd(At(p_ + 1)) || At(p_ + 1) == ',' ||
                                            At(p_ + 1) == ']'))) {
          return Decline();
        }
        size_t i = p_;
        for (; At(i) != ',' && At(i) != ']'; ++i) {
          char d = At(i);
          if (d == '\n' || d == kEnd || d == ':' || d == '#' || d == '[' || d == '{' ||
              d == '}') {
            return Decline();
          }
        }
        size_t end = i;
        while (end > p_ && t_[end - 1] == ' ') --end;
        item = NewPlainScalarNode(arena_, t_.substr(p_, end - p_));
        p_ = i;
      }
      item->set_source(file_, pos);
      seq->Append(item);
      p_ = SkipSpaces(p_);
      if (At(p_) == ']') {
        ++p_;
        break;
      }
      if (At(p_) != ',') return Decline();
      p_ = SkipSpaces(p_ + 1);
      if (At(p_) == ']' || At(p_) == ',') return Decline();
    }
  }
  if (!RestOfLineIsEmpty(p_)) return Decline();
  NextLine();
  return seq;
}

// A literal or folded block scalar whose header is at the cursor. Follows
// libyaml's scanner step by step (indent detection, line folding,
// chomping), so the text is byte-identical.
Node* FastReader::ParseBlockScalar(int parent_indent) {
  bool literal = At(p_) == '|';
  ++p_;
  int chomping = 0;
  if (At(p_) == '-' || At(p_) == '+') {
    chomping = At(p_) == '-' ? -1 : 1;
    ++p_;
  }
  if (!IsBlankOrEnd(At(p_)) || !RestOfLineIsEmpty(p_)) return Decline();
  NextLine();
  // libyaml's leading_break is empty or one '\n' here, its trailing_breaks
  // only '\n's: a flag and a count hold them.
  std::string out;
  bool leading_break = false;
  size_t trailing_breaks = 0;
  size_t indent = 0;
  size_t max_indent = 0;
  // Eats indentation and empty lines (libyaml's scan_block_scalar_breaks).
  auto scan_breaks = [&] {
    for (;;) {
      while ((indent == 0 || p_ - line_start_ < indent) && At(p_) == ' ') ++p_;
      max_indent = std::max(max_indent, p_ - line_start_);
      if (At(p_) != '\n') return;
      ++trailing_breaks;
      NextLine();
    }
  };
  scan_breaks();
  indent = std::max<size_t>({max_indent, static_cast<size_t>(parent_indent + 1), 1});
  // An empty block scalar (no content line) is left to libyaml.
  if (p_ - line_start_ != indent || At(p_) == kEnd) return Decline();
  bool leading_blank = false;
  while (p_ - line_start_ == indent && At(p_) != kEnd) {
    bool trailing_blank = At(p_) == ' ';
    if (!literal && leading_break && !leading_blank && !trailing_blank) {
      if (trailing_breaks == 0) out.push_back(' ');
    } else if (leading_break) {
      out.push_back('\n');
    }
    leading_break = false;
    out.append(trailing_breaks, '\n');
    trailing_breaks = 0;
    leading_blank = At(p_) == ' ';
    size_t eol = EndOfLine(p_);
    out.append(t_.data() + p_, eol - p_);
    p_ = eol;
    if (At(p_) == '\n') {
      leading_break = true;
      NextLine();
    }
    scan_breaks();
  }
  if (chomping != -1 && leading_break) out.push_back('\n');
  if (chomping == 1) out.append(trailing_breaks, '\n');
  p_ = line_start_;
  return arena_.NewScalar(NodeKind::kString, out,
                          literal ? ScalarStyle::kLiteral : ScalarStyle::kFolded);
}

std::optional<std::vector<YamlDocument>> FastReader::Run() {
  if (t_.size() > limits_.max_stream_bytes || t_.size() > limits_.max_document_bytes) {
    return std::nullopt;
  }
  for (char c : t_) {
    if ((c < 0x20 || c > 0x7E) && c != '\n') return std::nullopt;
  }
  std::vector<YamlDocument> docs;
  bool explicit_pending = false;  // a `---` whose document is not made yet
  SourcePos marker;
  for (;;) {
    size_t indent = 0;
    LineKind kind = SkipBlankLines(&indent);
    if (declined_) return std::nullopt;
    if (kind == LineKind::kEnd) {
      if (explicit_pending) docs.push_back(YamlDocument{nullptr, marker});
      break;
    }
    if (kind == LineKind::kDocumentStart) {
      if (explicit_pending) docs.push_back(YamlDocument{nullptr, marker});
      marker = SourcePos{line_, 1};
      if (!RestOfLineIsEmpty(p_ + 3)) return std::nullopt;
      NextLine();
      explicit_pending = true;
      continue;
    }
    if (!docs.empty() && !explicit_pending) return std::nullopt;  // content after a root
    YamlDocument doc;
    doc.pos = explicit_pending ? marker : SourcePos{line_, static_cast<uint32_t>(indent + 1)};
    Node* root = ParseBlockNode(-1, indent, 0);
    if (declined_ || root == nullptr) return std::nullopt;
    doc.root = root->IsNull() ? nullptr : root;
    docs.push_back(doc);
    explicit_pending = false;
    // The next line must start a new document or end the stream.
    size_t next = 0;
    LineKind after = SkipBlankLines(&next);
    if (declined_ || after == LineKind::kContent) return std::nullopt;
  }
  return docs;
}

}  // namespace

std::optional<std::vector<YamlDocument>> TryParseYamlFast(std::string_view text,
                                                          std::string_view file, Arena& arena,
                                                          const ParseLimits& limits) {
  return FastReader(text, file, arena, limits).Run();
}

}  // namespace skiff
