#include "render/name_affix_transformer.h"

#include "render/builtin_transformers.h"
#include "render/transformer_args.h"

namespace skiff {

bool NameAffixTransformer::IsExempt(const Gvk& gvk) {
  return gvk.kind == "CustomResourceDefinition" || gvk.kind == "Namespace" ||
         (gvk.kind == "APIService" && gvk.group == "apiregistration.k8s.io");
}

Status NameAffixTransformer::ApplyOne(Resource& r, Arena& arena) const {
  ResId original = r.previous_ids.empty() ? r.Id() : r.previous_ids.front();
  if (IsExempt(original.gvk)) return Status::Ok();
  for (const FieldSpec& spec : specs_) {
    if (!spec.Selects(original.gvk)) continue;
    if (spec.PathString() == "metadata/name" && !affix_.empty()) {
      r.previous_ids.push_back(r.Id());
      (position_ == Position::kPrefix ? r.name_prefixes : r.name_suffixes).push_back(affix_);
    }
    Status s = VisitFields(arena, r.root, spec, [&](FieldLeaf& leaf) -> Status {
      if (leaf.value == nullptr || leaf.value->IsNull()) return Status::Ok();
      if (!leaf.value->IsScalar()) return MakeError("expected a string name");
      std::string name = position_ == Position::kPrefix
                             ? affix_ + std::string(leaf.value->scalar())
                             : std::string(leaf.value->scalar()) + affix_;
      leaf.value->SetScalar(NodeKind::kString, arena.Str(name));
      return Status::Ok();
    });
    if (!s.ok()) {
      return s.error().Wrap(r.origin.String() + ": " + original.gvk.kind + " " +
                            std::string(r.Name()));
    }
  }
  return Status::Ok();
}

Status NameAffixTransformer::Apply(ResourceSet& set, RenderContext& ctx) {
  for (Resource& r : set) SKIFF_RETURN_IF_ERROR(ApplyOne(r, ctx.arena));
  set.Reindex();
  return Status::Ok();
}

Result<TransformerPtr> MakeNamePrefixTransformer(const Node* value, RenderContext& ctx) {
  SKIFF_ASSIGN_OR_RETURN(std::string prefix, ReadStringArg(value, "namePrefix", ctx));
  return TransformerPtr(new NameAffixTransformer(NameAffixTransformer::Position::kPrefix,
                                                 std::move(prefix), ctx.config.name_prefix));
}

Result<TransformerPtr> MakeNameSuffixTransformer(const Node* value, RenderContext& ctx) {
  SKIFF_ASSIGN_OR_RETURN(std::string suffix, ReadStringArg(value, "nameSuffix", ctx));
  return TransformerPtr(new NameAffixTransformer(NameAffixTransformer::Position::kSuffix,
                                                 std::move(suffix), ctx.config.name_suffix));
}

}  // namespace skiff
