#include "model/json_patch.h"

#include <charconv>

namespace skiff {

const char* JsonPatchOp::KindName(Kind k) {
  switch (k) {
    case Kind::kAdd: return "add";
    case Kind::kRemove: return "remove";
    case Kind::kReplace: return "replace";
    case Kind::kMove: return "move";
    case Kind::kCopy: return "copy";
    case Kind::kTest: return "test";
  }
  return "?";
}

Result<std::vector<std::string>> SplitJsonPointer(std::string_view pointer) {
  std::vector<std::string> tokens;
  if (pointer.empty()) return tokens;
  if (pointer[0] != '/') {
    return MakeError("JSON pointer \"" + std::string(pointer) + "\" must start with \"/\"");
  }
  std::string cur;
  for (size_t i = 1; i <= pointer.size(); ++i) {
    if (i == pointer.size() || pointer[i] == '/') {
      tokens.push_back(std::move(cur));
      cur.clear();
      continue;
    }
    char c = pointer[i];
    if (c == '~') {
      char next = i + 1 < pointer.size() ? pointer[i + 1] : '\0';
      if (next == '0') {
        cur += '~';
      } else if (next == '1') {
        cur += '/';
      } else {
        return MakeError("JSON pointer \"" + std::string(pointer) +
                         "\" has \"~\" not followed by 0 or 1");
      }
      ++i;
    } else {
      cur += c;
    }
  }
  return tokens;
}

namespace {

std::string Where(const Node* n) {
  if (n == nullptr || n->pos().line == 0) return "";
  std::string s;
  if (!n->file().empty()) {
    s += n->file();
    s += ':';
  }
  s += std::to_string(n->pos().line);
  s += ": ";
  return s;
}

Result<JsonPatchOp> ParseOne(const Node* item, size_t index) {
  std::string prefix = Where(item) + "operation " + std::to_string(index);
  if (item == nullptr || !item->IsMap()) return MakeError(prefix + ": expected a map");
  JsonPatchOp op;
  op.pos = item->pos();
  std::string_view name = item->GetString("op");
  if (name == "add") op.kind = JsonPatchOp::Kind::kAdd;
  else if (name == "remove") op.kind = JsonPatchOp::Kind::kRemove;
  else if (name == "replace") op.kind = JsonPatchOp::Kind::kReplace;
  else if (name == "move") op.kind = JsonPatchOp::Kind::kMove;
  else if (name == "copy") op.kind = JsonPatchOp::Kind::kCopy;
  else if (name == "test") op.kind = JsonPatchOp::Kind::kTest;
  else return MakeError(prefix + ": unknown op \"" + std::string(name) + "\"");
  const Node* path = item->Get("path");
  if (path == nullptr || !path->IsScalar()) return MakeError(prefix + " (" + std::string(name) + "): missing path");
  op.path = std::string(path->scalar());
  if (op.kind == JsonPatchOp::Kind::kMove || op.kind == JsonPatchOp::Kind::kCopy) {
    const Node* from = item->Get("from");
    if (from == nullptr || !from->IsScalar()) {
      return MakeError(prefix + " (" + std::string(name) + " " + op.path + "): missing from");
    }
    op.from = std::string(from->scalar());
  }
  if (op.kind == JsonPatchOp::Kind::kAdd || op.kind == JsonPatchOp::Kind::kReplace ||
      op.kind == JsonPatchOp::Kind::kTest) {
    op.value = item->Get("value");
    if (op.value == nullptr) {
      return MakeError(prefix + " (" + std::string(name) + " " + op.path + "): missing value");
    }
  }
  return op;
}

// Parses an array index token; `size` bounds it, `allow_end` admits size
// itself (insertion point) and "-".
Result<size_t> ParseIndex(std::string_view token, size_t size, bool allow_end) {
  if (token == "-" && allow_end) return size;
  size_t idx = 0;
  bool digits = !token.empty() && (token == "0" || token[0] != '0');
  for (char c : token) digits = digits && c >= '0' && c <= '9';
  auto [p, ec] = std::from_chars(token.data(), token.data() + token.size(), idx);
  if (!digits || ec != std::errc() || p != token.data() + token.size()) {
    return MakeError("invalid array index \"" + std::string(token) + "\"");
  }
  if (idx > size || (idx == size && !allow_end)) {
    return MakeError("array index " + std::string(token) + " out of bounds (length " +
                     std::to_string(size) + ")");
  }
  return idx;
}

// Walks to the container of the last token. Returns nullptr container when
// the pointer is the whole document.
struct Location {
  Node* container = nullptr;
  std::string last;
};

Result<Location> Locate(Node* doc, const std::vector<std::string>& tokens) {
  Location loc;
  if (tokens.empty()) return loc;
  Node* cur = doc;
  for (size_t i = 0; i + 1 < tokens.size(); ++i) {
    if (cur == nullptr) return MakeError("path not found");
    if (cur->IsMap()) {
      cur = cur->Get(tokens[i]);
      if (cur == nullptr) return MakeError("missing key \"" + tokens[i] + "\"");
    } else if (cur->IsSeq()) {
      SKIFF_ASSIGN_OR_RETURN(size_t idx, ParseIndex(tokens[i], cur->items().size(), false));
      cur = cur->items()[idx];
    } else {
      return MakeError("\"" + tokens[i] + "\" is inside a scalar");
    }
  }
  if (cur == nullptr || (!cur->IsMap() && !cur->IsSeq())) {
    return MakeError("parent of \"" + tokens.back() + "\" is not a map or list");
  }
  loc.container = cur;
  loc.last = tokens.back();
  return loc;
}

Result<Node*> GetAt(Node* doc, const std::vector<std::string>& tokens) {
  if (tokens.empty()) return doc;
  SKIFF_ASSIGN_OR_RETURN(Location loc, Locate(doc, tokens));
  if (loc.container->IsMap()) {
    Node* v = loc.container->Get(loc.last);
    if (v == nullptr) return MakeError("missing key \"" + loc.last + "\"");
    return v;
  }
  SKIFF_ASSIGN_OR_RETURN(size_t idx, ParseIndex(loc.last, loc.container->items().size(), false));
  return loc.container->items()[idx];
}

Status AddAt(Node*& doc, const std::vector<std::string>& tokens, Node* value) {
  if (tokens.empty()) {
    doc = value;
    return Status::Ok();
  }
  SKIFF_ASSIGN_OR_RETURN(Location loc, Locate(doc, tokens));
  if (loc.container->IsMap()) {
    loc.container->Set(loc.last, value);
    return Status::Ok();
  }
  auto& items = loc.container->items();
  SKIFF_ASSIGN_OR_RETURN(size_t idx, ParseIndex(loc.last, items.size(), true));
  items.insert(items.begin() + static_cast<long>(idx), value);
  return Status::Ok();
}

Result<Node*> RemoveAt(Node*& doc, const std::vector<std::string>& tokens) {
  if (tokens.empty()) return MakeError("cannot remove the whole document");
  SKIFF_ASSIGN_OR_RETURN(Location loc, Locate(doc, tokens));
  if (loc.container->IsMap()) {
    Node* v = loc.container->Get(loc.last);
    if (v == nullptr) return MakeError("missing key \"" + loc.last + "\"");
    loc.container->Remove(loc.last);
    return v;
  }
  auto& items = loc.container->items();
  SKIFF_ASSIGN_OR_RETURN(size_t idx, ParseIndex(loc.last, items.size(), false));
  Node* v = items[idx];
  items.erase(items.begin() + static_cast<long>(idx));
  return v;
}

bool IsPrefix(const std::vector<std::string>& prefix, const std::vector<std::string>& path) {
  if (prefix.size() >= path.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (prefix[i] != path[i]) return false;
  }
  return true;
}

Status ApplyOne(Arena& arena, Node*& doc, const JsonPatchOp& op) {
  SKIFF_ASSIGN_OR_RETURN(std::vector<std::string> path, SplitJsonPointer(op.path));
  switch (op.kind) {
    case JsonPatchOp::Kind::kAdd:
      return AddAt(doc, path, arena.Clone(op.value));
    case JsonPatchOp::Kind::kRemove: {
      SKIFF_ASSIGN_OR_RETURN(Node * removed, RemoveAt(doc, path));
      (void)removed;
      return Status::Ok();
    }
    case JsonPatchOp::Kind::kReplace: {
      SKIFF_ASSIGN_OR_RETURN(Node * old, GetAt(doc, path));
      (void)old;
      if (!path.empty()) {
        SKIFF_ASSIGN_OR_RETURN(Location loc, Locate(doc, path));
        if (loc.container->IsMap()) {
          loc.container->Set(loc.last, arena.Clone(op.value));
        } else {
          SKIFF_ASSIGN_OR_RETURN(size_t idx,
                                 ParseIndex(loc.last, loc.container->items().size(), false));
          loc.container->items()[idx] = arena.Clone(op.value);
        }
        return Status::Ok();
      }
      doc = arena.Clone(op.value);
      return Status::Ok();
    }
    case JsonPatchOp::Kind::kMove: {
      SKIFF_ASSIGN_OR_RETURN(std::vector<std::string> from, SplitJsonPointer(op.from));
      if (IsPrefix(from, path)) return MakeError("cannot move \"" + op.from + "\" into itself");
      if (from == path) return Status::Ok();
      SKIFF_ASSIGN_OR_RETURN(Node * moved, RemoveAt(doc, from));
      return AddAt(doc, path, moved);
    }
    case JsonPatchOp::Kind::kCopy: {
      SKIFF_ASSIGN_OR_RETURN(std::vector<std::string> from, SplitJsonPointer(op.from));
      SKIFF_ASSIGN_OR_RETURN(Node * src, GetAt(doc, from));
      return AddAt(doc, path, arena.Clone(src));
    }
    case JsonPatchOp::Kind::kTest: {
      SKIFF_ASSIGN_OR_RETURN(Node * cur, GetAt(doc, path));
      if (!DeepEqual(cur, op.value)) return MakeError("test failed: value differs");
      return Status::Ok();
    }
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<JsonPatchOp>> ParseJsonPatch(const Node* ops) {
  if (ops == nullptr || !ops->IsSeq()) {
    return MakeError(Where(ops) + "a JSON patch must be a list of operations");
  }
  std::vector<JsonPatchOp> out;
  out.reserve(ops->items().size());
  for (size_t i = 0; i < ops->items().size(); ++i) {
    SKIFF_ASSIGN_OR_RETURN(JsonPatchOp op, ParseOne(ops->items()[i], i));
    out.push_back(std::move(op));
  }
  return out;
}

Status ApplyJsonPatch(Arena& arena, Node*& doc, const std::vector<JsonPatchOp>& ops) {
  for (size_t i = 0; i < ops.size(); ++i) {
    Status s = ApplyOne(arena, doc, ops[i]);
    if (!s.ok()) {
      return s.error().Wrap("operation " + std::to_string(i) + " (" +
                            JsonPatchOp::KindName(ops[i].kind) + " " + ops[i].path + ")");
    }
  }
  return Status::Ok();
}

}  // namespace skiff
