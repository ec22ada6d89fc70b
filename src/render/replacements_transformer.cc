#include "render/replacements_transformer.h"

#include "render/replacements_parse.h"
#include "yaml/scalar_resolve.h"

namespace skiff {

namespace {

std::vector<ResId> AllIds(const Resource& r) {
  std::vector<ResId> ids;
  ids.reserve(1 + r.previous_ids.size());
  ids.push_back(r.Id());
  ids.insert(ids.end(), r.previous_ids.begin(), r.previous_ids.end());
  return ids;
}

bool IsNilOrEmpty(const Node* n) {
  if (n == nullptr || n->IsNull()) return true;
  if (n->IsMap()) return n->entries().empty();
  if (n->IsSeq()) return n->items().empty();
  return false;
}

std::vector<std::string> Split(std::string_view text, std::string_view delimiter) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t at = text.find(delimiter); at != std::string_view::npos;
       at = text.find(delimiter, start)) {
    parts.emplace_back(text.substr(start, at - start));
    start = at + delimiter.size();
  }
  parts.emplace_back(text.substr(start));
  return parts;
}

std::string Join(const std::vector<std::string>& parts, std::string_view delimiter) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += delimiter;
    out += parts[i];
  }
  return out;
}

const char* TagName(NodeKind kind) {
  switch (kind) {
    case NodeKind::kNull: return "!!null";
    case NodeKind::kBool: return "!!bool";
    case NodeKind::kInt: return "!!int";
    case NodeKind::kFloat: return "!!float";
    case NodeKind::kString: return "!!str";
    case NodeKind::kMap: return "!!map";
    case NodeKind::kSeq: return "!!seq";
  }
  return "!!str";
}

// A scalar target keeps its type; the new text must read as that type (an
// integer is a valid float), as kustomize checks when it decodes the result.
Status CheckDecodes(std::string_view text, NodeKind target) {
  if (target == NodeKind::kString) return Status::Ok();
  NodeKind read = ResolvePlainScalar(text);
  if (read == target || (target == NodeKind::kFloat && read == NodeKind::kInt)) {
    return Status::Ok();
  }
  return MakeError("cannot decode " + std::string(TagName(read)) + " `" + std::string(text) +
                   "` as a " + TagName(target));
}

// The source value after its own `options` (one element of a delimited
// string).
Result<const Node*> RefineSource(const Node* value, const ReplacementOptions& options,
                                 Arena& arena) {
  if (options.delimiter.empty()) return value;
  if (!value->IsScalar()) {
    return MakeError("delimiter option can only be used with scalar nodes");
  }
  std::vector<std::string> parts = Split(value->scalar(), options.delimiter);
  if (options.index < 0 || options.index >= static_cast<long>(parts.size())) {
    return MakeError("options.index " + std::to_string(options.index) +
                     " is out of bounds for value " + std::string(value->scalar()));
  }
  Node* n = arena.NewScalar(value->kind(), arena.Str(parts[options.index]), value->style());
  return static_cast<const Node*>(n);
}

// Text of `value` spliced into the target's delimited text per `options`.
Result<std::string> SpliceDelimited(const FieldSlot& slot, std::string_view value,
                                    const ReplacementOptions& options) {
  if (slot.value != nullptr && !slot.value->IsScalar()) {
    return MakeError("delimiter option can only be used with scalar nodes");
  }
  std::string_view current = slot.value == nullptr ? std::string_view() : slot.value->scalar();
  std::vector<std::string> parts = Split(current, options.delimiter);
  if (options.index < 0) {
    parts.insert(parts.begin(), std::string(value));
  } else if (options.index >= static_cast<long>(parts.size())) {
    parts.emplace_back(value);
  } else {
    parts[options.index] = std::string(value);
  }
  return Join(parts, options.delimiter);
}

Status SetFieldValue(FieldSlot& slot, const Node* value, const ReplacementOptions& options,
                     Arena& arena) {
  std::string_view text = value->IsScalar() ? value->scalar() : std::string_view();
  std::string spliced;
  if (!options.delimiter.empty()) {
    SKIFF_ASSIGN_OR_RETURN(spliced, SpliceDelimited(slot, text, options));
    text = spliced;
  }
  if (slot.value != nullptr && slot.value->IsScalar()) {
    SKIFF_RETURN_IF_ERROR(CheckDecodes(text, slot.value->kind()));
    slot.value->SetScalar(slot.value->kind(), arena.Str(text));
    return Status::Ok();
  }
  if (slot.value == nullptr && (value->IsScalar() || !options.delimiter.empty())) {
    // A created field has no tag: its text decides its type.
    slot.Set(arena.NewScalar(ResolvePlainScalar(text), arena.Str(text)));
    return Status::Ok();
  }
  Node* copy = arena.Clone(value);
  if (!options.delimiter.empty()) copy->SetScalar(copy->kind(), arena.Str(text));
  slot.Set(copy);
  return Status::Ok();
}

std::string FieldError(const FieldPath& path, bool create) {
  return std::string(create ? "unable to find or create field \"" : "unable to find field \"") +
         path.text + "\" in replacement target";
}

Status CopyToTarget(Resource& r, const Node* value, const ReplacementTarget& target,
                    Arena& arena) {
  for (const FieldPath& path : target.field_paths) {
    bool create = target.options.create;
    Result<std::vector<FieldSlot>> slots = FindFieldSlots(arena, r.root, path, create);
    if (!slots.ok()) return slots.error().Wrap(FieldError(path, create));
    if (slots->empty()) return MakeError(FieldError(path, create));
    for (FieldSlot& slot : *slots) {
      SKIFF_RETURN_IF_ERROR(SetFieldValue(slot, value, target.options, arena));
    }
  }
  return Status::Ok();
}

bool RejectedById(const std::vector<ReplacementSelector>& rejects, const ResId& id) {
  for (const ReplacementSelector& reject : rejects) {
    if (!reject.id.Empty() && reject.id.Selects(id)) return true;
  }
  return false;
}

bool RejectedByLabels(const std::vector<ReplacementSelector>& rejects, const Resource& r) {
  for (const ReplacementSelector& reject : rejects) {
    if (!reject.has_labels && !reject.has_annotations) continue;
    if (reject.MatchesLabelsAndAnnotations(r)) return true;
  }
  return false;
}

// kustomize checks the rejects per identity: an object whose current id is
// rejected is still a target when one of its previous ids is selected and
// not rejected.
bool IsTarget(const Resource& r, const ReplacementTarget& target) {
  if (!target.select.MatchesLabelsAndAnnotations(r) || RejectedByLabels(target.reject, r)) {
    return false;
  }
  for (const ResId& id : AllIds(r)) {
    if (target.select.id.Selects(id) && !RejectedById(target.reject, id)) return true;
  }
  return false;
}

Result<Resource*> FindSource(ResourceSet& set, const ReplacementIdSelector& selector) {
  Resource* found = nullptr;
  for (Resource& r : set) {
    for (const ResId& id : AllIds(r)) {
      if (!selector.Selects(id)) continue;
      if (found != nullptr) {
        return MakeError("multiple matches for selector " + selector.String());
      }
      found = &r;
      break;
    }
  }
  if (found == nullptr) return MakeError("nothing selected by " + selector.String());
  return found;
}

Status ApplyOne(const Replacement& rep, ResourceSet& set, Arena& arena) {
  SKIFF_ASSIGN_OR_RETURN(Resource * source, FindSource(set, rep.source));
  const Node* value = LookupField(source->root, rep.source_path);
  if (IsNilOrEmpty(value)) {
    return MakeError("fieldPath `" + rep.source_path.text + "` is missing for replacement source " +
                     rep.source.String());
  }
  SKIFF_ASSIGN_OR_RETURN(value, RefineSource(value, rep.source_options, arena));
  // Copy first: a target may be the source itself.
  value = arena.Clone(value);
  for (const ReplacementTarget& target : rep.targets) {
    for (Resource& r : set) {
      if (!IsTarget(r, target)) continue;
      Status s = CopyToTarget(r, value, target, arena);
      if (!s.ok()) {
        return s.error().Wrap(r.origin.String() + ": " + r.GetGvk().kind + " " +
                              std::string(r.Name()));
      }
    }
  }
  return Status::Ok();
}

}  // namespace

bool ReplacementIdSelector::Empty() const {
  return group.empty() && version.empty() && kind.empty() && name.empty() && ns.empty();
}

bool ReplacementIdSelector::Selects(const ResId& id) const {
  auto same_ns = [&] {
    // An unset namespace is the default namespace.
    std::string_view have = id.ns.empty() ? "default" : std::string_view(id.ns);
    return have == ns || (ns == "default" && id.ns.empty());
  };
  return (group.empty() || group == id.gvk.group) &&
         (version.empty() || version == id.gvk.version) &&
         (kind.empty() || kind == id.gvk.kind) && (name.empty() || name == id.name) &&
         (ns.empty() || same_ns());
}

std::string ReplacementIdSelector::String() const {
  auto part = [](const std::string& s, const char* none) { return s.empty() ? none : s; };
  return part(kind, "[noKind]") + "." + part(version, "[noVer]") + "." + part(group, "[noGrp]") +
         "/" + part(name, "[noName]") + "." + part(ns, "[noNs]");
}

bool ReplacementSelector::MatchesLabelsAndAnnotations(const Resource& r) const {
  const Node* metadata = r.root->Get("metadata");
  const Node* l = metadata == nullptr ? nullptr : metadata->Get("labels");
  const Node* a = metadata == nullptr ? nullptr : metadata->Get("annotations");
  return (!has_labels || labels.Matches(l)) && (!has_annotations || annotations.Matches(a));
}

Status ReplacementsTransformer::Apply(ResourceSet& set, RenderContext& ctx) {
  for (const Replacement& rep : replacements_) {
    Status s = ApplyOne(rep, set, ctx.arena);
    if (!s.ok()) return s.error().Wrap(rep.where);
  }
  return Status::Ok();
}

Result<TransformerPtr> MakeReplacementsTransformer(const Node* value, RenderContext& ctx) {
  SKIFF_ASSIGN_OR_RETURN(std::vector<Replacement> replacements, ReadReplacements(value, ctx));
  return TransformerPtr(new ReplacementsTransformer(std::move(replacements)));
}

}  // namespace skiff
