#include "render/strategic_merge.h"

#include <algorithm>
#include <atomic>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "model/resource.h"
#include "model/schema.h"
#include "render/openapi_schema.h"

namespace skiff {
namespace {

constexpr std::string_view kDirectiveKey = "$patch";

// Off only in differential tests of the shortcut itself.
std::atomic<bool> shortcut{true};

enum class Directive : uint8_t { kMerge, kReplace, kDelete };

// Where a walk stands in the schema: the field whose value is being merged
// (it carries the list strategy) and the object type of that value (or of
// its elements, for lists) used to look up children. Both null: no schema.
// With a custom OpenAPI document (`doc`), `custom` is the schema of the value
// instead and the built-in tables are not consulted.
struct SchemaPos {
  const SchemaField* field = nullptr;
  const SchemaType* type = nullptr;
  const OpenApiSchema* doc = nullptr;
  const OpenApiNode* custom = nullptr;

  bool Empty() const { return field == nullptr && type == nullptr && custom == nullptr; }

  SchemaPos Child(std::string_view key) const {
    if (doc != nullptr) return {nullptr, nullptr, doc, doc->Field(custom, key)};
    if (field != nullptr && field->shape == SchemaShape::kMap) return {nullptr, field->Type()};
    if (type == nullptr) return {};
    const SchemaField* f = type->Field(key);
    if (f == nullptr) return {};
    return {f, f->Type()};
  }
  SchemaPos Elements() const {
    if (doc != nullptr) return {nullptr, nullptr, doc, doc->Elements(custom)};
    if (field == nullptr || field->shape != SchemaShape::kList) return {};
    return {nullptr, field->Type()};
  }
  bool MergesList() const {
    if (doc != nullptr) return custom != nullptr && custom->strategy_merge;
    return field != nullptr && field->MergesList();
  }
  std::vector<std::string> MergeKeys() const {
    if (doc != nullptr) return custom != nullptr ? custom->merge_keys : std::vector<std::string>{};
    std::vector<std::string> keys;
    if (field != nullptr) {
      for (std::string_view k : field->MergeKeys()) keys.emplace_back(k);
    }
    return keys;
  }
};

bool IsMissingOrNull(const Node* n) { return n == nullptr || n->IsNull(); }
bool IsEmptyMap(const Node* n) { return n != nullptr && n->IsMap() && n->entries().empty(); }

// A map field's value, or nullptr when `n` is not a map or lacks the field.
Node* FieldOf(const Node* n, std::string_view key) {
  return n != nullptr && n->IsMap() ? n->Get(key) : nullptr;
}

// The text a merge key is compared on: a scalar's text; "" for null, absent,
// maps and lists.
std::string_view KeyText(const Node* value) {
  if (value == nullptr || value->IsNull() || !value->IsScalar()) return {};
  return value->scalar();
}

const char* KindName(const Node* n) {
  if (n->IsMap()) return "MappingNode";
  if (n->IsSeq()) return "SequenceNode";
  return "ScalarNode";
}

int KindClass(const Node* n) { return n->IsMap() ? 0 : n->IsSeq() ? 1 : 2; }

using Strings = std::vector<std::string>;

// Does `elem` hold field `key` (with text `value`, when `value` is non-empty)?
// A scalar element is compared on its own text when `key` is empty.
bool FieldMatches(const Node* elem, std::string_view key, std::string_view value) {
  if (IsMissingOrNull(elem)) return false;
  if (key.empty()) return elem->IsScalar() && elem->scalar() == value;
  Node* field = FieldOf(elem, key);
  if (field == nullptr) return false;
  return value.empty() || (field->IsScalar() && field->scalar() == value);
}

// Sets, replaces or deletes (`element` null) every element of `list` whose
// `keys` fields hold `values`; appends `element` when none matched. Drops
// null and empty-map elements on the way, as kustomize's list setter does.
void SetElement(Node* list, Node* element, Strings keys, const Strings& values) {
  if (keys.empty()) keys.push_back("");
  const bool mapping_setter = !keys[0].empty() && !values.empty() && !values[0].empty();
  Node::Items kept(list->items().get_allocator());
  bool matched = false;
  for (Node* elem : list->items()) {
    if (IsMissingOrNull(elem) || IsEmptyMap(elem)) continue;
    if (!elem->IsMap() && mapping_setter) {
      kept.push_back(elem);
      continue;
    }
    bool found = true;
    bool last = false;
    for (size_t j = 0; j < keys.size(); ++j) {
      // A key without a value reuses the previous key's outcome.
      if (j < values.size()) last = FieldMatches(elem, keys[j], values[j]);
      if (!last) {
        found = false;
        break;
      }
    }
    if (!found) {
      if (!values.empty()) kept.push_back(elem);
      continue;
    }
    matched = true;
    if (element != nullptr) kept.push_back(element);
  }
  list->items() = std::move(kept);
  if (IsMissingOrNull(element)) return;
  if (!matched) list->Append(element);
}

// The first map element whose `keys` fields have exactly `values`; with an
// empty first key, the first element whose own text is values[0].
Node* FindElement(const Node* list, const Strings& keys, const Strings& values) {
  if (list == nullptr || !list->IsSeq()) return nullptr;
  std::string_view first_value = values.empty() ? std::string_view() : values[0];
  if (keys.empty() || keys[0].empty()) {
    for (Node* elem : list->items()) {
      if (elem->IsScalar() && elem->scalar() == first_value) return elem;
      if (!elem->IsScalar() && first_value.empty()) return elem;
    }
    return nullptr;
  }
  for (Node* elem : list->items()) {
    if (!elem->IsMap()) continue;
    bool all = true;
    for (size_t i = 0; i < keys.size() && all; ++i) {
      Node* field = elem->Get(keys[i]);
      std::string_view want = i < values.size() ? std::string_view(values[i]) : std::string_view();
      all = field != nullptr && (field->IsScalar() ? field->scalar() : std::string_view()) == want;
    }
    if (all) return elem;
  }
  return nullptr;
}

// Two key-value tuples name the same element when they agree somewhere and
// differ only where one side is empty; the result fills the gaps.
std::optional<Strings> MatchValues(const Strings& a, const Strings& b) {
  if (a.size() != b.size()) return std::nullopt;
  bool common = false;
  Strings merged;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i] == b[i]) {
      common = true;
      merged.push_back(a[i]);
      continue;
    }
    if (!a[i].empty() && !b[i].empty()) return std::nullopt;
    merged.push_back(a[i].empty() ? b[i] : a[i]);
  }
  if (!common) return std::nullopt;
  return merged;
}

void MergeValueTuples(std::vector<Strings>& all) {
  for (size_t i = 0; i < all.size(); ++i) {
    for (size_t j = 0; j < all.size(); ++j) {
      if (auto m = MatchValues(all[i], all[j])) {
        all[i] = *m;
        all[j] = *m;
      }
    }
  }
}

// Keeps the keys that have a value somewhere in `all` (all keys when none
// has), with this tuple's values for them.
std::pair<Strings, Strings> ValidKeys(const std::vector<Strings>& all, const Strings& values,
                                      const Strings& keys) {
  std::unordered_set<std::string> valid;
  for (const Strings& v : all) {
    for (size_t i = 0; i < v.size() && i < keys.size(); ++i) {
      if (!v[i].empty()) valid.insert(keys[i]);
    }
  }
  if (valid.empty()) return {keys, values};
  Strings out_keys, out_values;
  for (size_t i = 0; i < keys.size(); ++i) {
    if (!valid.count(keys[i])) continue;
    out_keys.push_back(keys[i]);
    out_values.push_back(i < values.size() ? values[i] : std::string());
  }
  return {out_keys, out_values};
}

class Merger {
 public:
  Merger(Arena& arena, const OpenApiSchema* custom) : arena_(arena), custom_(custom) {}

  Result<Node*> Walk(Node* dest, Node* origin, SchemaPos schema) {
    if (origin == nullptr && shortcut.load(std::memory_order_relaxed) &&
        UnchangedByWalk(dest, schema)) {
      return dest;
    }
    schema = ResolveSchema(schema, dest, origin);
    const Node* first = !IsMissingOrNull(dest) ? dest : !IsMissingOrNull(origin) ? origin : nullptr;
    if (first == nullptr) return WalkMap(dest, origin, schema);
    for (const Node* n : {dest, origin}) {
      if (!IsMissingOrNull(n) && KindClass(n) != KindClass(first)) {
        return MakeError(Where() + "wrong node kind: expected " + KindName(first) + " but got " +
                         KindName(n));
      }
    }
    if (first->IsMap()) return WalkMap(dest, origin, schema);
    if (first->IsSeq()) {
      return schema.MergesList() ? WalkAssociativeList(dest, origin, schema)
                                 : Result<Node*>(origin != nullptr ? origin : dest);
    }
    return origin != nullptr ? origin : dest;
  }

 private:
  // Whether walking `dest` with nothing to merge into it would give it back
  // as it is: every merged list already holds one map per merge-key value
  // (none missing, empty or repeated; sets hold distinct scalars), so nothing
  // is dropped, collapsed or reordered. Most of an object is outside any patch;
  // this check only reads, where the walk rebuilds every merged list.
  bool UnchangedByWalk(const Node* dest, SchemaPos schema) const {
    if (dest == nullptr || dest->IsNull()) return false;
    if (dest->IsScalar()) return true;
    schema = ResolveSchema(schema, dest, nullptr);
    if (dest->IsMap()) {
      for (const MapEntry& e : dest->entries()) {
        if (e.value->IsNull()) continue;  // kept by WalkMap
        if (!UnchangedByWalk(e.value, schema.Child(e.key))) return false;
      }
      return true;
    }
    if (!schema.MergesList()) return true;  // replaced as a whole, never walked
    if (dest->items().empty()) return true;
    Strings keys = schema.MergeKeys();
    if (keys.empty()) {  // a set of scalars: unchanged when already a set
      std::unordered_set<std::string_view> seen;
      for (const Node* elem : dest->items()) {
        if (!elem->IsScalar() || elem->IsNull() || elem->scalar().empty() ||
            !seen.insert(elem->scalar()).second) {
          return false;
        }
      }
      return true;
    }
    // Every key is held by all elements or by none (the merge ignores keys
    // no element holds), at least one is held, and no two elements share
    // their held keys' values.
    std::vector<char> held(keys.size(), 0);
    std::unordered_set<std::string> seen;
    SchemaPos elements = schema.Elements();
    for (size_t n = 0; n < dest->items().size(); ++n) {
      const Node* elem = dest->items()[n];
      if (!elem->IsMap() || elem->entries().empty()) return false;
      std::string tuple;
      for (size_t i = 0; i < keys.size(); ++i) {
        std::string_view text = KeyText(elem->Get(keys[i]));
        char has = text.empty() ? 0 : 1;
        if (n == 0) held[i] = has;
        if (has != held[i]) return false;
        tuple.append(text);
        tuple.push_back('\0');
      }
      if (n == 0 && std::find(held.begin(), held.end(), 1) == held.end()) return false;
      if (!seen.insert(std::move(tuple)).second) return false;
      if (!UnchangedByWalk(elem, elements)) return false;
    }
    return true;
  }

  // A map (or nothing) at a position the schema does not describe takes the
  // schema of its own apiVersion/kind, as kustomize does for embedded objects.
  SchemaPos ResolveSchema(SchemaPos schema, const Node* dest, const Node* origin) const {
    if (!schema.Empty()) return schema;
    for (const Node* n : {dest, origin}) {
      if (IsMissingOrNull(n) || !n->IsMap()) continue;
      std::string_view api = n->GetString("apiVersion");
      std::string_view kind = n->GetString("kind");
      if (api.empty() || kind.empty()) continue;
      if (custom_ != nullptr) {
        const OpenApiNode* root = custom_->ForGvk(Gvk::FromApiVersion(api, kind));
        if (root != nullptr) return {nullptr, nullptr, custom_, root};
        continue;
      }
      if (const SchemaType* t = SchemaTypeForGvk(Gvk::FromApiVersion(api, kind))) return {nullptr, t};
    }
    return {};
  }

  std::string Where() const {
    if (path_.empty()) return "";
    std::string s;
    for (const std::string& p : path_) {
      if (!s.empty()) s += '.';
      s += p;
    }
    return s + ": ";
  }

  Result<Directive> MapDirective(Node* patch) {
    if (patch == nullptr) return Directive::kMerge;
    if (!patch->IsMap()) {
      return MakeError(Where() + "no implemented strategic merge patch strategy for '" +
                       std::string(patch->scalar()) + "'");
    }
    Node* v = patch->Get(kDirectiveKey);
    if (v == nullptr) return Directive::kMerge;
    SKIFF_ASSIGN_OR_RETURN(Directive d, ParseDirective(v));
    patch->Remove(kDirectiveKey);
    return d;
  }

  Result<Directive> ListDirective(Node* patch) {
    if (patch == nullptr) return Directive::kMerge;
    Node* holder = nullptr;
    for (Node* elem : patch->items()) {
      if (elem->IsMap() && elem->Get(kDirectiveKey) != nullptr) {
        holder = elem;
        break;
      }
    }
    // A `$patch` next to other fields belongs to that element, not the list.
    if (holder == nullptr || holder->entries().size() > 1) return Directive::kMerge;
    Node* v = holder->Get(kDirectiveKey);
    SKIFF_ASSIGN_OR_RETURN(Directive d, ParseDirective(v));
    SetElement(patch, nullptr, {std::string(kDirectiveKey)}, {std::string(v->scalar())});
    return d;
  }

  Result<Directive> ParseDirective(const Node* v) {
    std::string_view s = v->scalar();
    if (s == "delete") return Directive::kDelete;
    if (s == "replace") return Directive::kReplace;
    if (s == "merge") return Directive::kMerge;
    return MakeError(Where() + "unknown patch strategy '" + std::string(s) + "'");
  }

  Result<Node*> VisitMap(Node* dest, Node* origin) {
    if (IsMissingOrNull(dest)) {
      // kustomize ignores a malformed directive on a map that is only added.
      if (origin != nullptr && origin->IsMap()) {
        auto d = MapDirective(origin);
        if (d.ok() && *d == Directive::kDelete) return nullptr;
      }
      return origin;
    }
    if (origin != nullptr && origin->IsNull()) return nullptr;
    SKIFF_ASSIGN_OR_RETURN(Directive d, MapDirective(origin));
    if (d == Directive::kDelete) return nullptr;
    if (d == Directive::kReplace) return origin;
    return dest;
  }

  Result<Node*> WalkMap(Node* dest, Node* origin, SchemaPos schema) {
    SKIFF_ASSIGN_OR_RETURN(Node * result, VisitMap(dest, origin));
    if (result == nullptr) return nullptr;
    if (!result->IsMap()) return result;
    // Field names of both sides, each once; the result is written sorted
    // later, so the walk order only has to be deterministic.
    std::vector<std::string_view> names;
    std::unordered_set<std::string_view> seen;
    for (const Node* n : {static_cast<const Node*>(result), static_cast<const Node*>(origin)}) {
      if (n == nullptr || !n->IsMap()) continue;
      for (const MapEntry& e : n->entries()) {
        if (seen.insert(e.key).second) names.push_back(e.key);
      }
    }
    for (std::string_view key : names) {
      Node* dest_value = result->Get(key);
      Node* origin_value = FieldOf(origin, key);
      // A null the patch does not mention stays, as kustomize leaves it.
      if (origin_value == nullptr && dest_value != nullptr && dest_value->IsNull()) continue;
      path_.emplace_back(key);
      auto val = Walk(dest_value, origin_value, schema.Child(key));
      path_.pop_back();
      if (!val.ok()) return val.error();
      if (IsMissingOrNull(*val)) {
        result->Remove(key);
      } else {
        result->Set(key, *val);
      }
    }
    return result;
  }

  Result<Node*> VisitAssociativeList(Node* dest, Node* origin) {
    if (IsMissingOrNull(dest)) return origin;
    if (origin != nullptr && origin->IsNull()) return nullptr;
    SKIFF_ASSIGN_OR_RETURN(Directive d, ListDirective(origin));
    if (d == Directive::kDelete) return nullptr;
    if (d == Directive::kReplace) return origin;
    return dest;
  }

  // Each element's values for `keys`, patch first, each tuple once.
  static std::vector<Strings> KeyTuples(const Node* dest, const Node* origin, const Strings& keys) {
    std::vector<Strings> out;
    for (const Node* list : {origin, dest}) {
      if (list == nullptr || !list->IsSeq()) continue;
      for (const Node* elem : list->items()) {
        Strings t;
        for (const std::string& k : keys) t.emplace_back(KeyText(FieldOf(elem, k)));
        if (t.empty()) continue;
        bool dup = false;
        for (const Strings& o : out) dup = dup || o == t;
        if (!dup) out.push_back(std::move(t));
      }
    }
    return out;
  }

  static std::vector<Strings> PrimitiveTuples(const Node* dest, const Node* origin) {
    std::vector<Strings> out;
    std::unordered_set<std::string_view> seen;
    for (const Node* list : {origin, dest}) {
      if (list == nullptr || !list->IsSeq()) continue;
      for (const Node* elem : list->items()) {
        std::string_view text = elem->IsScalar() ? elem->scalar() : std::string_view();
        if (seen.insert(text).second) out.push_back({std::string(text)});
      }
    }
    return out;
  }

  Result<Node*> WalkAssociativeList(Node* dest, Node* origin, SchemaPos schema) {
    SKIFF_ASSIGN_OR_RETURN(Node * result, VisitAssociativeList(dest, origin));
    if (result == nullptr) return nullptr;
    if (!result->IsSeq()) return result;
    Strings keys = schema.MergeKeys();
    std::vector<Strings> tuples = KeyTuples(result, origin, keys);
    if (tuples.empty() && keys.empty()) {
      tuples = PrimitiveTuples(result, origin);
      keys = {""};
    }
    return MergeElements(result, origin, std::move(tuples), keys, schema.Elements());
  }

  Result<Node*> MergeElements(Node* dest, Node* origin, std::vector<Strings> tuples,
                              const Strings& keys, SchemaPos element_schema) {
    if (tuples.empty()) return dest;
    Node* merged = arena_.NewSeq();
    if (keys.size() > 1) MergeValueTuples(tuples);
    Strings valid_keys, valid_values;
    for (const Strings& values : tuples) {
      if (values.empty()) continue;
      std::tie(valid_keys, valid_values) = ValidKeys(tuples, values, keys);
      auto [find_keys, find_values] = ValidKeys({valid_values}, valid_values, valid_keys);
      Node* d = FindElement(dest, find_keys, find_values);
      Node* o = origin != nullptr ? FindElement(origin, find_keys, find_values) : nullptr;
      path_.push_back("[" + (valid_values.empty() ? std::string() : valid_values[0]) + "]");
      auto val = Walk(d, o, element_schema);
      path_.pop_back();
      if (!val.ok()) return val.error();
      Node* v = *val;
      if (IsMissingOrNull(v) || IsEmptyMap(v)) {
        SetElement(dest, nullptr, valid_keys, valid_values);
        continue;
      }
      EnsureKeys(v, valid_keys, valid_values);
      SetElement(merged, v, valid_keys, valid_values);
    }
    AppendElements(merged, dest, valid_keys);
    return merged;
  }

  // A merged element keeps the key values it was matched on.
  void EnsureKeys(Node* v, const Strings& keys, const Strings& values) {
    for (size_t i = 0; i < keys.size(); ++i) {
      if (values[i].empty() || keys[i].empty()) continue;
      if (v->IsMap() && v->Get(keys[i]) == nullptr) {
        v->Set(keys[i], arena_.NewString(arena_.Str(values[i])));
      }
    }
  }

  // Adds the original's elements after the patch's: each replaces the entry
  // with its key values, or is appended.
  static void AppendElements(Node* dst, const Node* src, const Strings& keys) {
    std::vector<Node*> elems(src->items().begin(), src->items().end());
    for (Node* elem : elems) {
      if (keys.empty() || keys[0].empty()) {
        SetElement(dst, elem, {""}, {std::string(elem->IsScalar() ? elem->scalar() : "")});
        continue;
      }
      Strings values;
      for (const std::string& key : keys) {
        Node* v = FieldOf(elem, key);
        if (v == nullptr) {
          dst->Append(elem);
          continue;
        }
        values.emplace_back(v->IsScalar() ? v->scalar() : std::string_view());
      }
      // With several keys the setter could match twice; drop first.
      if (keys.size() > 1) SetElement(dst, nullptr, keys, values);
      SetElement(dst, elem, keys, values);
    }
  }

  Arena& arena_;
  const OpenApiSchema* custom_;
  std::vector<std::string> path_;
};

}  // namespace

void SetStrategicMergeShortcut(bool enabled) { shortcut.store(enabled); }

Result<Node*> StrategicMerge(Arena& arena, Node* target, Node* patch) {
  return StrategicMerge(arena, target, patch, nullptr);
}

Result<Node*> StrategicMerge(Arena& arena, Node* target, Node* patch,
                             const OpenApiSchema* custom) {
  Merger merger(arena, custom);
  return merger.Walk(target, patch, {});
}

}  // namespace skiff
