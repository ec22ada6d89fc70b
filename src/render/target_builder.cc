#include "render/target_builder.h"

#include "render/builtin_transformers.h"
#include "render/file_loader.h"
#include "render/generators.h"
#include "render/resource_loader.h"
#include "yaml/yaml.h"

namespace skiff {
namespace {

std::string Quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

bool IsEmptyValue(const Node* n) {
  if (n == nullptr || n->IsNull()) return true;
  if (n->IsMap()) return n->entries().empty();
  if (n->IsSeq()) return n->items().empty();
  return n->scalar().empty();
}

// Fields whose features run code or reach the network: refused by design.
Status RefusePlugins(const Kustomization& k) {
  struct Refused {
    const Node* value;
    std::string_view field;
  };
  for (const Refused& r : {Refused{k.helm_charts, "helmCharts"},
                           Refused{k.helm_globals, "helmGlobals"},
                           Refused{k.helm_chart_inflation_generator, "helmChartInflationGenerator"},
                           Refused{k.generators, "generators"},
                           Refused{k.transformers, "transformers"},
                           Refused{k.validators, "validators"}}) {
    if (IsEmptyValue(r.value)) continue;
    return MakeError(k.Where(r.value) + ": " + std::string(r.field) +
                     ": plugins and helm charts are refused: skiff never runs code named by a "
                     "kustomization");
  }
  return Status::Ok();
}

// Fields whose implementation has not landed yet.
Status RefuseUnsupported(const Kustomization& k) {
  struct Pending {
    const Node* value;
    std::string_view field;
  };
  for (const Pending& p : {Pending{k.crds, "crds"},
                           Pending{k.open_api, "openapi"}}) {
    if (IsEmptyValue(p.value)) continue;
    return MakeError(k.Where(p.value) + ": " + std::string(p.field) + " is not supported yet");
  }
  return Status::Ok();
}

Status ApplyTransformer(Result<TransformerPtr> made, ResourceSet& set, RenderContext& ctx) {
  if (!made.ok()) return made.error();
  return (*made)->Apply(set, ctx);
}

}  // namespace

Status TargetBuilder::BuildTop(const Kustomization& k, ResourceSet& set) {
  visiting_.push_back(k.dir);
  Status s = Run(k, set);
  visiting_.pop_back();
  return s;
}

Status TargetBuilder::CheckCycle(const std::string& candidate, const Kustomization& parent,
                                 const Node* entry) {
  for (const std::string& root : visiting_) {
    bool contains = root == candidate ||
                    (root.size() > candidate.size() && root.compare(0, candidate.size(),
                                                                    candidate) == 0 &&
                     (candidate == "/" || root[candidate.size()] == '/'));
    if (contains) {
      return MakeError(parent.Where(entry) + ": cycle detected: " + Quoted(candidate) +
                       " contains " + Quoted(root) + ", which is already being built");
    }
  }
  return Status::Ok();
}

Status TargetBuilder::Accumulate(const std::string& dir, Role role, const Kustomization& parent,
                                 const Node* entry, ResourceSet& set) {
  SKIFF_RETURN_IF_ERROR(CheckCycle(dir, parent, entry));
  Result<Kustomization> loaded = LoadKustomization(dir, arena_, warnings_);
  if (!loaded.ok()) return loaded.error().Wrap(parent.Where(entry));
  const Kustomization& k = *loaded;
  if (role == Role::kBase && k.is_component) {
    return MakeError(parent.Where(entry) + ": " + Quoted(entry->scalar()) +
                     " is a Component; list it under components, not resources");
  }
  if (role == Role::kComponent && !k.is_component) {
    return MakeError(parent.Where(entry) + ": expected kind 'Component' for " +
                     Quoted(entry->scalar()) + " but got 'Kustomization'");
  }
  visiting_.push_back(dir);
  ConfigurationScope base_scope;
  ConfigurationScope* parent_scope = scope_;
  if (role == Role::kBase) scope_ = &base_scope;
  Status s = Run(k, set);
  scope_ = parent_scope;
  visiting_.pop_back();
  if (s.ok() && role == Role::kBase) return scope_->MergeFrom(base_scope);
  return s;
}

Status TargetBuilder::Run(const Kustomization& k, ResourceSet& set) {
  SKIFF_RETURN_IF_ERROR(RefusePlugins(k));
  SKIFF_RETURN_IF_ERROR(RefuseUnsupported(k));
  SKIFF_ASSIGN_OR_RETURN(FileLoader loader, FileLoader::ForRoot(k.dir));
  SKIFF_RETURN_IF_ERROR(AccumulateResources(k, loader, set));
  SKIFF_RETURN_IF_ERROR(scope_->AddFiles(k.configurations, loader, arena_, k.file));
  if (k.config_map_generator != nullptr || k.secret_generator != nullptr) {
    RenderContext ctx{arena_, loader, k.file, scope_->config(), warnings_};
    SKIFF_RETURN_IF_ERROR(
        RunGenerators(k.config_map_generator, k.secret_generator, k.generator_options, set, ctx));
  }
  SKIFF_RETURN_IF_ERROR(AccumulateComponents(k, loader, set));
  // Made after the components: their configurations join this scope.
  RenderContext ctx{arena_, loader, k.file, scope_->config(), warnings_};
  SKIFF_RETURN_IF_ERROR(RunTransformers(k, ctx, set));
  return vars_.Merge(k.vars, set, ctx);
}

Status TargetBuilder::AccumulateResources(const Kustomization& k, const FileLoader& loader,
                                          ResourceSet& set) {
  if (k.resources != nullptr) {
    for (size_t i = 0; i < k.resources->items().size(); ++i) {
      SKIFF_RETURN_IF_ERROR(AccumulateEntry(k, loader, "resources[" + std::to_string(i) + "]",
                                            k.resources->items()[i], set));
    }
  }
  if (k.bases != nullptr) {
    for (size_t i = 0; i < k.bases->items().size(); ++i) {
      SKIFF_RETURN_IF_ERROR(AccumulateEntry(k, loader, "bases[" + std::to_string(i) + "]",
                                            k.bases->items()[i], set));
    }
  }
  return Status::Ok();
}

Status TargetBuilder::AccumulateEntry(const Kustomization& k, const FileLoader& loader,
                                      std::string_view field, const Node* entry,
                                      ResourceSet& set) {
  std::string_view path = entry->scalar();
  std::string where = k.Where(entry);
  if (!LooksLikeRemoteUrl(path) && loader.Classify(path) == FileLoader::Entry::kDirectory) {
    Result<std::string> dir = loader.ResolveDir(path);
    if (!dir.ok()) return dir.error().Wrap(where + ": " + std::string(field));
    ResourceSet base;
    SKIFF_RETURN_IF_ERROR(Accumulate(*dir, Role::kBase, k, entry, base));
    Status s = set.Append(std::move(base));
    if (!s.ok()) {
      return s.error().Wrap(where + ": " + std::string(field) + ": merging base " + Quoted(path));
    }
    return Status::Ok();
  }
  Result<std::string> text = loader.ReadFile(path, field);
  if (!text.ok()) return text.error().Wrap(where);
  std::string file = loader.root() + "/" + std::string(path);
  Result<std::vector<Resource>> objects = LoadResources(*text, file, arena_);
  if (!objects.ok()) return objects.error().Wrap(where + ": " + std::string(field));
  for (Resource& r : *objects) {
    Status s = set.Add(std::move(r));
    if (!s.ok()) return s.error().Wrap(where + ": " + std::string(field));
  }
  return Status::Ok();
}

Status TargetBuilder::AccumulateComponents(const Kustomization& k, const FileLoader& loader,
                                           ResourceSet& set) {
  if (k.components == nullptr) return Status::Ok();
  for (size_t i = 0; i < k.components->items().size(); ++i) {
    const Node* entry = k.components->items()[i];
    std::string field = "components[" + std::to_string(i) + "]";
    Result<std::string> dir = loader.ResolveDir(entry->scalar());
    if (!dir.ok()) return dir.error().Wrap(k.Where(entry) + ": " + field);
    SKIFF_RETURN_IF_ERROR(Accumulate(*dir, Role::kComponent, k, entry, set));
  }
  return Status::Ok();
}

Status TargetBuilder::RunTransformers(const Kustomization& k, RenderContext& ctx,
                                      ResourceSet& set) {
  if (!IsEmptyValue(k.patches_strategic_merge)) {
    SKIFF_RETURN_IF_ERROR(ApplyTransformer(
        MakePatchesStrategicMergeTransformer(k.patches_strategic_merge, ctx), set, ctx));
  }
  if (k.patches != nullptr) {
    for (const Node* entry : k.patches->items()) {
      SKIFF_RETURN_IF_ERROR(ApplyTransformer(MakePatchTransformer(entry, ctx), set, ctx));
    }
  }
  if (!IsEmptyValue(k.name_space)) {
    SKIFF_RETURN_IF_ERROR(
        ApplyTransformer(MakeNamespaceTransformer(k.name_space, ctx), set, ctx));
  }
  if (!IsEmptyValue(k.name_prefix)) {
    SKIFF_RETURN_IF_ERROR(
        ApplyTransformer(MakeNamePrefixTransformer(k.name_prefix, ctx), set, ctx));
  }
  if (!IsEmptyValue(k.name_suffix)) {
    SKIFF_RETURN_IF_ERROR(
        ApplyTransformer(MakeNameSuffixTransformer(k.name_suffix, ctx), set, ctx));
  }
  if (k.labels != nullptr) {
    for (const Node* entry : k.labels->items()) {
      SKIFF_RETURN_IF_ERROR(ApplyTransformer(MakeLabelsTransformer(entry, ctx), set, ctx));
    }
  }
  if (!IsEmptyValue(k.common_labels)) {
    SKIFF_RETURN_IF_ERROR(
        ApplyTransformer(MakeCommonLabelsTransformer(k.common_labels, ctx), set, ctx));
  }
  if (!IsEmptyValue(k.common_annotations)) {
    SKIFF_RETURN_IF_ERROR(
        ApplyTransformer(MakeCommonAnnotationsTransformer(k.common_annotations, ctx), set, ctx));
  }
  if (!IsEmptyValue(k.patches_json6902)) {
    SKIFF_RETURN_IF_ERROR(ApplyTransformer(
        MakePatchesJson6902Transformer(k.patches_json6902, ctx), set, ctx));
  }
  if (!IsEmptyValue(k.replicas)) {
    SKIFF_RETURN_IF_ERROR(ApplyTransformer(MakeReplicasTransformer(k.replicas, ctx), set, ctx));
  }
  for (const Node* list : {k.images, k.image_tags}) {
    if (list == nullptr) continue;
    for (const Node* entry : list->items()) {
      SKIFF_RETURN_IF_ERROR(ApplyTransformer(MakeImageTransformer(entry, ctx), set, ctx));
    }
  }
  if (!IsEmptyValue(k.replacements)) {
    SKIFF_RETURN_IF_ERROR(
        ApplyTransformer(MakeReplacementsTransformer(k.replacements, ctx), set, ctx));
  }
  return Status::Ok();
}

}  // namespace skiff
