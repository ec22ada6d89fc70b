#include "render/render.h"

#include <algorithm>
#include <array>

#include "render/build_metadata.h"
#include "render/file_loader.h"
#include "render/generators.h"
#include "render/json_encodable.h"
#include "render/kustomization.h"
#include "render/order.h"
#include "render/ordered_jobs.h"
#include "render/path_cache.h"
#include "render/target_builder.h"
#include "render/transformer.h"
#include "yaml/simple_block_writer.h"
#include "yaml/yaml.h"

namespace skiff {
namespace {

// Annotations kustomize and kyaml use for bookkeeping and remove before
// printing; any other annotation, even under internal.config.kubernetes.io/,
// is printed as written.
constexpr std::array<std::string_view, 20> kBuildAnnotations = {
    "config.kubernetes.io/index",
    "config.kubernetes.io/path",
    "config.kubernetes.io/origin",
    "config.k8s.io/id",
    "alpha.config.kubernetes.io/transformations",
    "internal.config.kubernetes.io/index",
    "internal.config.kubernetes.io/path",
    "internal.config.kubernetes.io/id",
    "internal.config.kubernetes.io/seqindent",
    "internal.config.kubernetes.io/annotations-migration-resource-id",
    "internal.config.kubernetes.io/previousNames",
    "internal.config.kubernetes.io/previousKinds",
    "internal.config.kubernetes.io/previousNamespaces",
    "internal.config.kubernetes.io/prefixes",
    "internal.config.kubernetes.io/suffixes",
    "internal.config.kubernetes.io/generatorBehavior",
    "internal.config.kubernetes.io/needsHashSuffix",
    "internal.config.kubernetes.io/allowNameChange",
    "internal.config.kubernetes.io/allowKindChange",
    "internal.config.kubernetes.io/refBy",
};

bool IsBuildAnnotation(std::string_view key) {
  for (std::string_view a : kBuildAnnotations) {
    if (a == key) return true;
  }
  return false;
}

bool AnyRenamed(const ResourceSet& set) {
  for (const Resource& r : set) {
    if (!r.previous_ids.empty() || r.needs_hash_suffix) return true;
  }
  return false;
}

Status FinishTopLevel(const Kustomization& top, const TargetBuilder& builder, Arena& arena,
                      ResourceSet& set, const RenderOptions& options,
                      std::vector<std::string>& warnings) {
  SKIFF_ASSIGN_OR_RETURN(SortOptions sort, ParseSortOptions(top.sort_options,
                                                            top.Where(top.sort_options)));
  if (options.order == RenderOptions::OrderOverride::kLegacy) sort = SortOptions::Legacy();
  if (options.order == RenderOptions::OrderOverride::kFifo) {
    sort = SortOptions{};
    sort.order = SortOptions::Order::kFifo;
  }
  SKIFF_ASSIGN_OR_RETURN(FileLoader loader, FileLoader::ForRoot(top.dir));
  RenderContext ctx{arena, loader, top.file, builder.config(), warnings};
  for (const Resource& r : set) {
    if (r.needs_hash_suffix) {
      SKIFF_RETURN_IF_ERROR(ApplyHashSuffixes(set, ctx));
      break;
    }
  }
  if (AnyRenamed(set)) SKIFF_RETURN_IF_ERROR(FixNameReferences(set, ctx));
  SKIFF_RETURN_IF_ERROR(builder.vars().Resolve(set, ctx.config.var_reference, arena, warnings));
  DropLocalConfig(set);
  SortResources(set, sort);
  BuildMetadata metadata = BuildMetadata::FromField(top.build_metadata);
  if (metadata.managed_by_label) AddManagedByLabel(arena, set);
  StripBuildAnnotations(arena, set, metadata.origin_annotations, metadata.transformer_annotations);
  if (options.check_json_when_written) return Status::Ok();
  return ParallelChunks(set.size(), 256, RenderThreads(), [&](size_t begin, size_t end) -> Status {
    for (size_t i = begin; i < end; ++i) SKIFF_RETURN_IF_ERROR(CheckJsonEncodable(set[i]));
    return Status::Ok();
  });
  return Status::Ok();
}

}  // namespace

void DropLocalConfig(ResourceSet& set) {
  std::vector<size_t> drop;
  for (size_t i = 0; i < set.size(); ++i) {
    const Node* value = set[i].root->GetPath({"metadata", "annotations",
                                              "config.kubernetes.io/local-config"});
    if (value != nullptr && !(value->IsScalar() && value->scalar() == "false")) drop.push_back(i);
  }
  set.Erase(drop);
}

void StripBuildAnnotations(Arena& arena, ResourceSet& set) {
  StripBuildAnnotations(arena, set, false, false);
}

void StripBuildAnnotations(Arena& arena, ResourceSet& set, bool keep_origin,
                           bool keep_transformations) {
  auto stripped = [&](std::string_view key) {
    if (keep_origin && key == "config.kubernetes.io/origin") return false;
    if (keep_transformations && key == "alpha.config.kubernetes.io/transformations") return false;
    return IsBuildAnnotation(key);
  };
  for (Resource& r : set) {
    Node* metadata = r.root->Get("metadata");
    if (metadata == nullptr) {
      // kustomize prints an object that had no metadata (a *List without
      // items) with an empty one.
      r.root->Set(InternKey("metadata"), arena.NewMap());
      continue;
    }
    if (!metadata->IsMap()) continue;
    Node* annotations = metadata->Get("annotations");
    if (annotations == nullptr || !annotations->IsMap()) continue;
    auto& entries = annotations->entries();
    std::erase_if(entries, [&](const MapEntry& e) { return stripped(e.key); });
    if (entries.empty()) metadata->Remove("annotations");
  }
}

Result<RenderedSet> Render(std::string_view dir, const RenderOptions& options,
                           std::vector<std::string>& warnings) {
  ScopedPathCache path_cache;  // the tree is read as one snapshot
  RenderedSet out;
  out.arena = std::make_unique<Arena>(Arena::Bulk{});
  SKIFF_ASSIGN_OR_RETURN(FileLoader root, FileLoader::ForRoot(dir));
  SKIFF_ASSIGN_OR_RETURN(Kustomization top, LoadKustomization(root.root(), *out.arena, warnings));
  TargetBuilder builder(*out.arena, warnings);
  builder.EnableParallelBases(&out.worker_arenas, RenderThreads());
  SKIFF_RETURN_IF_ERROR(builder.BuildTop(top, out.resources));
  SKIFF_RETURN_IF_ERROR(
      FinishTopLevel(top, builder, *out.arena, out.resources, options, warnings));
  out.json_unchecked = options.check_json_when_written;
  return out;
}

Status WriteRendered(const RenderedSet& set, const std::function<void(std::string_view)>& write) {
  const ResourceSet& resources = set.resources;
  // Documents are written independently: below this many, threads cost more
  // than they save.
  constexpr size_t kMinDocsPerChunk = 64;
  size_t threads = RenderThreads();
  size_t chunks = std::min(threads * 4, resources.size() / kMinDocsPerChunk);
  if (threads <= 1 || chunks <= 1) chunks = 1;
  std::vector<std::string> parts(chunks);
  std::vector<Status> failed(chunks, Status::Ok());
  auto run = [&](size_t c) {
    size_t begin = resources.size() * c / chunks;
    size_t end = resources.size() * (c + 1) / chunks;
    std::string& part = parts[c];
    for (size_t i = begin; i < end; ++i) {
      if (i > 0) part += "---\n";
      size_t start = part.size();
      if (WriteSimpleBlockDocument(resources[i].root, part)) continue;
      part.resize(start);
      // The fast writer takes printable ASCII and finite numbers only, all
      // of which JSON encodes: only the objects it declines need the check.
      if (set.json_unchecked) {
        failed[c] = CheckJsonEncodable(resources[i]);
        if (!failed[c].ok()) return;
      }
      EmitYamlWithLibyaml(resources[i].root, part);
    }
  };
  // Each piece goes out as soon as those before it have, unless a check
  // could still fail: no copy of the whole output is made.
  Status first = Status::Ok();
  RunOrdered(chunks, threads, run, [&](size_t c) {
    if (!failed[c].ok()) {
      first = failed[c];
      return false;
    }
    if (!set.json_unchecked) {
      write(parts[c]);
      std::string().swap(parts[c]);
    }
    return true;
  });
  SKIFF_RETURN_IF_ERROR(first);
  if (set.json_unchecked) {
    for (const std::string& part : parts) write(part);
  }
  return Status::Ok();
}

std::string EmitRendered(const RenderedSet& set) {
  std::string out;
  Status written = WriteRendered(set, [&](std::string_view piece) { out += piece; });
  return written.ok() ? out : std::string();
}

}  // namespace skiff
