#include "render/generators.h"

#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "model/schema.h"
#include "render/configmap_generator.h"
#include "render/content_hash.h"
#include "render/file_loader.h"
#include "render/ordered_jobs.h"

namespace skiff {

namespace {

// Namespace as kustomize compares ids: empty means "default".
std::string_view EffectiveNamespace(std::string_view ns) { return ns.empty() ? "default" : ns; }

bool SameId(const ResId& a, const ResId& b) {
  return a.gvk == b.gvk && a.name == b.name &&
         EffectiveNamespace(a.ns) == EffectiveNamespace(b.ns);
}

// Finds, by any current or previous id, the objects a generated object would
// merge into. Indexed by name so a kustomization with many generators stays
// linear.
class GeneratedIdIndex {
 public:
  explicit GeneratedIdIndex(const ResourceSet& set) : set_(set) {
    for (size_t i = 0; i < set.size(); ++i) Add(i);
  }

  void Add(size_t pos) {
    const Resource& r = set_[pos];
    by_name_[std::string(r.Name())].push_back(pos);
    for (const ResId& id : r.previous_ids) by_name_[id.name].push_back(pos);
  }

  std::vector<size_t> Matches(const ResId& id) const {
    std::vector<size_t> out;
    auto it = by_name_.find(id.name);
    if (it == by_name_.end()) return out;
    for (size_t pos : it->second) {
      if (!out.empty() && out.back() == pos) continue;
      if (AnyIdMatches(set_[pos], id)) out.push_back(pos);
    }
    return out;
  }

 private:
  static bool AnyIdMatches(const Resource& r, const ResId& id) {
    if (SameId(r.Id(), id)) return true;
    for (const ResId& prev : r.previous_ids) {
      if (SameId(prev, id)) return true;
    }
    return false;
  }

  const ResourceSet& set_;
  std::unordered_map<std::string, std::vector<size_t>> by_name_;
};

using StringPairs = std::vector<std::pair<std::string, std::string>>;

// A map field read as strings, in order (data, labels, annotations).
StringPairs ReadStringMap(const Node* parent, std::string_view key) {
  StringPairs out;
  const Node* m = parent == nullptr ? nullptr : parent->Get(key);
  if (m == nullptr || !m->IsMap()) return out;
  for (const MapEntry& e : m->entries()) {
    out.emplace_back(std::string(e.key), e.value->IsScalar() ? std::string(e.value->scalar()) : "");
  }
  return out;
}

// `base` overlaid with `over` (over wins), sorted by key.
StringPairs MergePairs(const StringPairs& base, const StringPairs& over) {
  std::map<std::string, std::string> m(base.begin(), base.end());
  for (const auto& [k, v] : over) m[k] = v;
  return StringPairs(m.begin(), m.end());
}

void WriteStringMap(Node* parent, std::string_view key, const StringPairs& kvs, Arena& arena) {
  if (kvs.empty()) {
    parent->Remove(key);
    return;
  }
  Node* m = arena.NewMap();
  for (const auto& [k, v] : kvs) {
    bool multiline = v.find('\n') != std::string::npos;
    m->Set(InternKey(k), arena.NewScalar(NodeKind::kString, arena.Str(v),
                                         multiline ? ScalarStyle::kLiteral : ScalarStyle::kPlain));
  }
  parent->Set(key, m);
}

void SetOrRemove(Node* map, std::string_view key, std::string_view value, Arena& arena) {
  if (value.empty()) {
    map->Remove(key);
  } else {
    map->Set(key, arena.NewString(arena.Str(value)));
  }
}

// Gives `fresh` the identity and metadata of `old` (kustomize's
// CopyMergeMetaDataFieldsFrom) and, for merge, old's data under fresh's.
void CombineWithExisting(Resource& fresh, const Resource& old, Arena& arena) {
  Node* md = arena.GetOrCreateMap(fresh.root, "metadata");
  const Node* old_md = old.root->Get("metadata");
  WriteStringMap(md, "labels", MergePairs(ReadStringMap(old_md, "labels"), ReadStringMap(md, "labels")), arena);
  WriteStringMap(md, "annotations",
                 MergePairs(ReadStringMap(old_md, "annotations"), ReadStringMap(md, "annotations")),
                 arena);
  SetOrRemove(md, "name", old.Name(), arena);
  SetOrRemove(md, "namespace", old.Namespace(), arena);
  if (fresh.behavior == Resource::Behavior::kMerge) {
    for (std::string_view field : {"data", "binaryData"}) {
      WriteStringMap(fresh.root, field,
                     MergePairs(ReadStringMap(old.root, field), ReadStringMap(fresh.root, field)),
                     arena);
    }
  }
  fresh.previous_ids = old.previous_ids;
  fresh.name_prefixes = old.name_prefixes;
  fresh.name_suffixes = old.name_suffixes;
  fresh.origin = old.origin;
  // Observed in kustomize v5.5: the result keeps a hash suffix only when both
  // the existing object and the new entry want one.
  fresh.needs_hash_suffix = fresh.needs_hash_suffix && old.needs_hash_suffix;
}

Status Absorb(Resource fresh, const GeneratorArgs& args, ResourceSet& set, GeneratedIdIndex& index,
              Arena& arena) {
  ResId id = fresh.Id();
  std::vector<size_t> matches = index.Matches(id);
  std::string where = args.origin.String() + ": " + (args.secret ? "secretGenerator " : "configMapGenerator ") + args.name;
  if (matches.size() > 1) {
    std::string ids;
    for (size_t pos : matches) ids += " " + set[pos].Id().String();
    return MakeError(where + ": found multiple objects that could accept merge of " + id.String() + ":" + ids);
  }
  if (matches.empty()) {
    if (fresh.behavior != Resource::Behavior::kCreate) {
      return MakeError(where + ": id " + id.String() + " does not exist; cannot merge or replace");
    }
    SKIFF_RETURN_IF_ERROR(set.Add(std::move(fresh)));
    index.Add(set.size() - 1);
    return Status::Ok();
  }
  Resource& old = set[matches[0]];
  if (fresh.behavior == Resource::Behavior::kCreate) {
    return MakeError(where + ": id " + id.String() + " exists (declared at " + old.origin.String() +
                     "); behavior must be merge or replace");
  }
  CombineWithExisting(fresh, old, arena);
  // Same name and namespace as `old`, so the set's identity index stays valid.
  old = std::move(fresh);
  return Status::Ok();
}

Status RunEntries(const Node* entries, bool secret, const GeneratorOptions& global, ResourceSet& set,
                  GeneratedIdIndex& index, RenderContext& ctx) {
  if (entries == nullptr || entries->IsNull()) return Status::Ok();
  const char* field = secret ? "secretGenerator" : "configMapGenerator";
  if (!entries->IsSeq()) {
    return MakeError(WhereIs(ctx.kustomization_file, entries) + field + ": expected a list");
  }
  for (const Node* entry : entries->items()) {
    SKIFF_ASSIGN_OR_RETURN(GeneratorArgs args, ParseGeneratorArgs(entry, secret, ctx.kustomization_file));
    GeneratorOptions options = MergeGeneratorOptions(args.options, global);
    SKIFF_ASSIGN_OR_RETURN(Resource r, MakeGeneratedObject(args, options, ctx.loader, ctx.arena));
    SKIFF_RETURN_IF_ERROR(Absorb(std::move(r), args, set, index, ctx.arena));
  }
  return Status::Ok();
}

}  // namespace

Status RunGenerators(const Node* config_maps, const Node* secrets, const Node* options,
                     ResourceSet& set, RenderContext& ctx) {
  bool none = (config_maps == nullptr || config_maps->IsNull()) && (secrets == nullptr || secrets->IsNull());
  if (none) return Status::Ok();
  auto global = ParseGeneratorOptions(options, ctx.kustomization_file);
  if (!global.ok()) return global.error().Wrap("generatorOptions");
  GeneratedIdIndex index(set);
  SKIFF_RETURN_IF_ERROR(RunEntries(config_maps, false, *global, set, index, ctx));
  return RunEntries(secrets, true, *global, set, index, ctx);
}

Status ApplyHashSuffixes(ResourceSet& set, RenderContext& ctx) {
  // Hashing reads only its own object: done on worker threads for big sets.
  std::vector<std::string> suffixes(set.size());
  SKIFF_RETURN_IF_ERROR(ParallelChunks(set.size(), 256, RenderThreads(), [&](size_t b, size_t e) -> Status {
    for (size_t i = b; i < e; ++i) {
      if (set[i].needs_hash_suffix) suffixes[i] = ContentHashSuffix(set[i].root);
    }
    return Status::Ok();
  }));
  bool renamed = false;
  for (size_t i = 0; i < set.size(); ++i) {
    Resource& r = set[i];
    if (!r.needs_hash_suffix) continue;
    const std::string& suffix = suffixes[i];
    r.previous_ids.push_back(r.Id());
    std::string name = std::string(r.Name()) + "-" + suffix;
    ctx.arena.GetOrCreateMap(r.root, "metadata")->Set("name", ctx.arena.NewString(ctx.arena.Str(name)));
    r.needs_hash_suffix = false;
    renamed = true;
  }
  if (renamed) set.Reindex();
  return Status::Ok();
}

}  // namespace skiff
