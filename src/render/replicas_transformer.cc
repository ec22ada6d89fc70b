#include "render/replicas_transformer.h"

#include <charconv>

#include "render/builtin_transformers.h"
#include "render/transformer_args.h"

namespace skiff {

namespace {

bool NamedAnyTime(const Resource& r, std::string_view name, const FieldSpec& spec) {
  if (r.Name() == name && spec.Selects(r.GetGvk())) return true;
  for (const ResId& id : r.previous_ids) {
    if (id.name == name && spec.Selects(id.gvk)) return true;
  }
  return false;
}

std::string SpecKinds(const std::vector<FieldSpec>& specs) {
  std::string out;
  for (const FieldSpec& spec : specs) {
    if (!out.empty()) out += ", ";
    out += spec.kind.empty() ? "any kind" : spec.kind;
  }
  return out;
}

}  // namespace

Status ReplicasTransformer::ApplyRule(const ReplicaRule& rule, ResourceSet& set,
                                      Arena& arena) const {
  bool found = false;
  for (const FieldSpec& spec : specs_) {
    for (Resource& r : set) {
      if (!NamedAnyTime(r, rule.name, spec)) continue;
      found = true;
      Status s = VisitFields(arena, r.root, spec, [&](FieldLeaf& leaf) -> Status {
        if (leaf.value != nullptr && !leaf.value->IsScalar()) {
          return MakeError("expected a number of replicas");
        }
        leaf.parent->Set(leaf.key, arena.NewInt(rule.count));
        return Status::Ok();
      });
      if (!s.ok()) {
        return s.error().Wrap(r.origin.String() + ": " + r.GetGvk().kind + " " +
                              std::string(r.Name()));
      }
    }
  }
  if (!found) {
    return MakeError("replicas: no object named " + rule.name + " of kind " + SpecKinds(specs_));
  }
  return Status::Ok();
}

Status ReplicasTransformer::Apply(ResourceSet& set, RenderContext& ctx) {
  for (const ReplicaRule& rule : rules_) SKIFF_RETURN_IF_ERROR(ApplyRule(rule, set, ctx.arena));
  return Status::Ok();
}

namespace {

Result<ReplicaRule> ReadRule(const Node* entry, const RenderContext& ctx) {
  if (!entry->IsMap()) return ArgError(ctx, entry, "replicas", "expected each entry to be a map");
  SKIFF_RETURN_IF_ERROR(CheckKnownKeys(entry, "replicas", {"name", "count"}, ctx));
  ReplicaRule rule;
  SKIFF_ASSIGN_OR_RETURN(rule.name, ReadStringArg(entry->Get("name"), "replicas.name", ctx));
  const Node* count = entry->Get("count");
  if (count != nullptr && !count->IsNull()) {
    std::string_view text = count->scalar();
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), rule.count);
    if (count->kind() != NodeKind::kInt || ec != std::errc() || end != text.data() + text.size()) {
      return ArgError(ctx, count, "replicas.count", "expected an integer");
    }
  }
  return rule;
}

}  // namespace

Result<TransformerPtr> MakeReplicasTransformer(const Node* value, RenderContext& ctx) {
  std::vector<ReplicaRule> rules;
  if (value != nullptr && !value->IsNull()) {
    if (!value->IsSeq()) return ArgError(ctx, value, "replicas", "expected a list");
    for (const Node* entry : value->items()) {
      SKIFF_ASSIGN_OR_RETURN(ReplicaRule rule, ReadRule(entry, ctx));
      rules.push_back(std::move(rule));
    }
  }
  return TransformerPtr(new ReplicasTransformer(std::move(rules), ctx.config.replicas));
}

}  // namespace skiff
