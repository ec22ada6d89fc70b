#include "local/managed_fields.h"

#include <algorithm>
#include <tuple>

#include "local/api_status.h"
#include "local/json_codec.h"

namespace skiff::local {
namespace {

// Re-encodes JSON text compactly with object keys sorted, so that equal
// keys and values compare equal however a client wrote them.
void AppendCanonicalJson(const Node* n, std::string& out) {
  if (n->IsMap()) {
    std::vector<const MapEntry*> sorted;
    for (const MapEntry& e : n->entries()) sorted.push_back(&e);
    std::sort(sorted.begin(), sorted.end(), [](const MapEntry* a, const MapEntry* b) { return a->key < b->key; });
    out += '{';
    for (size_t i = 0; i < sorted.size(); ++i) {
      if (i > 0) out += ',';
      AppendJsonQuoted(sorted[i]->key, out);
      out += ':';
      AppendCanonicalJson(sorted[i]->value, out);
    }
    out += '}';
    return;
  }
  if (n->IsSeq()) {
    out += '[';
    for (size_t i = 0; i < n->items().size(); ++i) {
      if (i > 0) out += ',';
      AppendCanonicalJson(n->items()[i], out);
    }
    out += ']';
    return;
  }
  EmitJsonText(n, out);
}

// Canonical JSON of `text`; `want_object` also requires a JSON object.
Result<std::string> CanonicalJsonText(std::string_view text, bool want_object) {
  Arena arena(1024);
  SKIFF_ASSIGN_OR_RETURN(Node * n, ParseJsonText(text, arena));
  if (want_object && !n->IsMap()) return MakeError("key \"" + std::string(text) + "\" is not an object");
  return CanonicalJson(n);
}

Result<PathElement> DecodeElement(std::string_view encoded) {
  if (encoded.size() < 2 || encoded[1] != ':') {
    return MakeError("\"" + std::string(encoded) + "\" is not a FieldsV1 key");
  }
  std::string_view body = encoded.substr(2);
  switch (encoded[0]) {
    case 'f':
      return PathElement{PathElement::Kind::kField, std::string(body)};
    case 'k': {
      SKIFF_ASSIGN_OR_RETURN(std::string json, CanonicalJsonText(body, true));
      return PathElement{PathElement::Kind::kKey, std::move(json)};
    }
    case 'v': {
      SKIFF_ASSIGN_OR_RETURN(std::string json, CanonicalJsonText(body, false));
      return PathElement{PathElement::Kind::kValue, std::move(json)};
    }
    case 'i':
      if (body.empty() || body.find_first_not_of("0123456789") != std::string_view::npos) {
        return MakeError("\"" + std::string(encoded) + "\" is not a list index");
      }
      return PathElement{PathElement::Kind::kIndex, std::string(body)};
    default:
      return MakeError("\"" + std::string(encoded) + "\" is not a FieldsV1 key");
  }
}

}  // namespace

std::string CanonicalJson(const Node* value) {
  std::string out;
  AppendCanonicalJson(value, out);
  return out;
}

std::string PathElement::Encoded() const {
  switch (kind) {
    case Kind::kField: return "f:" + text;
    case Kind::kKey: return "k:" + text;
    case Kind::kValue: return "v:" + text;
    case Kind::kIndex: return "i:" + text;
  }
  return text;
}

std::string PathElement::Display() const {
  switch (kind) {
    case Kind::kField: return "." + text;
    case Kind::kValue: return "[=" + text + "]";
    case Kind::kIndex: return "[" + text + "]";
    case Kind::kKey: break;
  }
  Arena arena(1024);
  auto key = ParseJsonText(text, arena);
  if (!key.ok() || !(*key)->IsMap()) return "[" + text + "]";
  std::string out = "[";
  for (const MapEntry& e : (*key)->entries()) {
    if (out.size() > 1) out += ',';
    out += std::string(e.key) + "=";
    EmitJsonText(e.value, out);
  }
  return out + "]";
}

std::string PathString(const FieldPath& path) {
  std::string out;
  for (const PathElement& pe : path) out += pe.Display();
  return out;
}

// ---- FieldSet ----

const FieldSet* FieldSet::Find(const PathElement& pe) const {
  auto it = std::lower_bound(children_.begin(), children_.end(), pe,
                             [](const Child& c, const PathElement& x) { return c.first < x; });
  return it != children_.end() && it->first == pe ? &it->second : nullptr;
}

FieldSet* FieldSet::Find(const PathElement& pe) {
  return const_cast<FieldSet*>(static_cast<const FieldSet*>(this)->Find(pe));
}

FieldSet& FieldSet::Descend(const PathElement& pe) {
  auto it = std::lower_bound(children_.begin(), children_.end(), pe,
                             [](const Child& c, const PathElement& x) { return c.first < x; });
  if (it == children_.end() || !(it->first == pe)) it = children_.insert(it, Child{pe, FieldSet()});
  return it->second;
}

void FieldSet::Insert(const FieldPath& path) {
  FieldSet* node = this;
  for (const PathElement& pe : path) node = &node->Descend(pe);
  node->member_ = true;
}

bool FieldSet::Has(const FieldPath& path) const {
  const FieldSet* node = this;
  for (const PathElement& pe : path) {
    node = node->Find(pe);
    if (node == nullptr) return false;
  }
  return node->member_;
}

bool FieldSet::HasAtOrBelow(const FieldPath& path) const {
  const FieldSet* node = this;
  for (const PathElement& pe : path) {
    node = node->Find(pe);
    if (node == nullptr) return false;
  }
  return !node->empty();
}

FieldSet FieldSet::Union(const FieldSet& other) const {
  FieldSet out = *this;
  out.member_ = member_ || other.member_;
  for (const Child& c : other.children_) {
    FieldSet& mine = out.Descend(c.first);
    mine = mine.Union(c.second);
  }
  return out;
}

FieldSet FieldSet::Difference(const FieldSet& other) const {
  FieldSet out;
  out.member_ = member_ && !other.member_;
  for (const Child& c : children_) {
    const FieldSet* theirs = other.Find(c.first);
    FieldSet rest = theirs == nullptr ? c.second : c.second.Difference(*theirs);
    if (!rest.empty()) out.children_.emplace_back(c.first, std::move(rest));
  }
  return out;
}

FieldSet FieldSet::Intersection(const FieldSet& other) const {
  FieldSet out;
  out.member_ = member_ && other.member_;
  for (const Child& c : children_) {
    const FieldSet* theirs = other.Find(c.first);
    if (theirs == nullptr) continue;
    FieldSet both = c.second.Intersection(*theirs);
    if (!both.empty()) out.children_.emplace_back(c.first, std::move(both));
  }
  return out;
}

FieldSet FieldSet::RecursiveDifference(const FieldSet& other) const {
  FieldSet out;
  out.member_ = member_;
  for (const Child& c : children_) {
    const FieldSet* theirs = other.Find(c.first);
    if (theirs != nullptr && theirs->member_) continue;
    FieldSet rest = theirs == nullptr ? c.second : c.second.RecursiveDifference(*theirs);
    if (!rest.empty()) out.children_.emplace_back(c.first, std::move(rest));
  }
  return out;
}

FieldSet FieldSet::OnlyUnder(const PathElement& pe) const {
  FieldSet out;
  if (const FieldSet* child = Find(pe)) out.children_.emplace_back(pe, *child);
  return out;
}

void FieldSet::ForEachFrom(FieldPath& prefix, const std::function<void(const FieldPath&)>& fn) const {
  if (member_) fn(prefix);
  for (const Child& c : children_) {
    prefix.push_back(c.first);
    c.second.ForEachFrom(prefix, fn);
    prefix.pop_back();
  }
}

void FieldSet::ForEach(const std::function<void(const FieldPath&)>& fn) const {
  FieldPath prefix;
  ForEachFrom(prefix, fn);
}

std::vector<FieldPath> FieldSet::Members() const {
  std::vector<FieldPath> out;
  ForEach([&](const FieldPath& p) { out.push_back(p); });
  return out;
}

void FieldSet::AppendJson(std::string& out) const {
  out += '{';
  bool first = true;
  if (member_ && !children_.empty()) {
    out += "\".\":{}";
    first = false;
  }
  for (const Child& c : children_) {
    if (!first) out += ',';
    first = false;
    AppendJsonQuoted(c.first.Encoded(), out);
    out += ':';
    c.second.AppendJson(out);
  }
  out += '}';
}

std::string FieldSet::ToJson() const {
  std::string out;
  AppendJson(out);
  return out;
}

Node* FieldSet::ToNode(Arena& arena) const {
  Node* n = arena.NewMap();
  if (member_ && !children_.empty()) n->Set(".", arena.NewMap());
  for (const Child& c : children_) n->Set(arena.Str(c.first.Encoded()), c.second.ToNode(arena));
  return n;
}

Result<FieldSet> FieldSet::FromNode(const Node* fields_v1) {
  SKIFF_ASSIGN_OR_RETURN(FieldSet out, FromNodeBelow(fields_v1));
  out.member_ = false;  // the root is the object, not a field of it
  return out;
}

Result<FieldSet> FieldSet::FromNodeBelow(const Node* fields_v1) {
  if (fields_v1 == nullptr || !fields_v1->IsMap()) return MakeError("fieldsV1 must be an object");
  FieldSet out;
  // An empty object marks a leaf member.
  out.member_ = fields_v1->entries().empty();
  for (const MapEntry& e : fields_v1->entries()) {
    if (e.key == ".") {
      out.member_ = true;
      continue;
    }
    SKIFF_ASSIGN_OR_RETURN(PathElement pe, DecodeElement(e.key));
    SKIFF_ASSIGN_OR_RETURN(FieldSet child, FromNodeBelow(e.value));
    FieldSet& slot = out.Descend(pe);
    slot = slot.Union(child);
  }
  return out;
}

// ---- managedFields entries ----

bool ManagerEntry::SameOwner(const ManagerEntry& other) const {
  if (manager != other.manager || operation != other.operation || subresource != other.subresource) return false;
  return IsApply() || api_version == other.api_version;
}

std::string ManagerEntry::Describe() const {
  std::string out = JsonQuote(manager);
  if (!subresource.empty()) out += " with subresource " + JsonQuote(subresource);
  if (!IsApply()) out += " using " + api_version;
  return out;
}

Result<ManagedFields> DecodeManagedFields(const Node* list) {
  ManagedFields out;
  if (list == nullptr || list->IsNull()) return out;
  if (!list->IsSeq()) return MakeError("metadata.managedFields must be a list");
  for (size_t i = 0; i < list->items().size(); ++i) {
    const Node* item = list->items()[i];
    std::string where = "metadata.managedFields[" + std::to_string(i) + "]";
    if (!item->IsMap()) return MakeError(where + " must be an object");
    ManagerEntry e;
    e.manager = item->GetString("manager");
    e.operation = item->GetString("operation");
    e.api_version = item->GetString("apiVersion");
    e.time = item->GetString("time");
    e.subresource = item->GetString("subresource");
    if (e.operation != "Apply" && e.operation != "Update") {
      return MakeError(where + ".operation: must be Apply or Update");
    }
    std::string_view type = item->GetString("fieldsType");
    if (!type.empty() && type != "FieldsV1") return MakeError(where + ".fieldsType: must be FieldsV1");
    if (const Node* fields = item->Get("fieldsV1"); fields != nullptr && !fields->IsNull()) {
      auto set = FieldSet::FromNode(fields);
      if (!set.ok()) return MakeError(where + ".fieldsV1: " + set.error().message);
      e.fields = std::move(*set);
    }
    out.push_back(std::move(e));
  }
  return out;
}

Node* EncodeManagedFields(ManagedFields entries, Arena& arena) {
  std::erase_if(entries, [](const ManagerEntry& e) { return e.fields.empty(); });
  std::stable_sort(entries.begin(), entries.end(), [](const ManagerEntry& a, const ManagerEntry& b) {
    return std::tie(a.operation, a.time, a.manager, a.api_version, a.subresource) <
           std::tie(b.operation, b.time, b.manager, b.api_version, b.subresource);
  });
  Node* list = arena.NewSeq();
  for (const ManagerEntry& e : entries) {
    Node* item = arena.NewMap();
    item->Set("manager", arena.NewString(arena.Str(e.manager)));
    item->Set("operation", arena.NewString(arena.Str(e.operation)));
    item->Set("apiVersion", arena.NewString(arena.Str(e.api_version)));
    if (!e.time.empty()) item->Set("time", arena.NewString(arena.Str(e.time)));
    item->Set("fieldsType", arena.NewString("FieldsV1"));
    item->Set("fieldsV1", e.fields.ToNode(arena));
    if (!e.subresource.empty()) item->Set("subresource", arena.NewString(arena.Str(e.subresource)));
    list->Append(item);
  }
  return list;
}

}  // namespace skiff::local
