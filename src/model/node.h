// The document model every stage works on: a YAML/JSON tree whose nodes live
// in an Arena, whose map keys are interned, and whose nodes remember where in
// which file they came from.
//
// Invariants:
//  - Maps keep insertion order (kustomize sorts only when it writes text).
//  - A scalar keeps its resolved type (NodeKind), its text exactly as read
//    (already unquoted/unescaped), and its source style; stages that rewrite a
//    scalar (replacements) keep the type and style they found.
//  - Nodes are never freed one by one: the Arena that made them owns them.
#pragma once

#include <cstdint>
#include <memory_resource>
#include <string_view>
#include <vector>

namespace skiff {

class Arena;

enum class NodeKind : uint8_t { kNull, kBool, kInt, kFloat, kString, kMap, kSeq };

enum class ScalarStyle : uint8_t {
  kPlain,
  kSingleQuoted,
  kDoubleQuoted,
  kLiteral,
  kFolded,
};

// 1-based line and column; 0 means "not from a file" (made by a transformer).
struct SourcePos {
  uint32_t line = 0;
  uint32_t column = 0;
};

class Node;

struct MapEntry {
  std::string_view key;  // interned: see InternKey
  Node* value;
  SourcePos key_pos;
};

class Node {
 public:
  using Entries = std::pmr::vector<MapEntry>;
  using Items = std::pmr::vector<Node*>;

  Node(NodeKind kind, std::pmr::memory_resource* mr)
      : kind_(kind), entries_(mr), items_(mr) {}
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  NodeKind kind() const { return kind_; }
  bool IsMap() const { return kind_ == NodeKind::kMap; }
  bool IsSeq() const { return kind_ == NodeKind::kSeq; }
  bool IsNull() const { return kind_ == NodeKind::kNull; }
  bool IsString() const { return kind_ == NodeKind::kString; }
  bool IsScalar() const { return kind_ != NodeKind::kMap && kind_ != NodeKind::kSeq; }

  // Scalars: the value's text (for kNull the text as written, e.g. "~" or "").
  std::string_view scalar() const { return scalar_; }
  ScalarStyle style() const { return style_; }
  void set_style(ScalarStyle s) { style_ = s; }

  // Where this node starts, and the file it came from (interned path; empty
  // when made by a transformer).
  SourcePos pos() const { return pos_; }
  std::string_view file() const { return file_; }
  void set_source(std::string_view file, SourcePos pos) { file_ = file; pos_ = pos; }

  // ---- maps ----
  const Entries& entries() const { return entries_; }
  Entries& entries() { return entries_; }
  // The value under `key`, or nullptr. Last one wins if a key repeats.
  Node* Get(std::string_view key) const;
  // Follows a chain of map keys; nullptr as soon as one is missing or a
  // non-map is met.
  Node* GetPath(std::initializer_list<std::string_view> keys) const;
  // Scalar text under `key` if it is a string scalar, else empty.
  std::string_view GetString(std::string_view key) const;
  // Replaces the value under `key` (keeping its position) or appends.
  void Set(std::string_view key, Node* value);
  // Removes `key`; returns whether it was present.
  bool Remove(std::string_view key);

  // ---- sequences ----
  const Items& items() const { return items_; }
  Items& items() { return items_; }
  void Append(Node* item) { items_.push_back(item); }

  // ---- scalar mutation (text must outlive the node: use Arena::Str) ----
  void SetScalar(NodeKind kind, std::string_view text) { kind_ = kind; scalar_ = text; }

 private:
  friend class Arena;
  NodeKind kind_;
  ScalarStyle style_ = ScalarStyle::kPlain;
  SourcePos pos_;
  std::string_view file_;
  std::string_view scalar_;
  Entries entries_;
  Items items_;
};

// Interns a map key for the life of the process; equal keys share storage.
// Thread-safe.
std::string_view InternKey(std::string_view key);

// Owns nodes and strings for one document set (a render, a stored object).
class Arena {
 public:
  explicit Arena(size_t initial_bytes = 64 * 1024);
  // An arena of a burst of work whose arenas die together (a render): its
  // chunks come from per-thread slabs (model/slab_resource.h) instead of
  // the heap.
  struct Bulk {};
  explicit Arena(Bulk, size_t initial_bytes = 64 * 1024);
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;

  std::pmr::memory_resource* resource() { return &res_; }

  Node* NewMap();
  Node* NewSeq();
  Node* NewNull();
  Node* NewScalar(NodeKind kind, std::string_view text, ScalarStyle style = ScalarStyle::kPlain);
  Node* NewString(std::string_view text) { return NewScalar(NodeKind::kString, text); }
  Node* NewInt(long long v);
  Node* NewBool(bool v);

  // Copies `text` into the arena.
  std::string_view Str(std::string_view text);

  // Deep copy of `src` (which may belong to another arena) into this arena.
  Node* Clone(const Node* src);

  // Returns the map under `key` in `parent`, creating an empty one if absent.
  Node* GetOrCreateMap(Node* parent, std::string_view key);

 private:
  std::pmr::monotonic_buffer_resource res_;
};

// Structural equality: same kinds, same scalar text, maps equal as ordered
// lists of entries when `ordered`, else as key sets.
bool DeepEqual(const Node* a, const Node* b, bool ordered = false);

}  // namespace skiff
