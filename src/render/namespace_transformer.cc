#include "render/namespace_transformer.h"

#include <unordered_map>

#include "model/schema.h"
#include "render/builtin_transformers.h"
#include "render/openapi_schema.h"
#include "render/transformer_args.h"

namespace skiff {

namespace {

bool IsRoleBindingKind(std::string_view kind) {
  return kind == "RoleBinding" || kind == "ClusterRoleBinding";
}

bool IsCoreNamespace(const Gvk& gvk) {
  return gvk.group.empty() && gvk.version == "v1" && gvk.kind == "Namespace";
}

// Handled in code rather than through the table (as kustomize does):
// metadata.namespace depends on cluster scope, binding subjects on their
// name, and only the core v1 Namespace is renamed.
bool IsSpecialCased(const FieldSpec& spec, const Gvk& gvk) {
  std::string path = spec.PathString();
  if (path == "metadata/namespace") return true;
  if (IsRoleBindingKind(gvk.kind) && path.rfind("subjects", 0) == 0) return true;
  return path == "metadata/name" && spec.kind == "Namespace" && !IsCoreNamespace(gvk);
}

Status SetNamespaceLeaf(Arena& arena, FieldLeaf& leaf, std::string_view ns) {
  if (leaf.value != nullptr && !leaf.value->IsScalar()) {
    return MakeError("expected a string to hold the namespace");
  }
  leaf.parent->Set(leaf.key, arena.NewString(ns));
  return Status::Ok();
}

Status SetDefaultSubjects(Arena& arena, Node* root, std::string_view ns) {
  Node* subjects = root->Get("subjects");
  if (subjects == nullptr || !subjects->IsSeq()) return Status::Ok();
  for (Node* subject : subjects->items()) {
    if (!subject->IsMap()) return MakeError("subjects: expected each subject to be a map");
    const Node* name = subject->Get("name");
    if (name == nullptr || !name->IsScalar() || name->scalar() != "default") continue;
    subject->Set("namespace", arena.NewString(ns));
  }
  return Status::Ok();
}

// The built-in tables decide for the kinds they know; a custom OpenAPI
// document in force decides for the others through its `paths`, as in
// kustomize; a kind neither knows is namespaced.
bool IsClusterScopedKind(const Gvk& gvk, const OpenApiSchema* custom) {
  if (IsClusterScoped(gvk)) return true;
  if (custom == nullptr || SchemaTypeForGvk(gvk) != nullptr) return false;
  std::optional<bool> namespaced = custom->Namespaced(gvk);
  return namespaced.has_value() && !*namespaced;
}

}  // namespace

Status NamespaceTransformer::ApplyOne(Resource& r, Arena& arena,
                                      const OpenApiSchema* custom) const {
  Gvk gvk = r.GetGvk();
  if (!IsClusterScopedKind(gvk, custom)) {
    arena.GetOrCreateMap(r.root, "metadata")->Set("namespace", arena.NewString(namespace_));
  }
  std::string what = r.origin.String() + ": " + gvk.kind + " " + std::string(r.Name());
  if (IsRoleBindingKind(gvk.kind)) {
    Status s = SetDefaultSubjects(arena, r.root, namespace_);
    if (!s.ok()) return s.error().Wrap(what);
  }
  for (const FieldSpec& spec : specs_) {
    if (!spec.Selects(gvk) || IsSpecialCased(spec, gvk)) continue;
    Status s = VisitFields(arena, r.root, spec, [&](FieldLeaf& leaf) {
      return SetNamespaceLeaf(arena, leaf, namespace_);
    });
    if (!s.ok()) return s.error().Wrap(what);
  }
  return Status::Ok();
}

Status NamespaceTransformer::Apply(ResourceSet& set, RenderContext& ctx) {
  const OpenApiSchema* custom =
      ctx.schema != nullptr && ctx.schema->custom != nullptr ? ctx.schema->custom.get() : nullptr;
  for (Resource& r : set) {
    if (r.root == nullptr || !r.root->IsMap() || r.root->entries().empty()) continue;
    r.previous_ids.push_back(r.Id());
    SKIFF_RETURN_IF_ERROR(ApplyOne(r, ctx.arena, custom));
  }
  std::unordered_map<ResId, size_t, ResIdHash> seen;
  for (size_t i = 0; i < set.size(); ++i) {
    auto [it, inserted] = seen.emplace(set[i].Id(), i);
    if (!inserted) {
      return MakeError("namespace " + namespace_ + " gives two objects one identity " +
                       set[i].Id().String() + " (declared at " +
                       set[it->second].origin.String() + " and at " + set[i].origin.String() +
                       ")");
    }
  }
  set.Reindex();
  return Status::Ok();
}

Result<TransformerPtr> MakeNamespaceTransformer(const Node* value, RenderContext& ctx) {
  SKIFF_ASSIGN_OR_RETURN(std::string ns, ReadStringArg(value, "namespace", ctx));
  return TransformerPtr(new NamespaceTransformer(std::move(ns), ctx.config.name_space));
}

}  // namespace skiff
