#include "render/target_builder.h"

#include <iterator>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <utility>

#include "model/schema.h"
#include "render/builtin_transformers.h"
#include "render/crd_config.h"
#include "render/file_loader.h"
#include "render/generators.h"
#include "render/ordered_jobs.h"
#include "render/path_cache.h"
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

}  // namespace

Status TargetBuilder::BuildTop(const Kustomization& k, ResourceSet& set) {
  metadata_ = BuildMetadata::FromField(k.build_metadata);
  visiting_.push_back(k.dir);
  Status s = Run(k, set);
  visiting_.pop_back();
  SKIFF_RETURN_IF_ERROR(s);
  // kustomize reads an invalid custom schema lazily: it fails once it must
  // look up a kind outside the built-in tables.
  if (!schema_.invalid.empty()) {
    for (const Resource& r : set) {
      if (SchemaTypeForGvk(r.GetGvk()) == nullptr) return MakeError(schema_.invalid);
    }
  }
  return Status::Ok();
}

// kustomize settles the schema when it loads a kustomization, before its
// resources: the top one always, later ones only while none has chosen. The
// `path` file is read (and must exist) even when the choice is ignored.
Status TargetBuilder::ChooseSchema(const Kustomization& k, const FileLoader& loader, bool first) {
  if (k.open_api == nullptr || !k.open_api->IsMap()) return Status::Ok();
  const Node* path = k.open_api->Get("path");
  std::optional<std::string> document;
  if (path != nullptr && path->IsScalar()) {
    Result<std::string> text = loader.ReadFile(path->scalar(), "openapi.path");
    if (!text.ok()) return text.error().Wrap(k.Where(path));
    document = std::move(*text);
  }
  std::string file = path != nullptr ? loader.root() + "/" + std::string(path->scalar()) : k.file;
  return schema_.Choose(k.open_api, document ? &*document : nullptr, file, first,
                        k.Where(k.open_api));
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
  std::string parent_origin = origin_dir_;
  origin_dir_ = JoinOriginPath(origin_dir_, entry->scalar());
  Status s = Run(k, set);
  origin_dir_ = std::move(parent_origin);
  scope_ = parent_scope;
  visiting_.pop_back();
  if (s.ok() && role == Role::kBase) return scope_->MergeFrom(base_scope);
  return s;
}

Status TargetBuilder::Run(const Kustomization& k, ResourceSet& set) {
  SKIFF_RETURN_IF_ERROR(RefusePlugins(k));
  SKIFF_ASSIGN_OR_RETURN(FileLoader loader, FileLoader::ForRoot(k.dir));
  SKIFF_RETURN_IF_ERROR(ChooseSchema(k, loader, visiting_.size() == 1));
  SKIFF_RETURN_IF_ERROR(AccumulateResources(k, loader, set));
  SKIFF_RETURN_IF_ERROR(scope_->AddFiles(k.configurations, loader, arena_, k.file));
  if (!IsEmptyValue(k.crds)) {
    SKIFF_ASSIGN_OR_RETURN(TransformerConfig crds, LoadCrdConfig(k.crds, loader, k.file));
    SKIFF_RETURN_IF_ERROR(scope_->Add(crds));
  }
  if (k.config_map_generator != nullptr || k.secret_generator != nullptr) {
    RenderContext ctx{arena_, loader, k.file, scope_->config(), warnings_, &schema_};
    size_t before = set.size();
    SKIFF_RETURN_IF_ERROR(
        RunGenerators(k.config_map_generator, k.secret_generator, k.generator_options, set, ctx));
    for (size_t i = before; metadata_.track && i < set.size(); ++i) {
      bool secret = set[i].GetGvk().kind == "Secret";
      SetGeneratorOrigin(arena_, set[i], ConfiguredIn(k),
                         secret ? "SecretGenerator" : "ConfigMapGenerator");
    }
  }
  SKIFF_RETURN_IF_ERROR(AccumulateComponents(k, loader, set));
  // Made after the components: their configurations join this scope.
  RenderContext ctx{arena_, loader, k.file, scope_->config(), warnings_, &schema_};
  SKIFF_RETURN_IF_ERROR(RunTransformers(k, ctx, set));
  return vars_.Merge(k.vars, set, ctx);
}

struct TargetBuilder::ListedEntry {
  std::string field;  // "resources[3]"
  const Node* node;
  bool is_base;  // a local directory
};

// What a worker thread made of one base: everything the sequential build
// would have changed in the builder while building it.
struct TargetBuilder::BaseBuild {
  Status status = Status::Ok();
  std::vector<std::string> warnings;
  ResourceSet set;
  ConfigurationScope scope;
  VarSet vars;
  SchemaSelection schema;
};

Status TargetBuilder::AccumulateResources(const Kustomization& k, const FileLoader& loader,
                                          ResourceSet& set) {
  std::vector<ListedEntry> entries;
  for (auto [list, name] : {std::pair{k.resources, "resources"}, std::pair{k.bases, "bases"}}) {
    if (list == nullptr) continue;
    for (size_t i = 0; i < list->items().size(); ++i) {
      const Node* entry = list->items()[i];
      std::string_view path = entry->scalar();
      bool is_base = !LooksLikeRemoteUrl(path) &&
                     loader.Classify(path) == FileLoader::Entry::kDirectory;
      entries.push_back({std::string(name) + "[" + std::to_string(i) + "]", entry, is_base});
    }
  }
  size_t done = 0;
  if (worker_arenas_ != nullptr && threads_ > 1) {
    SKIFF_ASSIGN_OR_RETURN(done, AccumulateInParallel(k, loader, entries, set));
  }
  for (size_t i = done; i < entries.size(); ++i) {
    SKIFF_RETURN_IF_ERROR(AccumulateEntry(k, loader, entries[i], set));
  }
  return Status::Ok();
}

namespace {

// One arena per thread of a parallel build, for the compacted objects of
// the bases the thread builds; the calling thread takes ownership after.
class ThreadArenas {
 public:
  Arena& ForThisThread() {
    std::lock_guard<std::mutex> lock(mu_);
    auto [it, added] = by_thread_.try_emplace(std::this_thread::get_id(), nullptr);
    if (added) {
      owned_.push_back(std::make_unique<Arena>(Arena::Bulk{}));
      it->second = owned_.back().get();
    }
    return *it->second;
  }
  void MoveInto(std::vector<std::unique_ptr<Arena>>& out) {
    for (auto& a : owned_) out.push_back(std::move(a));
    owned_.clear();
    by_thread_.clear();
  }

 private:
  std::mutex mu_;
  std::unordered_map<std::thread::id, Arena*> by_thread_;
  std::vector<std::unique_ptr<Arena>> owned_;
};

}  // namespace

Result<size_t> TargetBuilder::AccumulateInParallel(const Kustomization& k,
                                                   const FileLoader& loader,
                                                   const std::vector<ListedEntry>& entries,
                                                   ResourceSet& set) {
  size_t bases = 0;
  for (const ListedEntry& e : entries) bases += e.is_base ? 1 : 0;
  if (bases < 2) return size_t{0};
  // Only this level goes parallel: the builders on worker threads do not.
  std::vector<std::unique_ptr<Arena>>* arenas = worker_arenas_;
  worker_arenas_ = nullptr;
  std::vector<BaseBuild> builds(entries.size());
  Status failed = Status::Ok();
  bool schema_changed = false;
  PathCacheState* paths = ScopedPathCache::Active();  // shared with the workers
  ThreadArenas objects;
  auto run = [&](size_t i) {
    if (entries[i].is_base) {
      RunBaseBuild(k, loader, entries[i], builds[i], paths, objects.ForThisThread());
    }
  };
  auto consume = [&](size_t i) {
    const ListedEntry& e = entries[i];
    if (!e.is_base) {
      failed = AccumulateEntry(k, loader, e, set);
      return failed.ok();
    }
    BaseBuild& b = builds[i];
    warnings_.insert(warnings_.end(), std::make_move_iterator(b.warnings.begin()),
                     std::make_move_iterator(b.warnings.end()));
    failed = b.status;
    if (failed.ok()) failed = scope_->MergeFrom(b.scope);
    if (failed.ok()) failed = vars_.Absorb(std::move(b.vars));
    if (failed.ok()) failed = AddBase(k, e.field, e.node, std::move(b.set), set);
    if (!failed.ok()) return false;
    // A base that chose the OpenAPI schema changes how every later entry is
    // built: those built in parallel with the old choice are rebuilt.
    schema_changed = b.schema.chosen != schema_.chosen;
    if (schema_changed) schema_ = b.schema;
    return !schema_changed;
  };
  size_t done = RunOrdered(entries.size(), threads_, run, consume);
  objects.MoveInto(*arenas);
  worker_arenas_ = arenas;
  if (!failed.ok()) return failed.error();
  return done;
}

void TargetBuilder::RunBaseBuild(const Kustomization& k, const FileLoader& loader,
                                 const ListedEntry& entry, BaseBuild& out,
                                 PathCacheState* paths, Arena& objects) const {
  ScopedPathCache path_cache(paths);
  // From the heap: once the objects are copied out (CompactObjects) it is
  // freed, and this thread's next build reuses the memory. A failed build's
  // objects are dropped unread.
  Arena arena;
  {
    TargetBuilder child(arena, out.warnings);
    child.visiting_ = visiting_;
    child.schema_ = schema_;
    child.metadata_ = metadata_;
    child.origin_dir_ = origin_dir_;
    out.status = child.BuildBase(k, loader, entry.field, entry.node, out.set);
    if (out.status.ok()) CompactObjects(out.set, child.vars_, objects);
    out.scope = child.top_scope_;
    out.vars = std::move(child.vars_);
    out.schema = child.schema_;
  }
}

// The build's arena interleaves the objects with everything made on the way
// (parsed kustomizations and patches, values replaced by transformers), and
// every step after the merge walks every object: name references, sorting,
// writing YAML (twice as fast over compact nodes). So the finished objects
// are copied, depth first, into the arena the thread fills with the objects
// of all the bases it builds (one per thread: an arena per base would leave
// a partly used chunk per base, and fresh slab memory costs its zeroing),
// while they are still in its cache; the build's arena is dropped: what else
// the build leaves (warnings, configuration tables, vars, the schema choice)
// owns its data, and vars bound to an object follow its copy.
void TargetBuilder::CompactObjects(ResourceSet& set, VarSet& vars, Arena& objects) {
  std::unordered_map<const Node*, Node*> moved;
  for (Resource& r : set) {
    Node* copy = objects.Clone(r.root);
    if (!vars.empty()) moved.emplace(r.root, copy);
    r.root = copy;
  }
  if (!moved.empty()) vars.RebindRoots(moved);
}

Status TargetBuilder::BuildBase(const Kustomization& k, const FileLoader& loader,
                                std::string_view field, const Node* entry, ResourceSet& base) {
  Result<std::string> dir = loader.ResolveDir(entry->scalar());
  if (!dir.ok()) return dir.error().Wrap(k.Where(entry) + ": " + std::string(field));
  return Accumulate(*dir, Role::kBase, k, entry, base);
}

Status TargetBuilder::AddBase(const Kustomization& k, std::string_view field, const Node* entry,
                              ResourceSet&& base, ResourceSet& set) {
  Status s = set.Append(std::move(base));
  if (!s.ok()) {
    return s.error().Wrap(k.Where(entry) + ": " + std::string(field) + ": merging base " +
                          Quoted(entry->scalar()));
  }
  return Status::Ok();
}

Status TargetBuilder::AccumulateEntry(const Kustomization& k, const FileLoader& loader,
                                      const ListedEntry& listed, ResourceSet& set) {
  std::string_view field = listed.field;
  const Node* entry = listed.node;
  std::string_view path = entry->scalar();
  std::string where = k.Where(entry);
  if (listed.is_base) {
    ResourceSet base;
    SKIFF_RETURN_IF_ERROR(BuildBase(k, loader, field, entry, base));
    return AddBase(k, field, entry, std::move(base), set);
  }
  Result<std::string> text = loader.ReadFile(path, field);
  if (!text.ok()) return text.error().Wrap(where);
  std::string file = loader.root() + "/" + std::string(path);
  Result<std::vector<Resource>> objects = LoadResources(*text, file, arena_);
  if (!objects.ok()) return objects.error().Wrap(where + ": " + std::string(field));
  for (Resource& r : *objects) {
    if (metadata_.track) SetFileOrigin(arena_, r, JoinOriginPath(origin_dir_, path));
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

std::string TargetBuilder::ConfiguredIn(const Kustomization& k) const {
  size_t slash = k.file.rfind('/');
  return JoinOriginPath(origin_dir_,
                        slash == std::string::npos ? k.file : k.file.substr(slash + 1));
}

Status TargetBuilder::RunTransformer(Result<TransformerPtr> made, const Kustomization& k,
                                     std::string_view kind, size_t times, RenderContext& ctx,
                                     ResourceSet& set) {
  if (!made.ok()) return made.error();
  SKIFF_RETURN_IF_ERROR((*made)->Apply(set, ctx));
  for (size_t i = 0; i < times; ++i) RecordTransformation(k, kind, set);
  return Status::Ok();
}

void TargetBuilder::RecordTransformation(const Kustomization& k, std::string_view kind,
                                         ResourceSet& set) {
  if (metadata_.track) AddTransformation(arena_, set, ConfiguredIn(k), kind);
}

Status TargetBuilder::RunTransformers(const Kustomization& k, RenderContext& ctx,
                                      ResourceSet& set) {
  // kustomize runs one transformer per patchesJson6902 and replicas entry;
  // skiff applies each list at once but records one transformation each.
  auto count = [](const Node* list) { return list != nullptr ? list->items().size() : 0; };
  if (!IsEmptyValue(k.patches_strategic_merge)) {
    SKIFF_RETURN_IF_ERROR(
        RunTransformer(MakePatchesStrategicMergeTransformer(k.patches_strategic_merge, ctx), k,
                       "PatchStrategicMergeTransformer", 1, ctx, set));
  }
  if (k.patches != nullptr) {
    for (const Node* entry : k.patches->items()) {
      SKIFF_RETURN_IF_ERROR(
          RunTransformer(MakePatchTransformer(entry, ctx), k, "PatchTransformer", 1, ctx, set));
    }
  }
  if (!IsEmptyValue(k.name_space)) {
    SKIFF_RETURN_IF_ERROR(RunTransformer(MakeNamespaceTransformer(k.name_space, ctx), k,
                                         "NamespaceTransformer", 1, ctx, set));
  }
  if (!IsEmptyValue(k.name_prefix)) {
    SKIFF_RETURN_IF_ERROR(RunTransformer(MakeNamePrefixTransformer(k.name_prefix, ctx), k,
                                         "PrefixTransformer", 1, ctx, set));
  }
  if (!IsEmptyValue(k.name_suffix)) {
    SKIFF_RETURN_IF_ERROR(RunTransformer(MakeNameSuffixTransformer(k.name_suffix, ctx), k,
                                         "SuffixTransformer", 1, ctx, set));
  }
  if (k.labels != nullptr) {
    for (const Node* entry : k.labels->items()) {
      SKIFF_RETURN_IF_ERROR(
          RunTransformer(MakeLabelsTransformer(entry, ctx), k, "LabelTransformer", 1, ctx, set));
    }
  }
  if (!IsEmptyValue(k.common_labels)) {
    SKIFF_RETURN_IF_ERROR(RunTransformer(MakeCommonLabelsTransformer(k.common_labels, ctx), k,
                                         "LabelTransformer", 1, ctx, set));
  } else if (k.labels != nullptr && !k.labels->items().empty()) {
    // kustomize adds a commonLabels transformer after `labels` entries even
    // with no commonLabels; buildMetadata shows it.
    RecordTransformation(k, "LabelTransformer", set);
  }
  if (!IsEmptyValue(k.common_annotations)) {
    SKIFF_RETURN_IF_ERROR(
        RunTransformer(MakeCommonAnnotationsTransformer(k.common_annotations, ctx), k,
                       "AnnotationsTransformer", 1, ctx, set));
  }
  if (!IsEmptyValue(k.patches_json6902)) {
    SKIFF_RETURN_IF_ERROR(
        RunTransformer(MakePatchesJson6902Transformer(k.patches_json6902, ctx), k,
                       "PatchJson6902Transformer", count(k.patches_json6902), ctx, set));
  }
  if (!IsEmptyValue(k.replicas)) {
    SKIFF_RETURN_IF_ERROR(RunTransformer(MakeReplicasTransformer(k.replicas, ctx), k,
                                         "ReplicaCountTransformer", count(k.replicas), ctx, set));
  }
  for (const Node* list : {k.images, k.image_tags}) {
    if (list == nullptr) continue;
    for (const Node* entry : list->items()) {
      SKIFF_RETURN_IF_ERROR(RunTransformer(MakeImageTransformer(entry, ctx), k,
                                           "ImageTagTransformer", 1, ctx, set));
    }
  }
  if (!IsEmptyValue(k.replacements)) {
    SKIFF_RETURN_IF_ERROR(RunTransformer(MakeReplacementsTransformer(k.replacements, ctx), k,
                                         "ReplacementTransformer", 1, ctx, set));
  }
  return Status::Ok();
}

}  // namespace skiff
