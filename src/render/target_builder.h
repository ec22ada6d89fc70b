// Builds one kustomization directory into a resource set with kustomize's
// pipeline: resources (files, and directories built recursively as bases),
// configurations, crds, generators, components, then the built-in
// transformers in their fixed order. The top-level steps that follow (hash
// suffixes, name references, local-config drop, sort) live in render.h.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "base/result.h"
#include "model/node.h"
#include "model/resource_set.h"
#include "render/build_metadata.h"
#include "render/configurations.h"
#include "render/kustomization.h"
#include "render/openapi_schema.h"
#include "render/transformer.h"
#include "render/vars.h"

namespace skiff {

class PathCacheState;

// One build: every object it makes lives in `arena` or, when bases are built
// on worker threads, in arenas added to `worker_arenas`; deprecation warnings
// are appended to `warnings` in the order kustomize prints them.
// Invariant: `visiting_` holds the resolved roots of the kustomizations
// being built, outermost first, so a base that contains one of them is a
// cycle.
class TargetBuilder {
 public:
  TargetBuilder(Arena& arena, std::vector<std::string>& warnings)
      : arena_(arena), warnings_(warnings) {}

  // Lets the first kustomization that lists two or more bases build them on
  // up to `threads` threads (each base in its own arena, kept alive in
  // `worker_arenas`), merging the results in listing order: the output,
  // warnings and errors are those of the sequential build.
  void EnableParallelBases(std::vector<std::unique_ptr<Arena>>* worker_arenas, size_t threads) {
    worker_arenas_ = worker_arenas;
    threads_ = threads;
  }

  // Builds the top kustomization `k` (already loaded) into `set`.
  Status BuildTop(const Kustomization& k, ResourceSet& set);

  // After BuildTop: the field-spec tables of the top kustomization (the
  // built-in ones extended by every `configurations` file of the tree), and
  // the vars bound anywhere in the tree.
  const TransformerConfig& config() const { return top_scope_.config(); }
  const VarSet& vars() const { return vars_; }

 private:
  enum class Role { kBase, kComponent };
  struct ListedEntry;
  struct BaseBuild;

  Status Accumulate(const std::string& dir, Role role, const Kustomization& parent,
                    const Node* entry, ResourceSet& set);
  Status Run(const Kustomization& k, ResourceSet& set);
  Status AccumulateResources(const Kustomization& k, const FileLoader& loader, ResourceSet& set);
  // Accumulates one entry of `resources`/`bases`, classified once by
  // AccumulateResources.
  Status AccumulateEntry(const Kustomization& k, const FileLoader& loader,
                         const ListedEntry& listed, ResourceSet& set);
  Status BuildBase(const Kustomization& k, const FileLoader& loader, std::string_view field,
                   const Node* entry, ResourceSet& base);
  Status AddBase(const Kustomization& k, std::string_view field, const Node* entry,
                 ResourceSet&& base, ResourceSet& set);
  // Builds the bases among `entries` on worker threads; returns how many
  // leading entries it accumulated into `set` (the caller does the rest).
  Result<size_t> AccumulateInParallel(const Kustomization& k, const FileLoader& loader,
                                      const std::vector<ListedEntry>& entries, ResourceSet& set);
  void RunBaseBuild(const Kustomization& k, const FileLoader& loader, const ListedEntry& entry,
                    BaseBuild& out, PathCacheState* paths, Arena& objects) const;
  static void CompactObjects(ResourceSet& set, VarSet& vars, Arena& objects);
  Status AccumulateComponents(const Kustomization& k, const FileLoader& loader, ResourceSet& set);
  Status RunTransformers(const Kustomization& k, RenderContext& ctx, ResourceSet& set);
  std::string ConfiguredIn(const Kustomization& k) const;
  // Applies one built-in transformer and records it `times` times for
  // buildMetadata (kustomize's name for it: `kind`).
  Status RunTransformer(Result<TransformerPtr> made, const Kustomization& k, std::string_view kind,
                        size_t times, RenderContext& ctx, ResourceSet& set);
  void RecordTransformation(const Kustomization& k, std::string_view kind, ResourceSet& set);
  Status ChooseSchema(const Kustomization& k, const FileLoader& loader, bool first);
  Status CheckCycle(const std::string& candidate, const Kustomization& parent, const Node* entry);

  Arena& arena_;
  std::vector<std::string>& warnings_;
  std::vector<std::string> visiting_;
  // Tables of the set being accumulated: a base gets its own scope, merged
  // into its parent's when done; a component shares its parent's.
  ConfigurationScope top_scope_;
  ConfigurationScope* scope_ = &top_scope_;
  VarSet vars_;
  // The OpenAPI schema patches use, chosen by the first `openapi` met.
  SchemaSelection schema_;
  // The top kustomization's buildMetadata, and the directory of the
  // kustomization being built relative to the top one (origin paths).
  BuildMetadata metadata_;
  std::string origin_dir_;
  // Set on the top builder only: builders made for worker threads build
  // their bases sequentially.
  std::vector<std::unique_ptr<Arena>>* worker_arenas_ = nullptr;
  size_t threads_ = 1;
};

}  // namespace skiff
