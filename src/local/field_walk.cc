#include "local/field_walk.h"

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "local/json_codec.h"

namespace skiff::local {
namespace {

enum class ListKind { kAtomic, kSet, kMap };

struct ListShape {
  ListKind kind = ListKind::kAtomic;
  std::vector<std::string_view> keys;  // sorted, for kMap
};

ListShape ShapeOf(const SchemaType& type) {
  ListShape shape;
  if (!type.valid()) return shape;
  std::string_view list_type = type.node->GetString("x-kubernetes-list-type");
  if (list_type == "map") {
    if (const Node* keys = type.node->Get("x-kubernetes-list-map-keys"); keys != nullptr && keys->IsSeq()) {
      for (const Node* k : keys->items()) shape.keys.push_back(k->scalar());
    }
    shape.kind = shape.keys.empty() ? ListKind::kAtomic : ListKind::kMap;
  } else if (list_type == "set") {
    shape.kind = ListKind::kSet;
  } else if (list_type.empty() &&
             type.node->GetString("x-kubernetes-patch-strategy").find("merge") != std::string_view::npos) {
    std::string_view merge_key = type.node->GetString("x-kubernetes-patch-merge-key");
    shape.kind = merge_key.empty() ? ListKind::kSet : ListKind::kMap;
    if (!merge_key.empty()) shape.keys.push_back(merge_key);
  }
  std::sort(shape.keys.begin(), shape.keys.end());
  return shape;
}

bool IsAtomicMap(const SchemaType& type) {
  return type.valid() && type.node->GetString("x-kubernetes-map-type") == "atomic";
}

struct FieldType {
  SchemaType type;
  bool declared = true;  // a struct field, not a key of a free-form map
};

FieldType FieldOf(const SchemaType& type, std::string_view key) {
  if (!type.valid()) return {};
  const Node* props = type.node->Get("properties");
  return {type.Property(key).type, props != nullptr && props->Get(key) != nullptr};
}

Result<PathElement> ElementOf(const Node* item, const ListShape& shape) {
  if (shape.kind == ListKind::kSet) return PathElement{PathElement::Kind::kValue, CanonicalJson(item)};
  if (!item->IsMap()) return MakeError("associative list item is not an object");
  std::string key = "{";
  for (std::string_view k : shape.keys) {
    const Node* v = item->Get(k);
    if (v == nullptr) continue;
    if (key.size() > 1) key += ',';
    AppendJsonQuoted(k, key);
    key += ':' + CanonicalJson(v);
  }
  if (key.size() == 1) return MakeError("associative list item omits all of its key fields");
  return PathElement{PathElement::Kind::kKey, key + "}"};
}

struct Item {
  PathElement pe;
  const Node* node;
};

// The items of `seq` with their path elements. Strict: fails on items that
// cannot be keyed or repeat a key. Lenient (stored objects): such items are
// named by index and later duplicates are skipped.
Result<std::vector<Item>> ItemsOf(const Node* seq, const ListShape& shape, bool strict) {
  std::vector<Item> items;
  std::map<PathElement, size_t> seen;
  for (size_t i = 0; i < seq->items().size(); ++i) {
    const Node* n = seq->items()[i];
    auto pe = ElementOf(n, shape);
    if (!pe.ok()) {
      if (strict) return MakeError("[" + std::to_string(i) + "]: " + pe.error().message);
      pe = PathElement{PathElement::Kind::kIndex, std::to_string(i)};
    }
    if (!seen.emplace(*pe, i).second) {
      if (strict) return MakeError("duplicate entries for key " + pe->Display());
      continue;
    }
    items.push_back(Item{std::move(*pe), n});
  }
  return items;
}

const Node* FindItem(const std::vector<Item>& items, const PathElement& pe) {
  for (const Item& it : items) {
    if (it.pe == pe) return it.node;
  }
  return nullptr;
}

Status Collect(const Node* v, const SchemaType& type, FieldPath& path, FieldSet& set) {
  if (v->IsMap()) {
    if (IsAtomicMap(type)) {
      set.Insert(path);
      return Status::Ok();
    }
    for (const MapEntry& e : v->entries()) {
      FieldType field = FieldOf(type, e.key);
      path.push_back(PathElement::Field(e.key));
      SKIFF_RETURN_IF_ERROR(Collect(e.value, field.type, path, set));
      bool empty_map = e.value->IsMap() && e.value->entries().empty();
      if (e.value->IsNull() || empty_map || !field.declared) set.Insert(path);
      path.pop_back();
    }
    return Status::Ok();
  }
  if (v->IsSeq()) {
    ListShape shape = ShapeOf(type);
    if (shape.kind == ListKind::kAtomic) {
      set.Insert(path);
      return Status::Ok();
    }
    auto items = ItemsOf(v, shape, true);
    if (!items.ok()) {
      const std::string& why = items.error().message;
      return MakeError(PathString(path) + (why.rfind('[', 0) == 0 ? "" : ": ") + why);
    }
    for (const Item& it : *items) {
      path.push_back(it.pe);
      SKIFF_RETURN_IF_ERROR(Collect(it.node, type.Items(), path, set));
      set.Insert(path);
      path.pop_back();
    }
    return Status::Ok();
  }
  set.Insert(path);
  return Status::Ok();
}

void CompareAt(const Node* before, const Node* after, const SchemaType& type, FieldPath& path, Comparison& out);

// A map or list item present on one side only is itself added or removed.
void RecordPresence(const Node* before, const Node* after, const FieldPath& path, Comparison& out) {
  if (path.empty()) return;
  if (before == nullptr) out.added.Insert(path);
  if (after == nullptr) out.removed.Insert(path);
}

bool BothOr(const Node* before, const Node* after, bool (Node::*is)() const) {
  return (before == nullptr || (before->*is)()) && (after == nullptr || (after->*is)());
}

void CompareMaps(const Node* before, const Node* after, const SchemaType& type, FieldPath& path,
                 Comparison& out) {
  if (before != nullptr) {
    for (const MapEntry& e : before->entries()) {
      path.push_back(PathElement::Field(e.key));
      CompareAt(e.value, after != nullptr ? after->Get(e.key) : nullptr, FieldOf(type, e.key).type, path, out);
      path.pop_back();
    }
  }
  if (after != nullptr) {
    for (const MapEntry& e : after->entries()) {
      if (before != nullptr && before->Get(e.key) != nullptr) continue;
      path.push_back(PathElement::Field(e.key));
      CompareAt(nullptr, e.value, FieldOf(type, e.key).type, path, out);
      path.pop_back();
    }
  }
  RecordPresence(before, after, path, out);
}

void CompareLists(const Node* before, const Node* after, const SchemaType& type, const ListShape& shape,
                  FieldPath& path, Comparison& out) {
  std::vector<Item> old_items, new_items;
  if (before != nullptr) old_items = *ItemsOf(before, shape, false);
  if (after != nullptr) new_items = *ItemsOf(after, shape, false);
  SchemaType item_type = type.Items();
  for (const Item& it : old_items) {
    path.push_back(it.pe);
    CompareAt(it.node, FindItem(new_items, it.pe), item_type, path, out);
    path.pop_back();
  }
  for (const Item& it : new_items) {
    if (FindItem(old_items, it.pe) != nullptr) continue;
    path.push_back(it.pe);
    CompareAt(nullptr, it.node, item_type, path, out);
    path.pop_back();
  }
  RecordPresence(before, after, path, out);
}

void CompareAt(const Node* before, const Node* after, const SchemaType& type, FieldPath& path, Comparison& out) {
  if (BothOr(before, after, &Node::IsMap) && !IsAtomicMap(type)) return CompareMaps(before, after, type, path, out);
  if (BothOr(before, after, &Node::IsSeq)) {
    ListShape shape = ShapeOf(type);
    if (shape.kind != ListKind::kAtomic) return CompareLists(before, after, type, shape, path, out);
  }
  if (before == nullptr) {
    out.added.Insert(path);
  } else if (after == nullptr) {
    out.removed.Insert(path);
  } else if (!DeepEqual(before, after, false)) {
    out.modified.Insert(path);
  }
}

Node* MergeLists(const Node* live, const Node* config, const SchemaType& type, const ListShape& shape,
                 Arena& arena) {
  std::vector<Item> old_items = *ItemsOf(live, shape, false);
  std::vector<Item> new_items = *ItemsOf(config, shape, false);
  SchemaType item_type = type.Items();
  Node* out = arena.NewSeq();
  size_t next_new = 0;  // config items before this one are placed
  auto place_new_only = [&](size_t until) {
    for (; next_new < until; ++next_new) {
      if (FindItem(old_items, new_items[next_new].pe) == nullptr) {
        out->Append(arena.Clone(new_items[next_new].node));
      }
    }
  };
  for (const Item& it : old_items) {
    auto match = std::find_if(new_items.begin(), new_items.end(), [&](const Item& n) { return n.pe == it.pe; });
    if (match == new_items.end()) {
      out->Append(arena.Clone(it.node));
      continue;
    }
    size_t at = static_cast<size_t>(match - new_items.begin());
    if (at >= next_new) {
      place_new_only(at);
      next_new = at + 1;
    }
    out->Append(MergeApplied(it.node, match->node, item_type, arena));
  }
  place_new_only(new_items.size());
  return out;
}

Node::Items::iterator FindItemIn(Node* seq, const SchemaType& type, const PathElement& pe) {
  auto& items = seq->items();
  if (pe.kind == PathElement::Kind::kIndex) {
    size_t idx = std::stoul(pe.text);
    return idx < items.size() ? items.begin() + static_cast<long>(idx) : items.end();
  }
  ListShape shape = ShapeOf(type);
  return std::find_if(items.begin(), items.end(), [&](const Node* item) {
    auto element = ElementOf(item, shape);
    return element.ok() && *element == pe;
  });
}

bool IsEmptyCollection(const Node* n) {
  return (n->IsMap() && n->entries().empty()) || (n->IsSeq() && n->items().empty());
}

// Removes path[i..] below `node`. A map or list that the removal leaves
// empty goes too, as it does when the API server re-encodes the object,
// except the object's top-level fields.
void RemoveAt(Node* node, const SchemaType& type, const FieldPath& path, size_t i) {
  const PathElement& pe = path[i];
  bool last = i + 1 == path.size();
  if (pe.kind == PathElement::Kind::kField) {
    if (!node->IsMap()) return;
    Node* child = node->Get(pe.text);
    if (child == nullptr) return;
    if (!last) RemoveAt(child, FieldOf(type, pe.text).type, path, i + 1);
    if (last || (i > 0 && IsEmptyCollection(child))) node->Remove(pe.text);
    return;
  }
  if (!node->IsSeq()) return;
  auto at = FindItemIn(node, type, pe);
  if (at == node->items().end()) return;
  if (last) {
    node->items().erase(at);
  } else {
    RemoveAt(*at, type.Items(), path, i + 1);
  }
}

}  // namespace

Result<FieldSet> FieldsOf(const Node* obj, const SchemaType& type) {
  FieldSet set;
  FieldPath path;
  SKIFF_RETURN_IF_ERROR(Collect(obj, type, path, set));
  return set;
}

Comparison Compare(const Node* before, const Node* after, const SchemaType& type) {
  Comparison out;
  FieldPath path;
  CompareAt(before, after, type, path, out);
  return out;
}

Node* MergeApplied(const Node* live, const Node* config, const SchemaType& type, Arena& arena) {
  if (live == nullptr) return arena.Clone(config);
  if (live->IsMap() && config->IsMap() && !IsAtomicMap(type)) {
    Node* out = arena.NewMap();
    for (const MapEntry& e : live->entries()) {
      const Node* applied = config->Get(e.key);
      if (applied == nullptr) {
        out->Set(e.key, arena.Clone(e.value));
      } else if (!applied->IsNull()) {
        out->Set(e.key, MergeApplied(e.value, applied, FieldOf(type, e.key).type, arena));
      }
    }
    for (const MapEntry& e : config->entries()) {
      if (live->Get(e.key) == nullptr && !e.value->IsNull()) out->Set(e.key, arena.Clone(e.value));
    }
    return out;
  }
  if (live->IsSeq() && config->IsSeq()) {
    ListShape shape = ShapeOf(type);
    if (shape.kind != ListKind::kAtomic) return MergeLists(live, config, type, shape, arena);
  }
  return arena.Clone(config);
}

void RemoveField(Node* obj, const SchemaType& type, const FieldPath& path) {
  if (!path.empty()) RemoveAt(obj, type, path, 0);
}

}  // namespace skiff::local
