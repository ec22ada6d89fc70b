// EmitYaml: the model written the way `kustomize build` writes it, through
// libyaml's emitter with the choices go-yaml v2 makes.
#include <yaml.h>

#include <cstdint>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "yaml/key_order.h"
#include "yaml/number_text.h"
#include "yaml/scalar_resolve.h"
#include "yaml/simple_block_writer.h"
#include "yaml/utf8.h"
#include "yaml/yaml.h"

namespace skiff {
namespace {

int AppendToString(void* data, unsigned char* buffer, size_t size) {
  static_cast<std::string*>(data)->append(reinterpret_cast<const char*>(buffer), size);
  return 1;
}

// Writes one document with a fresh libyaml emitter. Sorted-key buffers are
// kept per nesting level so deep trees reuse them instead of reallocating.
class DocumentWriter {
 public:
  explicit DocumentWriter(std::string& out) : out_(out) {
    yaml_emitter_initialize(&emitter_);
    yaml_emitter_set_output(&emitter_, AppendToString, &out_);
    yaml_emitter_set_unicode(&emitter_, 1);
    yaml_emitter_set_indent(&emitter_, 2);
    yaml_emitter_set_width(&emitter_, 80);
  }
  ~DocumentWriter() { yaml_emitter_delete(&emitter_); }
  DocumentWriter(const DocumentWriter&) = delete;
  DocumentWriter& operator=(const DocumentWriter&) = delete;

  void Write(const Node* root);

 private:
  void Emit(yaml_event_t* event) {
    // The emitter only fails on events out of order or memory exhaustion;
    // both would be bugs here, and the output then stays truncated.
    if (ok_) ok_ = yaml_emitter_emit(&emitter_, event) != 0;
  }
  void WriteNode(const Node* n, size_t depth);
  void WriteScalar(std::string_view text, yaml_scalar_style_t style);
  void WriteString(std::string_view s);
  void WriteBomString(std::string_view s);
  void ReplaceBomPlaceholders(size_t start);

  std::string& out_;
  yaml_emitter_t emitter_;
  bool ok_ = true;
  std::vector<std::vector<const MapEntry*>> sorted_;
  struct BomString {
    std::string placeholder_text;  // as libyaml writes the placeholder
    std::string escaped;           // as go-yaml writes the real value
  };
  std::vector<BomString> bom_strings_;
  uint64_t bom_nonce_ = 0;
};

// go-yaml v2 tests for a byte order mark at the start of the value instead
// of at the current character, so a string that starts with U+FEFF comes out
// with every character escaped.
std::string EscapeEveryRune(std::string_view s) {
  std::string out = "\"";
  char buf[16];
  for (size_t i = 0; i < s.size();) {
    size_t len = Utf8SequenceLength(s, i);
    unsigned char c = static_cast<unsigned char>(s[i]);
    char32_t r = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
    for (size_t k = 1; k < len; ++k) r = (r << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    i += len;
    const char* named = nullptr;
    switch (r) {
      case 0x00: named = "\\0"; break;
      case 0x07: named = "\\a"; break;
      case 0x08: named = "\\b"; break;
      case 0x09: named = "\\t"; break;
      case 0x0A: named = "\\n"; break;
      case 0x0B: named = "\\v"; break;
      case 0x0C: named = "\\f"; break;
      case 0x0D: named = "\\r"; break;
      case 0x1B: named = "\\e"; break;
      case 0x22: named = "\\\""; break;
      case 0x5C: named = "\\\\"; break;
      case 0x85: named = "\\N"; break;
      case 0xA0: named = "\\_"; break;
      case 0x2028: named = "\\L"; break;
      case 0x2029: named = "\\P"; break;
      default: break;
    }
    if (named != nullptr) {
      out += named;
    } else {
      const char* fmt = r <= 0xFF ? "\\x%02X" : r <= 0xFFFF ? "\\u%04X" : "\\U%08X";
      std::snprintf(buf, sizeof buf, fmt, static_cast<unsigned>(r));
      out += buf;
    }
  }
  out += '"';
  return out;
}

bool IsBlank(char c) { return c == ' ' || c == '\t'; }

// Go's JSON leaves U+0085 (NEL) unescaped, and go-yaml reading that JSON
// folds it as a line break inside a quoted scalar: blanks around a run of
// breaks vanish, one break becomes a space, n breaks become n-1 newlines.
std::string FoldNextLines(std::string_view s) {
  constexpr std::string_view kNel = "\xC2\x85";
  std::string out;
  for (size_t i = 0; i < s.size();) {
    if (s.substr(i, 2) != kNel) {
      out += s[i++];
      continue;
    }
    while (!out.empty() && IsBlank(out.back())) out.pop_back();
    size_t breaks = 0;
    for (;;) {
      while (i < s.size() && IsBlank(s[i])) ++i;
      if (s.substr(i, 2) != kNel) break;
      ++breaks;
      i += 2;
    }
    out.append(breaks == 1 ? 1 : breaks - 1, breaks == 1 ? ' ' : '\n');
  }
  return out;
}

// A BOM string is written as a placeholder scalar and swapped for its
// escaped form afterwards. U+FFFE is not printable, so libyaml escapes it;
// a random nonce keeps any real value from spelling the same text.
uint64_t PlaceholderNonce() {
  thread_local std::mt19937_64 rng(std::random_device{}());
  return rng();
}

std::string BomPlaceholderValue(uint64_t nonce, size_t index) {
  return "\xEF\xBF\xBE\xEF\xBF\xBE" + std::to_string(nonce) + "." + std::to_string(index);
}

std::string BomPlaceholderText(uint64_t nonce, size_t index) {
  return "\"\\uFFFE\\uFFFE" + std::to_string(nonce) + "." + std::to_string(index) + "\"";
}

void DocumentWriter::Write(const Node* root) {
  size_t start = out_.size();
  yaml_event_t e;
  yaml_stream_start_event_initialize(&e, YAML_UTF8_ENCODING);
  Emit(&e);
  yaml_document_start_event_initialize(&e, nullptr, nullptr, nullptr, 1);
  Emit(&e);
  if (root == nullptr) {
    WriteScalar("null", YAML_PLAIN_SCALAR_STYLE);
  } else {
    WriteNode(root, 0);
  }
  yaml_document_end_event_initialize(&e, 1);
  Emit(&e);
  yaml_stream_end_event_initialize(&e);
  Emit(&e);
  yaml_emitter_flush(&emitter_);
  if (!bom_strings_.empty()) ReplaceBomPlaceholders(start);
  // After a keep-chomped block (`|+`) libyaml closes the document with
  // "..."; go-yaml's writer as kustomize uses it does not.
  std::string_view written(out_.data() + start, out_.size() - start);
  if (written.size() >= 4 && written.substr(written.size() - 4) == "...\n" &&
      (written.size() == 4 || written[written.size() - 5] == '\n')) {
    out_.resize(out_.size() - 4);
  }
}

void DocumentWriter::WriteBomString(std::string_view s) {
  if (bom_strings_.empty()) bom_nonce_ = PlaceholderNonce();
  size_t index = bom_strings_.size();
  std::string value = BomPlaceholderValue(bom_nonce_, index);
  std::string text = BomPlaceholderText(bom_nonce_, index);
  // As long as the real value, so libyaml's simple-key test (at most 128
  // bytes, else "? key") decides as go-yaml does on the real value.
  if (value.size() < s.size()) {
    size_t pad = s.size() - value.size();
    value.append(pad, 'x');
    text.insert(text.size() - 1, pad, 'x');
  }
  bom_strings_.push_back(BomString{std::move(text), EscapeEveryRune(s)});
  WriteScalar(value, YAML_DOUBLE_QUOTED_SCALAR_STYLE);
}

void DocumentWriter::ReplaceBomPlaceholders(size_t start) {
  for (const BomString& b : bom_strings_) {
    size_t at = out_.find(b.placeholder_text, start);
    if (at != std::string::npos) out_.replace(at, b.placeholder_text.size(), b.escaped);
  }
  bom_strings_.clear();
}

void DocumentWriter::WriteScalar(std::string_view text, yaml_scalar_style_t style) {
  yaml_event_t e;
  const char* data = text.empty() ? "" : text.data();  // libyaml rejects a null value
  yaml_scalar_event_initialize(&e, nullptr, nullptr,
                               reinterpret_cast<yaml_char_t*>(const_cast<char*>(data)),
                               static_cast<int>(text.size()), 1, 1, style);
  Emit(&e);
}

void DocumentWriter::WriteString(std::string_view s) {
  // kustomize's text went through JSON, which turns invalid UTF-8 into U+FFFD.
  std::string repaired;
  if (!IsValidUtf8(s)) {
    repaired = RepairUtf8(s);
    s = repaired;
  }
  std::string folded;
  if (s.find("\xC2\x85") != std::string_view::npos) {
    folded = FoldNextLines(s);
    s = folded;
  }
  if (s.substr(0, 3) == "\xEF\xBB\xBF" && s.find('\n') == std::string_view::npos) {
    WriteBomString(s);
    return;
  }
  yaml_scalar_style_t style = YAML_PLAIN_SCALAR_STYLE;
  if (s.find('\n') != std::string_view::npos) {
    style = YAML_LITERAL_SCALAR_STYLE;
  } else if (PlainTextReadsAsNonString(s)) {
    style = YAML_DOUBLE_QUOTED_SCALAR_STYLE;
  }
  // A plain style libyaml finds unsafe becomes single-quoted by itself.
  WriteScalar(s, style);
}

void DocumentWriter::WriteNode(const Node* n, size_t depth) {
  yaml_event_t e;
  switch (n->kind()) {
    case NodeKind::kMap: {
      yaml_mapping_start_event_initialize(&e, nullptr, nullptr, 1, YAML_BLOCK_MAPPING_STYLE);
      Emit(&e);
      if (sorted_.size() <= depth) sorted_.resize(depth + 1);
      SortedEntries(*n, sorted_[depth]);
      // WriteNode below may grow sorted_, so index it afresh each time.
      for (size_t i = 0; i < sorted_[depth].size(); ++i) {
        const MapEntry* entry = sorted_[depth][i];
        WriteString(entry->key);
        WriteNode(entry->value, depth + 1);
      }
      yaml_mapping_end_event_initialize(&e);
      Emit(&e);
      break;
    }
    case NodeKind::kSeq:
      yaml_sequence_start_event_initialize(&e, nullptr, nullptr, 1, YAML_BLOCK_SEQUENCE_STYLE);
      Emit(&e);
      for (const Node* item : n->items()) WriteNode(item, depth + 1);
      yaml_sequence_end_event_initialize(&e);
      Emit(&e);
      break;
    case NodeKind::kNull:
      WriteScalar("null", YAML_PLAIN_SCALAR_STYLE);
      break;
    case NodeKind::kBool: {
      std::string_view t = n->scalar();
      bool truth = t == "true" || t == "True" || t == "TRUE";
      WriteScalar(truth ? "true" : "false", YAML_PLAIN_SCALAR_STYLE);
      break;
    }
    case NodeKind::kInt:
    case NodeKind::kFloat: {
      char buf[kNumberTextMax];
      WriteScalar(YamlNumberText(n->kind(), n->scalar(), buf), YAML_PLAIN_SCALAR_STYLE);
      break;
    }
    case NodeKind::kString:
      WriteString(n->scalar());
      break;
  }
}

}  // namespace

void EmitYamlWithLibyaml(const Node* root, std::string& out) {
  DocumentWriter writer(out);
  writer.Write(root);
}

void EmitYaml(const Node* root, std::string& out) {
  size_t start = out.size();
  if (WriteSimpleBlockDocument(root, out)) return;
  out.resize(start);
  EmitYamlWithLibyaml(root, out);
}

void EmitYamlStream(const std::vector<const Node*>& docs, std::string& out) {
  for (size_t i = 0; i < docs.size(); ++i) {
    if (i > 0) out += "---\n";
    EmitYaml(docs[i], out);
  }
}

}  // namespace skiff
