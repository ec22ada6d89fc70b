#include "render/labels_transformer.h"

#include "render/builtin_transformers.h"

namespace skiff {

namespace {

Status SetPairs(Arena& arena, const FieldSpec& spec, FieldLeaf& leaf, const StringPairs& pairs) {
  Node* map = leaf.value;
  if (map == nullptr || map->IsNull()) {
    if (!spec.create) return Status::Ok();
    map = arena.NewMap();
    leaf.parent->Set(leaf.key, map);
  }
  if (!map->IsMap()) return MakeError("expected a map to hold the entries");
  for (const auto& [key, value] : pairs) map->Set(key, arena.NewString(value));
  return Status::Ok();
}

}  // namespace

Status MapEntriesTransformer::ApplyOne(Resource& r, Arena& arena) const {
  Gvk gvk = r.GetGvk();
  for (const FieldSpec& spec : *specs_) {
    if (!spec.Selects(gvk)) continue;
    Status s = VisitFields(arena, r.root, spec,
                           [&](FieldLeaf& leaf) { return SetPairs(arena, spec, leaf, pairs_); });
    if (!s.ok()) return s.error().Wrap(r.origin.String() + ": " + gvk.kind + " " +
                                       std::string(r.Name()));
  }
  return Status::Ok();
}

Status MapEntriesTransformer::Apply(ResourceSet& set, RenderContext& ctx) {
  if (pairs_.empty()) return Status::Ok();
  for (Resource& r : set) SKIFF_RETURN_IF_ERROR(ApplyOne(r, ctx.arena));
  return Status::Ok();
}

Result<std::vector<FieldSpec>> LabelEntrySpecs(std::vector<FieldSpec> fields,
                                               bool include_selectors, bool include_templates,
                                               const TransformerConfig& config) {
  std::vector<FieldSpec> specs = std::move(fields);
  if (include_selectors) {
    for (const FieldSpec& spec : config.common_labels) {
      SKIFF_RETURN_IF_ERROR(MergeFieldSpec(specs, spec));
    }
    return specs;
  }
  SKIFF_RETURN_IF_ERROR(MergeFieldSpec(specs, FieldSpec::Make("", "", "", "metadata/labels", true)));
  if (include_templates) {
    for (const FieldSpec& spec : config.template_labels) {
      SKIFF_RETURN_IF_ERROR(MergeFieldSpec(specs, spec));
    }
  }
  return specs;
}

namespace {

Result<bool> ReadBool(const Node* value, std::string_view field, const RenderContext& ctx) {
  if (value == nullptr || value->IsNull()) return false;
  if (value->kind() != NodeKind::kBool) return ArgError(ctx, value, field, "expected true or false");
  return value->scalar() == "true";
}

}  // namespace

Result<TransformerPtr> MakeLabelsTransformer(const Node* entry, RenderContext& ctx) {
  if (entry == nullptr || !entry->IsMap()) {
    return ArgError(ctx, entry, "labels", "expected each entry to be a map");
  }
  SKIFF_RETURN_IF_ERROR(CheckKnownKeys(
      entry, "labels", {"pairs", "includeSelectors", "includeTemplates", "fields"}, ctx));
  SKIFF_ASSIGN_OR_RETURN(StringPairs pairs,
                         ReadStringMapArg(entry->Get("pairs"), "labels.pairs", ctx));
  SKIFF_ASSIGN_OR_RETURN(bool selectors,
                         ReadBool(entry->Get("includeSelectors"), "labels.includeSelectors", ctx));
  SKIFF_ASSIGN_OR_RETURN(bool templates,
                         ReadBool(entry->Get("includeTemplates"), "labels.includeTemplates", ctx));
  SKIFF_ASSIGN_OR_RETURN(std::vector<FieldSpec> fields,
                         ReadFieldSpecsArg(entry->Get("fields"), "labels.fields", ctx));
  if (fields.empty() && selectors) {
    // The whole commonLabels table, whose specs are distinct (tables are
    // merged with MergeFieldSpec): merging it into nothing gives it back.
    return TransformerPtr(new MapEntriesTransformer(std::move(pairs), &ctx.config.common_labels));
  }
  Result<std::vector<FieldSpec>> specs =
      LabelEntrySpecs(std::move(fields), selectors, templates, ctx.config);
  if (!specs.ok()) return ArgError(ctx, entry, "labels", specs.error().message);
  return TransformerPtr(new MapEntriesTransformer(std::move(pairs), std::move(*specs)));
}

Result<TransformerPtr> MakeCommonLabelsTransformer(const Node* value, RenderContext& ctx) {
  SKIFF_ASSIGN_OR_RETURN(StringPairs pairs, ReadStringMapArg(value, "commonLabels", ctx));
  return TransformerPtr(new MapEntriesTransformer(std::move(pairs), &ctx.config.common_labels));
}

}  // namespace skiff
