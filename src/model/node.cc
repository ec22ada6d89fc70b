#include "model/node.h"
#include "model/slab_resource.h"

#include <charconv>
#include <cstring>
#include <mutex>
#include <string>
#include <unordered_set>

namespace skiff {

Node* Node::Get(std::string_view key) const {
  for (auto it = entries_.rbegin(); it != entries_.rend(); ++it) {
    if (it->key == key) return it->value;
  }
  return nullptr;
}

Node* Node::GetPath(std::initializer_list<std::string_view> keys) const {
  const Node* n = this;
  for (std::string_view k : keys) {
    if (n == nullptr || !n->IsMap()) return nullptr;
    n = n->Get(k);
  }
  return const_cast<Node*>(n);
}

std::string_view Node::GetString(std::string_view key) const {
  const Node* n = Get(key);
  if (n == nullptr || n->kind() != NodeKind::kString) return {};
  return n->scalar();
}

void Node::Set(std::string_view key, Node* value) {
  for (auto it = entries_.rbegin(); it != entries_.rend(); ++it) {
    if (it->key == key) {
      it->value = value;
      return;
    }
  }
  entries_.push_back(MapEntry{InternKey(key), value, SourcePos{}});
}

bool Node::Remove(std::string_view key) {
  bool found = false;
  for (auto it = entries_.begin(); it != entries_.end();) {
    if (it->key == key) {
      it = entries_.erase(it);
      found = true;
    } else {
      ++it;
    }
  }
  return found;
}

namespace {

// Keys are few (a few thousand distinct across a whole platform repository),
// so one locked set with stable string storage is enough.
struct KeyPool {
  std::mutex mu;
  std::unordered_set<std::string> keys;
};

KeyPool& Pool() {
  static auto* pool = new KeyPool();  // never destroyed: views outlive statics
  return *pool;
}

}  // namespace

std::string_view InternKey(std::string_view key) {
  KeyPool& pool = Pool();
  std::lock_guard<std::mutex> lock(pool.mu);
  auto it = pool.keys.find(std::string(key));
  if (it == pool.keys.end()) it = pool.keys.emplace(key).first;
  return *it;
}

Arena::Arena(size_t initial_bytes) : res_(initial_bytes) {}

Arena::Arena(Bulk, size_t initial_bytes) : res_(initial_bytes, SlabResource()) {}

Node* Arena::NewMap() {
  void* p = res_.allocate(sizeof(Node), alignof(Node));
  return new (p) Node(NodeKind::kMap, &res_);
}

Node* Arena::NewSeq() {
  void* p = res_.allocate(sizeof(Node), alignof(Node));
  return new (p) Node(NodeKind::kSeq, &res_);
}

Node* Arena::NewNull() { return NewScalar(NodeKind::kNull, "null"); }

Node* Arena::NewScalar(NodeKind kind, std::string_view text, ScalarStyle style) {
  void* p = res_.allocate(sizeof(Node), alignof(Node));
  Node* n = new (p) Node(kind, &res_);
  n->scalar_ = Str(text);
  n->style_ = style;
  return n;
}

Node* Arena::NewInt(long long v) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  (void)ec;
  return NewScalar(NodeKind::kInt, std::string_view(buf, end - buf));
}

Node* Arena::NewBool(bool v) { return NewScalar(NodeKind::kBool, v ? "true" : "false"); }

std::string_view Arena::Str(std::string_view text) {
  if (text.empty()) return {};
  char* p = static_cast<char*>(res_.allocate(text.size(), 1));
  std::memcpy(p, text.data(), text.size());
  return std::string_view(p, text.size());
}

Node* Arena::Clone(const Node* src) {
  if (src == nullptr) return nullptr;
  Node* n;
  switch (src->kind()) {
    case NodeKind::kMap:
      n = NewMap();
      n->entries_.reserve(src->entries_.size());
      for (const MapEntry& e : src->entries_) {
        n->entries_.push_back(MapEntry{e.key, Clone(e.value), e.key_pos});
      }
      break;
    case NodeKind::kSeq:
      n = NewSeq();
      n->items_.reserve(src->items_.size());
      for (const Node* item : src->items_) n->items_.push_back(Clone(item));
      break;
    default:
      n = NewScalar(src->kind(), src->scalar(), src->style());
      break;
  }
  n->pos_ = src->pos_;
  n->file_ = src->file_;
  return n;
}

Node* Arena::GetOrCreateMap(Node* parent, std::string_view key) {
  Node* n = parent->Get(key);
  if (n != nullptr && n->IsMap()) return n;
  n = NewMap();
  parent->Set(key, n);
  return n;
}

bool DeepEqual(const Node* a, const Node* b, bool ordered) {
  if (a == b) return true;
  if (a == nullptr || b == nullptr) return false;
  if (a->kind() != b->kind()) return false;
  switch (a->kind()) {
    case NodeKind::kMap: {
      if (a->entries().size() != b->entries().size()) return false;
      for (size_t i = 0; i < a->entries().size(); ++i) {
        const MapEntry& ea = a->entries()[i];
        if (ordered) {
          const MapEntry& eb = b->entries()[i];
          if (ea.key != eb.key || !DeepEqual(ea.value, eb.value, ordered)) return false;
        } else if (!DeepEqual(ea.value, b->Get(ea.key), ordered)) {
          return false;
        }
      }
      return true;
    }
    case NodeKind::kSeq:
      if (a->items().size() != b->items().size()) return false;
      for (size_t i = 0; i < a->items().size(); ++i) {
        if (!DeepEqual(a->items()[i], b->items()[i], ordered)) return false;
      }
      return true;
    default:
      return a->scalar() == b->scalar();
  }
}

}  // namespace skiff
