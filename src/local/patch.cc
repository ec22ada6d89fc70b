#include "local/patch.h"

#include <string>
#include <vector>

namespace skiff::local {

Node* ApplyMergePatch(Node* target, const Node* patch, Arena& arena) {
  if (!patch->IsMap()) return arena.Clone(patch);
  if (target == nullptr || !target->IsMap()) target = arena.NewMap();
  for (const MapEntry& e : patch->entries()) {
    if (e.value->IsNull()) {
      target->Remove(e.key);
    } else {
      target->Set(e.key, ApplyMergePatch(target->Get(e.key), e.value, arena));
    }
  }
  return target;
}

// ---- JSON patch (RFC 6902) ----

namespace {

Result<std::vector<std::string>> ParsePointer(std::string_view ptr) {
  std::vector<std::string> tokens;
  if (ptr.empty()) return tokens;
  if (ptr[0] != '/') return MakeError("JSON pointer \"" + std::string(ptr) + "\" must start with /");
  size_t i = 1;
  while (true) {
    size_t j = ptr.find('/', i);
    std::string_view raw = ptr.substr(i, j == std::string_view::npos ? std::string_view::npos : j - i);
    std::string tok;
    for (size_t k = 0; k < raw.size(); ++k) {
      if (raw[k] == '~' && k + 1 < raw.size() && (raw[k + 1] == '0' || raw[k + 1] == '1')) {
        tok += raw[k + 1] == '0' ? '~' : '/';
        ++k;
      } else {
        tok += raw[k];
      }
    }
    tokens.push_back(std::move(tok));
    if (j == std::string_view::npos) break;
    i = j + 1;
  }
  return tokens;
}

Result<size_t> Index(const Node* seq, const std::string& tok, bool allow_end) {
  if (allow_end && tok == "-") return seq->items().size();
  if (tok.empty() || tok.find_first_not_of("0123456789") != std::string::npos) {
    return MakeError("\"" + tok + "\" is not a list index");
  }
  size_t idx = std::stoul(tok);
  size_t limit = seq->items().size() + (allow_end ? 1 : 0);
  if (idx >= limit) return MakeError("index " + tok + " is out of range");
  return idx;
}

Result<Node*> Lookup(Node* root, const std::vector<std::string>& tokens) {
  Node* n = root;
  for (const std::string& t : tokens) {
    if (n == nullptr) break;
    if (n->IsMap()) {
      n = n->Get(t);
    } else if (n->IsSeq()) {
      SKIFF_ASSIGN_OR_RETURN(size_t i, Index(n, t, false));
      n = n->items()[i];
    } else {
      n = nullptr;
    }
  }
  if (n == nullptr) return MakeError("path does not exist");
  return n;
}

// Removes and returns the value at `tokens` (non-empty).
Result<Node*> Remove(Node* root, const std::vector<std::string>& tokens) {
  std::vector<std::string> parent_path(tokens.begin(), tokens.end() - 1);
  SKIFF_ASSIGN_OR_RETURN(Node * parent, Lookup(root, parent_path));
  const std::string& last = tokens.back();
  if (parent->IsMap()) {
    Node* v = parent->Get(last);
    if (v == nullptr) return MakeError("path does not exist");
    parent->Remove(last);
    return v;
  }
  if (!parent->IsSeq()) return MakeError("parent is not a map or list");
  SKIFF_ASSIGN_OR_RETURN(size_t i, Index(parent, last, false));
  Node* v = parent->items()[i];
  parent->items().erase(parent->items().begin() + static_cast<long>(i));
  return v;
}

Status Add(Node*& root, const std::vector<std::string>& tokens, Node* value, bool replace) {
  if (tokens.empty()) {
    root = value;
    return Status::Ok();
  }
  std::vector<std::string> parent_path(tokens.begin(), tokens.end() - 1);
  SKIFF_ASSIGN_OR_RETURN(Node * parent, Lookup(root, parent_path));
  const std::string& last = tokens.back();
  if (parent->IsMap()) {
    if (replace && parent->Get(last) == nullptr) return MakeError("path does not exist");
    parent->Set(last, value);
    return Status::Ok();
  }
  if (!parent->IsSeq()) return MakeError("parent is not a map or list");
  SKIFF_ASSIGN_OR_RETURN(size_t i, Index(parent, last, !replace));
  if (replace) {
    parent->items()[i] = value;
  } else {
    parent->items().insert(parent->items().begin() + static_cast<long>(i), value);
  }
  return Status::Ok();
}

Status ApplyOperation(Node*& root, const Node* op, Arena& arena) {
  if (!op->IsMap()) return MakeError("operation is not an object");
  std::string_view kind = op->GetString("op");
  SKIFF_ASSIGN_OR_RETURN(std::vector<std::string> path, ParsePointer(op->GetString("path")));
  const Node* value = op->Get("value");
  bool needs_value = kind == "add" || kind == "replace" || kind == "test";
  if (needs_value && value == nullptr) return MakeError("\"" + std::string(kind) + "\" needs a value");
  if (kind == "add") return Add(root, path, arena.Clone(value), false);
  if (kind == "replace") return Add(root, path, arena.Clone(value), true);
  if (kind == "remove") {
    if (path.empty()) return MakeError("cannot remove the whole document");
    return Remove(root, path).ok() ? Status::Ok() : Status(MakeError("path does not exist"));
  }
  if (kind == "test") {
    SKIFF_ASSIGN_OR_RETURN(Node * actual, Lookup(root, path));
    if (!DeepEqual(actual, value, true)) return MakeError("test failed");
    return Status::Ok();
  }
  if (kind == "move" || kind == "copy") {
    SKIFF_ASSIGN_OR_RETURN(std::vector<std::string> from, ParsePointer(op->GetString("from")));
    Node* moved = nullptr;
    if (kind == "move") {
      if (from.empty()) return MakeError("cannot move the whole document");
      SKIFF_ASSIGN_OR_RETURN(moved, Remove(root, from));
    } else {
      SKIFF_ASSIGN_OR_RETURN(Node * source, Lookup(root, from));
      moved = arena.Clone(source);
    }
    return Add(root, path, moved, false);
  }
  return MakeError("unknown operation \"" + std::string(kind) + "\"");
}

}  // namespace

Result<Node*> ApplyJsonPatch(Node* target, const Node* patch, Arena& arena) {
  if (!patch->IsSeq()) return MakeError("a JSON patch must be a list of operations");
  Node* root = target;
  for (size_t i = 0; i < patch->items().size(); ++i) {
    Status s = ApplyOperation(root, patch->items()[i], arena);
    if (!s.ok()) return s.error().Wrap("JSON patch operation " + std::to_string(i));
  }
  return root;
}

// ---- strategic merge patch ----

namespace {

constexpr std::string_view kSetOrder = "$setElementOrder/";
constexpr std::string_view kDeletePrimitive = "$deleteFromPrimitiveList/";

bool StartsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

bool SameScalar(const Node* a, const Node* b) {
  return a != nullptr && b != nullptr && a->IsScalar() && b->IsScalar() && a->scalar() == b->scalar();
}

Result<Node*> Merge(Node* target, const Node* patch, const SchemaType& type, Arena& arena);

Result<Node*> MergeKeyedList(Node* target, const Node* patch, const SchemaType& items,
                             std::string_view key, Arena& arena) {
  Node* out = target != nullptr && target->IsSeq() ? target : arena.NewSeq();
  for (const Node* item : patch->items()) {
    if (!item->IsMap()) {
      out->Append(arena.Clone(item));
      continue;
    }
    const Node* id = item->Get(key);
    auto& list = out->items();
    auto match = list.end();
    for (auto it = list.begin(); id != nullptr && it != list.end(); ++it) {
      if ((*it)->IsMap() && SameScalar((*it)->Get(key), id)) match = it;
    }
    if (item->GetString("$patch") == "delete") {
      if (match != list.end()) list.erase(match);
      continue;
    }
    SKIFF_ASSIGN_OR_RETURN(Node * merged, Merge(match != list.end() ? *match : nullptr, item, items, arena));
    if (match != list.end()) {
      *match = merged;
    } else if (merged != nullptr) {
      out->Append(merged);
    }
  }
  return out;
}

Node* MergePrimitiveList(Node* target, const Node* patch, Arena& arena) {
  Node* out = target != nullptr && target->IsSeq() ? target : arena.NewSeq();
  for (const Node* item : patch->items()) {
    bool present = false;
    for (const Node* have : out->items()) present = present || SameScalar(have, item);
    if (!present) out->Append(arena.Clone(item));
  }
  return out;
}

// Orders `list` as `order` names its items (by merge key or value); items
// `order` does not name keep their relative order at the end.
void ApplyElementOrder(Node* list, const Node* order, std::string_view key) {
  if (list == nullptr || !list->IsSeq() || order == nullptr || !order->IsSeq()) return;
  std::vector<Node*> sorted, rest;
  std::vector<bool> used(list->items().size(), false);
  for (const Node* want : order->items()) {
    const Node* id = want->IsMap() ? want->Get(key) : want;
    for (size_t i = 0; i < list->items().size(); ++i) {
      Node* have = list->items()[i];
      const Node* hid = have->IsMap() ? have->Get(key) : have;
      if (!used[i] && SameScalar(hid, id)) {
        sorted.push_back(have);
        used[i] = true;
        break;
      }
    }
  }
  for (size_t i = 0; i < list->items().size(); ++i) {
    if (!used[i]) sorted.push_back(list->items()[i]);
  }
  list->items().assign(sorted.begin(), sorted.end());
}

Status MergeField(Node* out, const MapEntry& e, const SchemaType& type, Arena& arena) {
  if (e.value->IsNull()) {
    out->Remove(e.key);
    return Status::Ok();
  }
  SchemaType::Field field = type.Property(e.key);
  Node* merged = nullptr;
  if (e.value->IsSeq() && field.patch_strategy.find("merge") != std::string_view::npos) {
    if (!field.merge_key.empty()) {
      SKIFF_ASSIGN_OR_RETURN(merged, MergeKeyedList(out->Get(e.key), e.value, field.type.Items(),
                                                    field.merge_key, arena));
    } else {
      merged = MergePrimitiveList(out->Get(e.key), e.value, arena);
    }
  } else if (e.value->IsSeq()) {
    merged = arena.NewSeq();
    for (const Node* item : e.value->items()) {
      SKIFF_ASSIGN_OR_RETURN(Node * clean, Merge(nullptr, item, field.type.Items(), arena));
      if (clean != nullptr) merged->Append(clean);
    }
  } else {
    SKIFF_ASSIGN_OR_RETURN(merged, Merge(out->Get(e.key), e.value, field.type, arena));
  }
  if (merged == nullptr) {
    out->Remove(e.key);
  } else {
    out->Set(e.key, merged);
  }
  return Status::Ok();
}

Result<Node*> Merge(Node* target, const Node* patch, const SchemaType& type, Arena& arena) {
  if (!patch->IsMap()) return arena.Clone(patch);
  std::string_view directive = patch->GetString("$patch");
  if (directive == "delete") return static_cast<Node*>(nullptr);
  Node* out = target != nullptr && target->IsMap() && directive != "replace" ? target : arena.NewMap();
  for (const MapEntry& e : patch->entries()) {
    if (e.key == "$patch" || e.key == "$retainKeys" || StartsWith(e.key, kSetOrder)) continue;
    if (StartsWith(e.key, kDeletePrimitive)) {
      Node* list = out->Get(e.key.substr(kDeletePrimitive.size()));
      if (list == nullptr || !list->IsSeq() || !e.value->IsSeq()) continue;
      std::erase_if(list->items(), [&](const Node* have) {
        for (const Node* gone : e.value->items()) {
          if (SameScalar(have, gone)) return true;
        }
        return false;
      });
      continue;
    }
    SKIFF_RETURN_IF_ERROR(MergeField(out, e, type, arena));
  }
  for (const MapEntry& e : patch->entries()) {
    if (!StartsWith(e.key, kSetOrder)) continue;
    std::string_view field = e.key.substr(kSetOrder.size());
    ApplyElementOrder(out->Get(field), e.value, type.Property(field).merge_key);
  }
  if (const Node* retain = patch->Get("$retainKeys"); retain != nullptr && retain->IsSeq()) {
    std::erase_if(out->entries(), [&](const MapEntry& have) {
      for (const Node* keep : retain->items()) {
        if (keep->scalar() == have.key) return false;
      }
      return true;
    });
  }
  return out;
}

}  // namespace

Result<Node*> ApplyStrategicMergePatch(Node* target, const Node* patch, const SchemaType& type,
                                       Arena& arena) {
  if (!patch->IsMap()) return MakeError("a strategic merge patch must be an object");
  SKIFF_ASSIGN_OR_RETURN(Node * out, Merge(target, patch, type, arena));
  if (out == nullptr) return MakeError("a strategic merge patch cannot delete the whole object");
  return out;
}

}  // namespace skiff::local
