// ParseYamlStream: the fast path when it accepts the text, else libyaml events
// into the arena model.
#include <yaml.h>

#include <string>
#include <unordered_set>
#include <utility>

#include "yaml/key_intern.h"
#include "yaml/scalar_node.h"
#include "yaml/scalar_resolve.h"
#include "yaml/yaml.h"
#include "yaml/yaml_fastpath.h"

namespace skiff {
namespace {

constexpr std::string_view kTagPrefix = "tag:yaml.org,2002:";

std::string_view View(const yaml_char_t* p, size_t n) {
  return std::string_view(reinterpret_cast<const char*>(p), n);
}

std::string_view View(const yaml_char_t* p) {
  return p == nullptr ? std::string_view() : std::string_view(reinterpret_cast<const char*>(p));
}

SourcePos PosOf(const yaml_mark_t& m) {
  return SourcePos{static_cast<uint32_t>(m.line + 1), static_cast<uint32_t>(m.column + 1)};
}

size_t CountNodes(const Node* n, size_t cap) {
  size_t count = 1;
  if (n->IsMap()) {
    for (const MapEntry& e : n->entries()) {
      if (count > cap) break;
      count += CountNodes(e.value, cap - count);
    }
  } else if (n->IsSeq()) {
    for (const Node* item : n->items()) {
      if (count > cap) break;
      count += CountNodes(item, cap - count);
    }
  }
  return count;
}

// Builds the documents of one stream from libyaml's event sequence. Holds at
// most one undeleted event; anchors are scoped to the current document and
// registered only once their node is complete, so an alias can never refer
// to an ancestor (no cycles).
class StreamBuilder {
 public:
  StreamBuilder(std::string_view text, std::string_view file, Arena& arena,
                const ParseLimits& limits)
      : text_(text), file_(InternKey(file)), arena_(arena), limits_(limits) {
    yaml_parser_initialize(&parser_);
    yaml_parser_set_input_string(&parser_, reinterpret_cast<const unsigned char*>(text.data()),
                                 text.size());
  }
  ~StreamBuilder() {
    if (has_event_) yaml_event_delete(&event_);
    yaml_parser_delete(&parser_);
  }
  StreamBuilder(const StreamBuilder&) = delete;
  StreamBuilder& operator=(const StreamBuilder&) = delete;

  Result<std::vector<YamlDocument>> Run();

 private:
  Status Next();
  Error ErrorAt(SourcePos pos, std::string_view message) const;
  Error ErrorAt(const yaml_mark_t& mark, std::string_view message) const {
    return ErrorAt(PosOf(mark), message);
  }
  Error ParserError() const;

  Result<Node*> ParseNode(size_t depth);
  Result<Node*> ParseScalar();
  Result<Node*> ParseSequence(size_t depth);
  Result<Node*> ParseMapping(size_t depth);
  Result<Node*> ExpandAlias();
  Status MergeInto(Node* map, const Node* source, size_t insert_at, SourcePos where);
  Status CheckDuplicate(const Node* map, std::string_view key, SourcePos pos) const;
  void RememberAnchor(const yaml_char_t* anchor, Node* node);
  bool IsPlainTimestampEvent() const;

  std::string_view text_;
  std::string_view file_;
  Arena& arena_;
  ParseLimits limits_;
  yaml_parser_t parser_;
  yaml_event_t event_;
  bool has_event_ = false;
  size_t doc_start_ = 0;
  size_t alias_nodes_ = 0;
  std::vector<std::pair<std::string, Node*>> anchors_;
};

Error StreamBuilder::ErrorAt(SourcePos pos, std::string_view message) const {
  std::string m(file_);
  m += ':';
  m += std::to_string(pos.line);
  m += ':';
  m += std::to_string(pos.column);
  m += ": ";
  m += message;
  return Error{std::move(m)};
}

Error StreamBuilder::ParserError() const {
  std::string msg = parser_.problem != nullptr ? parser_.problem : "invalid YAML";
  yaml_mark_t mark = parser_.problem_mark;
  if (parser_.error == YAML_READER_ERROR) {
    // Reader errors carry a byte offset, not a mark.
    msg += " at byte " + std::to_string(parser_.problem_offset);
    mark = parser_.mark;
  }
  if (parser_.context != nullptr) {
    msg += " (";
    msg += parser_.context;
    msg += " at line " + std::to_string(parser_.context_mark.line + 1) + ")";
  }
  return ErrorAt(mark, msg);
}

Status StreamBuilder::Next() {
  if (has_event_) {
    yaml_event_delete(&event_);
    has_event_ = false;
  }
  if (!yaml_parser_parse(&parser_, &event_)) return ParserError();
  has_event_ = true;
  if (event_.end_mark.index - doc_start_ > limits_.max_document_bytes) {
    return ErrorAt(event_.start_mark, "document exceeds max_document_bytes (" +
                                          std::to_string(limits_.max_document_bytes) + ")");
  }
  return Status::Ok();
}

Result<std::vector<YamlDocument>> StreamBuilder::Run() {
  if (text_.size() > limits_.max_stream_bytes) {
    return ErrorAt(SourcePos{1, 1}, "stream of " + std::to_string(text_.size()) +
                                        " bytes exceeds max_stream_bytes (" +
                                        std::to_string(limits_.max_stream_bytes) + ")");
  }
  std::vector<YamlDocument> docs;
  SKIFF_RETURN_IF_ERROR(Next());  // STREAM-START
  for (;;) {
    SKIFF_RETURN_IF_ERROR(Next());
    if (event_.type == YAML_STREAM_END_EVENT) break;
    YamlDocument doc;
    doc.pos = PosOf(event_.start_mark);
    doc_start_ = event_.start_mark.index;
    anchors_.clear();
    SKIFF_RETURN_IF_ERROR(Next());
    SKIFF_ASSIGN_OR_RETURN(Node * root, ParseNode(0));
    SKIFF_RETURN_IF_ERROR(Next());  // DOCUMENT-END
    doc.root = root->IsNull() ? nullptr : root;
    docs.push_back(doc);
    doc_start_ = event_.end_mark.index;
  }
  return docs;
}

Result<Node*> StreamBuilder::ParseNode(size_t depth) {
  switch (event_.type) {
    case YAML_SCALAR_EVENT:
      return ParseScalar();
    case YAML_ALIAS_EVENT:
      return ExpandAlias();
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT:
      if (depth + 1 > limits_.max_depth) {
        return ErrorAt(event_.start_mark, "nesting exceeds max_depth (" +
                                              std::to_string(limits_.max_depth) + ")");
      }
      return event_.type == YAML_SEQUENCE_START_EVENT ? ParseSequence(depth + 1)
                                                      : ParseMapping(depth + 1);
    default:
      return ErrorAt(event_.start_mark, "unexpected YAML event");
  }
}

void StreamBuilder::RememberAnchor(const yaml_char_t* anchor, Node* node) {
  if (anchor == nullptr) return;
  std::string_view name = View(anchor);
  for (auto& a : anchors_) {
    if (a.first == name) {
      a.second = node;  // a redefined anchor shadows the earlier one
      return;
    }
  }
  anchors_.emplace_back(std::string(name), node);
}

Result<Node*> StreamBuilder::ExpandAlias() {
  std::string_view name = View(event_.data.alias.anchor);
  const Node* target = nullptr;
  for (const auto& a : anchors_) {
    if (a.first == name) target = a.second;
  }
  if (target == nullptr) {
    return ErrorAt(event_.start_mark, "unknown anchor '" + std::string(name) + "' referenced");
  }
  size_t budget = limits_.max_alias_expansions - std::min(alias_nodes_,
                                                          limits_.max_alias_expansions);
  size_t count = CountNodes(target, budget);
  if (count > budget) {
    return ErrorAt(event_.start_mark, "alias expansion exceeds max_alias_expansions (" +
                                          std::to_string(limits_.max_alias_expansions) + ")");
  }
  alias_nodes_ += count;
  return arena_.Clone(target);
}

// Whether the current event is an untagged plain scalar that reads as a
// timestamp (a string in the model, a time value to kustomize).
bool StreamBuilder::IsPlainTimestampEvent() const {
  if (event_.type != YAML_SCALAR_EVENT) return false;
  const auto& s = event_.data.scalar;
  if (s.tag != nullptr || s.style != YAML_PLAIN_SCALAR_STYLE) return false;
  return IsPlainTimestamp(View(s.value, s.length));
}

Result<Node*> StreamBuilder::ParseScalar() {
  const auto& s = event_.data.scalar;
  std::string_view text = View(s.value, s.length);
  std::string_view tag = View(s.tag);
  Node* n = nullptr;
  if (tag.empty() && s.style == YAML_PLAIN_SCALAR_STYLE) {
    n = NewPlainScalarNode(arena_, text);
  } else {
    NodeKind kind = NodeKind::kString;
    if (tag.substr(0, kTagPrefix.size()) == kTagPrefix) {
      std::string_view t = tag.substr(kTagPrefix.size());
      bool ok = true;
      if (t == "int") {
        kind = NodeKind::kInt;
        ok = IsYamlInt(text);
      } else if (t == "float") {
        kind = NodeKind::kFloat;
        ok = IsYamlInt(text) || IsYamlFloat(text) || ResolvePlainScalar(text) == NodeKind::kFloat;
      } else if (t == "bool") {
        kind = NodeKind::kBool;
        ok = ResolvePlainScalar(text) == NodeKind::kBool;
      } else if (t == "null") {
        kind = NodeKind::kNull;
      }
      if (!ok) {
        return ErrorAt(event_.start_mark, "cannot read \"" + std::string(text) + "\" as !!" +
                                              std::string(t));
      }
    }
    ScalarStyle style = ScalarStyle::kPlain;
    switch (s.style) {
      case YAML_SINGLE_QUOTED_SCALAR_STYLE: style = ScalarStyle::kSingleQuoted; break;
      case YAML_DOUBLE_QUOTED_SCALAR_STYLE: style = ScalarStyle::kDoubleQuoted; break;
      case YAML_LITERAL_SCALAR_STYLE: style = ScalarStyle::kLiteral; break;
      case YAML_FOLDED_SCALAR_STYLE: style = ScalarStyle::kFolded; break;
      default: break;
    }
    n = arena_.NewScalar(kind, text, style);
  }
  n->set_source(file_, PosOf(event_.start_mark));
  RememberAnchor(s.anchor, n);
  return n;
}

Result<Node*> StreamBuilder::ParseSequence(size_t depth) {
  Node* seq = arena_.NewSeq();
  seq->set_source(file_, PosOf(event_.start_mark));
  std::string anchor(View(event_.data.sequence_start.anchor));
  for (;;) {
    SKIFF_RETURN_IF_ERROR(Next());
    if (event_.type == YAML_SEQUENCE_END_EVENT) break;
    SKIFF_ASSIGN_OR_RETURN(Node * item, ParseNode(depth));
    seq->Append(item);
  }
  if (!anchor.empty()) RememberAnchor(reinterpret_cast<const yaml_char_t*>(anchor.c_str()), seq);
  return seq;
}

Status StreamBuilder::CheckDuplicate(const Node* map, std::string_view key, SourcePos pos) const {
  // Keys are interned, so equal keys share one address.
  for (const MapEntry& e : map->entries()) {
    if (e.key.data() == key.data() && e.key.size() == key.size()) {
      return ErrorAt(pos, "mapping key \"" + std::string(key) + "\" already defined at line " +
                              std::to_string(e.key_pos.line));
    }
  }
  return Status::Ok();
}

Status StreamBuilder::MergeInto(Node* map, const Node* source, size_t insert_at,
                                SourcePos where) {
  std::vector<const Node*> sources;
  if (source->IsMap()) {
    sources.push_back(source);
  } else if (source->IsSeq()) {
    for (const Node* item : source->items()) sources.push_back(item);
  } else {
    return ErrorAt(where, "map merge requires a map or a list of maps");
  }
  std::vector<MapEntry> merged;
  for (const Node* src : sources) {
    if (!src->IsMap()) return ErrorAt(where, "map merge requires a map or a list of maps");
    for (const MapEntry& e : src->entries()) {
      bool present = map->Get(e.key) != nullptr;
      for (const MapEntry& m : merged) present = present || m.key == e.key;
      if (!present) merged.push_back(e);  // `source` is this map's own copy: no clone
    }
  }
  auto& entries = map->entries();
  entries.insert(entries.begin() + static_cast<std::ptrdiff_t>(insert_at), merged.begin(),
                 merged.end());
  return Status::Ok();
}

Result<Node*> StreamBuilder::ParseMapping(size_t depth) {
  Node* map = arena_.NewMap();
  map->set_source(file_, PosOf(event_.start_mark));
  std::string anchor(View(event_.data.mapping_start.anchor));
  std::vector<std::pair<Node*, SourcePos>> merges;
  size_t merge_at = 0;
  std::unordered_set<const char*> big_map_keys;
  for (;;) {
    SKIFF_RETURN_IF_ERROR(Next());
    if (event_.type == YAML_MAPPING_END_EVENT) break;
    SourcePos key_pos = PosOf(event_.start_mark);
    bool is_merge = event_.type == YAML_SCALAR_EVENT &&
                    event_.data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
                    event_.data.scalar.tag == nullptr &&
                    View(event_.data.scalar.value, event_.data.scalar.length) == "<<";
    bool timestamp_key = IsPlainTimestampEvent();
    SKIFF_ASSIGN_OR_RETURN(Node * key_node, ParseNode(depth));
    if (!key_node->IsScalar()) return ErrorAt(key_pos, "map keys must be scalars");
    if (limits_.require_string_keys && !is_merge &&
        (!key_node->IsString() || timestamp_key)) {
      return ErrorAt(key_pos, "map key " + std::string(key_node->scalar()) +
                                  " is not a string (quote it)");
    }
    SKIFF_RETURN_IF_ERROR(Next());
    SKIFF_ASSIGN_OR_RETURN(Node * value, ParseNode(depth));
    if (is_merge) {
      if (merges.empty()) merge_at = map->entries().size();
      merges.emplace_back(value, key_pos);
      continue;
    }
    std::string_view key = InternKeyCached(key_node->scalar());
    if (limits_.duplicate_keys_last_wins && map->Get(key) != nullptr) {
      map->Set(key, value);
      continue;
    }
    if (map->entries().size() < 32) {
      SKIFF_RETURN_IF_ERROR(CheckDuplicate(map, key, key_pos));
    } else {
      if (big_map_keys.empty()) {
        for (const MapEntry& e : map->entries()) big_map_keys.insert(e.key.data());
      }
      if (!big_map_keys.insert(key.data()).second) {
        SKIFF_RETURN_IF_ERROR(CheckDuplicate(map, key, key_pos));
      }
    }
    map->entries().push_back(MapEntry{key, value, key_pos});
  }
  for (const auto& [source, where] : merges) {
    SKIFF_RETURN_IF_ERROR(MergeInto(map, source, merge_at, where));
  }
  if (!anchor.empty()) RememberAnchor(reinterpret_cast<const yaml_char_t*>(anchor.c_str()), map);
  return map;
}

}  // namespace

Result<std::vector<YamlDocument>> ParseYamlStreamWithLibyaml(std::string_view text,
                                                             std::string_view file, Arena& arena,
                                                             const ParseLimits& limits) {
  StreamBuilder builder(text, file, arena, limits);
  return builder.Run();
}

Result<std::vector<YamlDocument>> ParseYamlStream(std::string_view text, std::string_view file,
                                                  Arena& arena, const ParseLimits& limits) {
  std::optional<std::vector<YamlDocument>> fast = TryParseYamlFast(text, file, arena, limits);
  if (fast.has_value()) return std::move(*fast);
  return ParseYamlStreamWithLibyaml(text, file, arena, limits);
}

}  // namespace skiff
