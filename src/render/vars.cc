#include "render/vars.h"

#include <algorithm>
#include <map>

#include "yaml/yaml.h"

namespace skiff {

namespace {

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

// kustomize reads vars through Go's JSON decoder, which matches field names
// regardless of case (`fieldpath` works like `fieldPath`).
const Node* Field(const Node* map, std::string_view key) {
  if (map == nullptr || !map->IsMap()) return nullptr;
  const Node* found = nullptr;
  for (const MapEntry& e : map->entries()) {
    if (EqualsIgnoreCase(e.key, key)) found = e.value;
  }
  return found;
}

std::string Text(const Node* map, std::string_view key) {
  const Node* n = Field(map, key);
  return n != nullptr && n->IsScalar() && !n->IsNull() ? std::string(n->scalar()) : std::string();
}

bool SameNamespace(std::string_view a, std::string_view b) {
  auto effective = [](std::string_view ns) {
    return ns.empty() ? std::string_view("default") : ns;
  };
  return effective(a) == effective(b);
}

// What a var stands for: its text, and the type a field that is exactly
// `$(NAME)` takes.
struct VarValue {
  NodeKind kind;
  std::string text;
};

VarValue ValueOf(const Node* n) {
  if (n->IsMap() || n->IsSeq()) {
    std::string json;
    EmitJson(n, json);
    return {NodeKind::kString, json};
  }
  if (n->kind() == NodeKind::kBool) {
    bool yes = !n->scalar().empty() && (n->scalar()[0] == 't' || n->scalar()[0] == 'T');
    return {NodeKind::kBool, yes ? "true" : "false"};
  }
  return {n->kind() == NodeKind::kNull ? NodeKind::kString : n->kind(), std::string(n->scalar())};
}

// Substitutes vars in the string scalars of one field's value.
class VarSubstituter {
 public:
  VarSubstituter(const std::map<std::string, VarValue, std::less<>>& values, Arena& arena)
      : values_(values), arena_(arena) {}

  void Field(Node* value) {
    if (value == nullptr) return;
    if (value->IsSeq()) {
      for (Node* item : value->items()) Scalar(item);
    } else if (value->IsMap()) {
      for (MapEntry& e : value->entries()) Scalar(e.value);
    } else {
      Scalar(value);
    }
  }

  const std::map<std::string, int, std::less<>>& uses() const { return uses_; }

 private:
  const std::string* Lookup(std::string_view name) {
    auto it = values_.find(name);
    if (it == values_.end()) return nullptr;
    ++uses_[it->first];
    return &it->second.text;
  }

  void Scalar(Node* n) {
    if (!n->IsString() || n->scalar().find('$') == std::string_view::npos) return;
    std::string_view text = n->scalar();
    if (text.size() > 3 && text.substr(0, 2) == "$(" && text.back() == ')' &&
        text.find(')') == text.size() - 1) {
      auto it = values_.find(text.substr(2, text.size() - 3));
      if (it != values_.end()) {
        ++uses_[it->first];
        n->SetScalar(it->second.kind, arena_.Str(it->second.text));
        n->set_style(ScalarStyle::kPlain);
        return;
      }
    }
    std::string expanded =
        ExpandVars(text, [this](std::string_view name) { return Lookup(name); });
    if (expanded == text) return;
    n->SetScalar(NodeKind::kString, arena_.Str(expanded));
    n->set_style(ScalarStyle::kPlain);
  }

  const std::map<std::string, VarValue, std::less<>>& values_;
  Arena& arena_;
  std::map<std::string, int, std::less<>> uses_;
};

// The object a var was bound to: the same tree if it is still there, else
// the object that has had the identity it had then.
}  // namespace

void VarSet::RebindRoots(const std::unordered_map<const Node*, Node*>& moved) {
  for (Var& var : vars_) {
    auto it = moved.find(var.bound_root);
    if (it != moved.end()) var.bound_root = it->second;
  }
}

namespace {

const Resource* FindBound(const ResourceSet& set, const Node* root, const ResId& id) {
  if (root == nullptr) return nullptr;
  for (const Resource& r : set) {
    if (r.root == root) return &r;
  }
  for (const Resource& r : set) {
    if (r.Id() == id ||
        std::find(r.previous_ids.begin(), r.previous_ids.end(), id) != r.previous_ids.end()) {
      return &r;
    }
  }
  return nullptr;
}

}  // namespace

std::string ExpandVars(std::string_view input,
                       const std::function<const std::string*(std::string_view)>& lookup) {
  std::string out;
  size_t checkpoint = 0;
  for (size_t cursor = 0; cursor < input.size(); ++cursor) {
    if (input[cursor] != '$' || cursor + 1 >= input.size()) continue;
    out.append(input.substr(checkpoint, cursor - checkpoint));
    std::string_view rest = input.substr(cursor + 1);
    size_t advance = 1;
    if (rest[0] == '$') {
      out += '$';
    } else if (rest[0] == '(') {
      size_t close = rest.find(')');
      if (close == std::string_view::npos) {
        out += "$(";
      } else {
        std::string_view name = rest.substr(1, close - 1);
        const std::string* value = lookup(name);
        if (value != nullptr) {
          out += *value;
        } else {
          out += "$(";
          out += name;
          out += ')';
        }
        advance = close + 1;
      }
    } else {
      out += '$';
      out += rest[0];
    }
    cursor += advance;
    checkpoint = cursor + 1;
  }
  if (checkpoint < input.size()) out.append(input.substr(checkpoint));
  return out;
}

Result<VarSet::Var> VarSet::ReadVar(const Node* entry, const RenderContext& ctx) const {
  std::string where = ctx.kustomization_file + ":" + std::to_string(entry->pos().line);
  if (!entry->IsMap()) return MakeError(where + ": vars: expected each entry to be a map");
  Var var;
  var.where = where;
  var.name = Text(entry, "name");
  if (var.name.empty()) return MakeError(where + ": vars: a var needs a name");
  const Node* objref = Field(entry, "objref");
  if (objref == nullptr || !objref->IsMap()) {
    return MakeError(where + ": vars: var '" + var.name + "' needs an objref map");
  }
  std::string api_version = Text(objref, "apiVersion");
  var.gvk = api_version.empty()
                ? Gvk{Text(objref, "group"), Text(objref, "version"), Text(objref, "kind")}
                : Gvk::FromApiVersion(api_version, Text(objref, "kind"));
  var.object_name = Text(objref, "name");
  var.ns = Text(objref, "namespace");
  std::string path = Text(Field(entry, "fieldref"), "fieldPath");
  Result<FieldPath> parsed = FieldPath::Parse(path.empty() ? "metadata.name" : path);
  if (!parsed.ok()) return parsed.error().Wrap(where + ": vars: var '" + var.name + "'");
  var.field_path = std::move(*parsed);
  return var;
}

Status VarSet::Bind(Var& var, const ResourceSet& set) const {
  auto names_it = [&](const ResId& id) {
    return id.gvk == var.gvk && id.name == var.object_name &&
           (var.ns.empty() || SameNamespace(id.ns, var.ns));
  };
  int matches = 0;
  for (const Resource& r : set) {
    bool hit = names_it(r.Id());
    for (const ResId& id : r.previous_ids) hit = hit || names_it(id);
    if (!hit) continue;
    ++matches;
    var.bound_root = r.root;
    var.bound_id = r.Id();
  }
  if (matches > 1) {
    return MakeError(var.where + ": found " + std::to_string(matches) + " resId matches for var " +
                     var.name + " (unable to disambiguate)");
  }
  return Status::Ok();
}

Status VarSet::Merge(const Node* vars, const ResourceSet& set, const RenderContext& ctx) {
  if (vars == nullptr || !vars->IsSeq()) return Status::Ok();
  for (const Node* entry : vars->items()) {
    SKIFF_ASSIGN_OR_RETURN(Var var, ReadVar(entry, ctx));
    for (const Var& have : vars_) {
      if (have.name == var.name) {
        return MakeError(var.where + ": var '" + var.name + "' already encountered (first at " +
                         have.where + ")");
      }
    }
    SKIFF_RETURN_IF_ERROR(Bind(var, set));
    vars_.push_back(std::move(var));
  }
  return Status::Ok();
}

Status VarSet::Absorb(VarSet&& other) {
  for (Var& var : other.vars_) {
    for (const Var& have : vars_) {
      if (have.name == var.name) {
        return MakeError(var.where + ": var '" + var.name + "' already encountered (first at " +
                         have.where + ")");
      }
    }
    vars_.push_back(std::move(var));
  }
  other.vars_.clear();
  return Status::Ok();
}

Status VarSet::Resolve(ResourceSet& set, const std::vector<FieldSpec>& specs, Arena& arena,
                       std::vector<std::string>& warnings) const {
  if (vars_.empty()) return Status::Ok();
  std::map<std::string, VarValue, std::less<>> values;
  for (const Var& var : vars_) {
    const Resource* bound = FindBound(set, var.bound_root, var.bound_id);
    if (bound == nullptr) {
      return MakeError(var.where + ": var '" + var.name +
                       "' cannot be mapped to a field in the set of known resources");
    }
    const Node* value = LookupField(bound->root, var.field_path);
    if (value == nullptr) {
      return MakeError(var.where + ": field specified in var '" + var.name + "' (" +
                       var.field_path.text + ") not found in corresponding resource");
    }
    values.emplace(var.name, ValueOf(value));
  }
  VarSubstituter substituter(values, arena);
  for (Resource& r : set) {
    SKIFF_RETURN_IF_ERROR(VisitFields(arena, r, specs, [&](FieldLeaf& leaf) -> Status {
      substituter.Field(leaf.value);
      return Status::Ok();
    }));
  }
  std::string unused;
  for (const auto& [name, value] : values) {
    if (substituter.uses().count(name) > 0) continue;
    if (!unused.empty()) unused += ',';
    unused += name;
  }
  if (!unused.empty()) warnings.push_back("well-defined vars that were never replaced: " + unused);
  return Status::Ok();
}

}  // namespace skiff
