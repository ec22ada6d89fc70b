#include "render/field_spec.h"

#include <algorithm>

namespace skiff {

FieldSpec FieldSpec::Make(std::string_view group, std::string_view version, std::string_view kind,
                          std::string_view path, bool create) {
  FieldSpec fs;
  fs.group = std::string(group);
  fs.version = std::string(version);
  fs.kind = std::string(kind);
  fs.path = SplitFieldPath(path);
  fs.create = create;
  return fs;
}

bool FieldSpec::Selects(const Gvk& gvk) const {
  return (group.empty() || group == gvk.group) && (version.empty() || version == gvk.version) &&
         (kind.empty() || kind == gvk.kind);
}

std::string FieldSpec::PathString() const {
  std::string s;
  for (size_t i = 0; i < path.size(); ++i) {
    if (i > 0) s += '/';
    s += path[i];
  }
  return s;
}

std::vector<std::string> SplitFieldPath(std::string_view path) {
  std::vector<std::string> out;
  if (path.empty()) return out;
  if (path.find('\\') == std::string_view::npos) {
    // No escapes (every built-in table): cut at each '/'.
    out.reserve(static_cast<size_t>(std::count(path.begin(), path.end(), '/')) + 1);
    for (size_t start = 0;;) {
      size_t slash = path.find('/', start);
      out.emplace_back(path.substr(start, slash == std::string_view::npos ? slash : slash - start));
      if (slash == std::string_view::npos) return out;
      start = slash + 1;
    }
  }
  std::string cur;
  for (size_t i = 0; i < path.size(); ++i) {
    char c = path[i];
    if (c == '\\' && i + 1 < path.size() && path[i + 1] == '/') {
      cur += '/';
      ++i;
    } else if (c == '/') {
      out.push_back(std::move(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty() || !out.empty()) out.push_back(std::move(cur));
  return out;
}

namespace {

const char* ShapeName(const Node* n) {
  switch (n->kind()) {
    case NodeKind::kBool: return "a bool";
    case NodeKind::kInt: return "an int";
    case NodeKind::kFloat: return "a float";
    case NodeKind::kString: return "a string";
    default: return "a scalar";
  }
}

// Mirrors kustomize's field-spec walk: nulls end a branch quietly, a scalar
// where the path goes on is an error, a "[]" segment turns a null into an
// empty list, and only non-list segments are created.
Status Visit(Arena& arena, Node* node, const FieldSpec& spec, size_t depth,
             const FieldVisitor& visit) {
  if (node == nullptr || node->IsNull()) return Status::Ok();
  if (node->IsSeq()) {
    for (Node* item : node->items()) {
      SKIFF_RETURN_IF_ERROR(Visit(arena, item, spec, depth, visit));
    }
    return Status::Ok();
  }
  if (!node->IsMap()) {
    return MakeError(std::string("expected a sequence or map, found ") + ShapeName(node));
  }
  std::string_view seg = spec.path[depth];
  bool is_seq = seg.size() > 2 && seg.substr(seg.size() - 2) == "[]";
  if (is_seq) seg.remove_suffix(2);
  bool last = depth + 1 == spec.path.size();
  Node* child = node->Get(seg);
  if (child == nullptr) {
    if (!spec.create || is_seq) return Status::Ok();
    if (!last) {
      child = arena.NewMap();
      node->Set(seg, child);
    }
  } else if (child->IsNull() && (is_seq || (spec.create && !last))) {
    child = is_seq ? arena.NewSeq() : arena.NewMap();
    node->Set(seg, child);
  }
  if (last) {
    FieldLeaf leaf{node, InternKey(seg), child};
    return visit(leaf);
  }
  return Visit(arena, child, spec, depth + 1, visit);
}

}  // namespace

Status VisitFields(Arena& arena, Node* root, const FieldSpec& spec, const FieldVisitor& visit) {
  if (spec.path.empty()) return Status::Ok();
  Status s = Visit(arena, root, spec, 0, visit);
  if (!s.ok()) return s.error().Wrap("field " + spec.PathString());
  return s;
}

Status VisitFields(Arena& arena, Resource& r, const std::vector<FieldSpec>& specs,
                   const FieldVisitor& visit) {
  Gvk gvk = r.GetGvk();
  for (const FieldSpec& spec : specs) {
    if (!spec.Selects(gvk)) continue;
    Status s = VisitFields(arena, r.root, spec, visit);
    if (!s.ok()) {
      std::string where = r.origin.file.empty() ? "" : r.origin.String() + ": ";
      return s.error().Wrap(where + gvk.kind + " " + std::string(r.Name()));
    }
  }
  return Status::Ok();
}

}  // namespace skiff
