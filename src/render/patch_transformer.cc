#include "render/patch_transformer.h"

#include <algorithm>

#include "model/schema.h"
#include "render/openapi_schema.h"
#include "render/builtin_transformers.h"
#include "render/file_loader.h"
#include "render/resource_loader.h"
#include "render/strategic_merge.h"
#include "yaml/yaml.h"

namespace skiff {
namespace {

// kustomize's spelling of an id in messages: Kind.version.group/name.ns.
std::string IdText(const ResId& id) {
  std::string s = id.gvk.kind + "." + id.gvk.version + "." +
                  (id.gvk.group.empty() ? "[noGrp]" : id.gvk.group) + "/" + id.name + ".";
  return s + (id.ns.empty() ? "[noNs]" : id.ns);
}

std::string EffectiveNamespace(const ResId& id) {
  if (IsClusterScoped(id.gvk)) return "";
  return id.ns.empty() ? "default" : id.ns;
}

bool SameObject(const ResId& a, const ResId& b) {
  return a.gvk == b.gvk && a.name == b.name && EffectiveNamespace(a) == EffectiveNamespace(b);
}

std::string Line(const Node* n) { return std::to_string(n->pos().line); }

// The objects a strategic merge patch without target names by its own id.
Result<size_t> FindPatchTarget(const ResourceSet& set, const Resource& patch_res,
                               const std::string& source) {
  ResId id = patch_res.Id();
  std::vector<size_t> hits;
  for (size_t i = 0; i < set.size(); ++i) {
    const Resource& r = set[i];
    bool hit = SameObject(r.Id(), id);
    for (const ResId& prev : r.previous_ids) hit = hit || SameObject(prev, id);
    if (hit) hits.push_back(i);
  }
  if (hits.size() == 1) return hits[0];
  std::string why = hits.empty() ? "no matches for Id " : "multiple matches for Id ";
  return MakeError(source + ": no resource matches strategic merge patch \"" + IdText(id) +
                   "\": " + why + IdText(id) + "; failed to find unique target for patch " +
                   IdText(id));
}

void SetMetadataString(Arena& arena, Node* root, std::string_view field, std::string_view value) {
  Node* meta = arena.GetOrCreateMap(root, "metadata");
  if (value.empty()) {
    meta->Remove(field);
  } else {
    meta->Set(field, arena.NewString(arena.Str(value)));
  }
}

// Merges one document into `r`; returns false when the patch deleted it.
Result<bool> MergeInto(Resource& r, const Node* doc, const Patch& patch, Arena& arena,
                       bool targeted, const OpenApiSchema* custom) {
  Node* copy = arena.Clone(doc);
  if (targeted) {
    // kustomize gives a targeted patch the target's apiVersion, keeping its
    // own kind and name (restored below unless allowed to change).
    copy->Set("apiVersion", arena.NewString(arena.Str(r.GetGvk().ApiVersion())));
  }
  ResId before = r.Id();
  if (patch.allow_name_change || patch.allow_kind_change) r.previous_ids.push_back(before);
  auto merged = StrategicMerge(arena, r.root, copy, custom);
  if (!merged.ok()) {
    return merged.error().Wrap(patch.source + ": patch " + IdText(before));
  }
  if (*merged == nullptr) return false;
  r.root = *merged;
  if (!patch.allow_kind_change) r.root->Set("kind", arena.NewString(arena.Str(before.gvk.kind)));
  if (!patch.allow_name_change) SetMetadataString(arena, r.root, "name", before.name);
  SetMetadataString(arena, r.root, "namespace", before.ns);
  return true;
}

Status ApplyJson(Resource& r, const Patch& patch, Arena& arena) {
  Node* root = r.root;
  Status s = ApplyJsonPatch(arena, root, patch.json_ops);
  if (!s.ok()) return s.error().Wrap(patch.source + ": JSON patch on " + IdText(r.Id()));
  if (root == nullptr || !root->IsMap()) {
    return MakeError(patch.source + ": JSON patch on " + IdText(r.Id()) +
                     " left something that is not an object");
  }
  r.root = root;
  return Status::Ok();
}

Status ApplyTargeted(const Patch& patch, ResourceSet& set, Arena& arena,
                     const OpenApiSchema* custom) {
  std::vector<size_t> selected;
  for (size_t i = 0; i < set.size(); ++i) {
    if (patch.target->Matches(set[i])) selected.push_back(i);
  }
  std::vector<size_t> deleted;
  for (size_t i : selected) {
    if (!patch.json_ops.empty()) {
      SKIFF_RETURN_IF_ERROR(ApplyJson(set[i], patch, arena));
      continue;
    }
    for (const Node* doc : patch.smp) {
      SKIFF_ASSIGN_OR_RETURN(bool kept, MergeInto(set[i], doc, patch, arena, true, custom));
      if (!kept) {
        deleted.push_back(i);
        break;
      }
    }
  }
  set.Erase(deleted);
  set.Reindex();
  return Status::Ok();
}

Status ApplyByOwnId(const Patch& patch, ResourceSet& set, Arena& arena,
                    const OpenApiSchema* custom) {
  for (const Node* doc : patch.smp) {
    Resource patch_res;
    patch_res.root = const_cast<Node*>(doc);
    SKIFF_ASSIGN_OR_RETURN(size_t i, FindPatchTarget(set, patch_res, patch.source));
    SKIFF_ASSIGN_OR_RETURN(bool kept, MergeInto(set[i], doc, patch, arena, false, custom));
    if (!kept) set.Erase({i});
    set.Reindex();
  }
  return Status::Ok();
}

bool IsEmptyText(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return std::isspace(c); });
}

// The operations of a JSON 6902 patch already parsed from `text`.
Result<std::vector<JsonPatchOp>> OpsFromDocuments(std::string_view text,
                                                  const std::vector<YamlDocument>& docs) {
  if (IsEmptyText(text)) return MakeError("empty json patch operations");
  if (docs.size() != 1 || docs[0].root == nullptr || !docs[0].root->IsSeq()) {
    return MakeError("not a list of JSON patch operations");
  }
  return ParseJsonPatch(docs[0].root);
}

Result<std::vector<JsonPatchOp>> ParseOps(std::string_view text, const std::string& source,
                                          Arena& arena) {
  if (IsEmptyText(text)) return MakeError("empty json patch operations");
  SKIFF_ASSIGN_OR_RETURN(auto docs, ParseYamlStream(text, source, arena));
  return OpsFromDocuments(text, docs);
}

Result<bool> ReadBool(const Node* options, std::string_view key, const std::string& where) {
  const Node* v = options->Get(key);
  if (v == nullptr || v->IsNull()) return false;
  if (v->kind() != NodeKind::kBool) {
    return MakeError(where + ":" + Line(v) + ": options." + std::string(key) +
                     ": expected true or false");
  }
  return v->scalar() == "true";
}

// A `patches` or `patchesJson6902` entry: path or patch, target, options.
Result<Patch> LoadEntry(const Node* entry, RenderContext& ctx, std::string_view field,
                        bool json_only) {
  const std::string& file = ctx.kustomization_file;
  std::string where = file + ":" + Line(entry) + ": " + std::string(field);
  if (!entry->IsMap()) return MakeError(where + ": expected a map with path or patch");
  for (const MapEntry& e : entry->entries()) {
    if (e.key != "path" && e.key != "patch" && e.key != "target" &&
        (json_only || e.key != "options")) {
      return MakeError(where + ": unknown field \"" + std::string(e.key) + "\"");
    }
  }
  const Node* path = entry->Get("path");
  const Node* inline_patch = entry->Get("patch");
  bool has_path = path != nullptr && !path->scalar().empty();
  bool has_patch = inline_patch != nullptr && !inline_patch->scalar().empty();
  if (has_path && has_patch) return MakeError(where + ": patch and path can't be set at the same time");
  if (!has_path && !has_patch) return MakeError(where + ": must specify one of patch and path");
  std::string text, source;
  if (has_path) {
    SKIFF_ASSIGN_OR_RETURN(text, ctx.loader.ReadFile(path->scalar(), field));
    source = std::string(path->scalar());
  } else {
    text = std::string(inline_patch->scalar());
    source = file + ":" + Line(inline_patch);
  }
  Patch patch;
  if (json_only) {
    auto ops = ParseOps(text, source, ctx.arena);
    if (!ops.ok()) return ops.error().Wrap(where + ": " + source);
    patch.json_ops = std::move(*ops);
    patch.source = source;
  } else {
    auto parsed = ParsePatchText(text, source, ctx.arena);
    if (!parsed.ok()) return parsed.error().Wrap(where);
    patch = std::move(*parsed);
  }
  if (const Node* target = entry->Get("target"); target != nullptr && !target->IsNull()) {
    SKIFF_ASSIGN_OR_RETURN(PatchTarget t, PatchTarget::Parse(target, file));
    patch.target = std::move(t);
    if (json_only && target->GetString("name").empty()) {
      return MakeError(where + ": must specify the target name");
    }
  }
  if (!patch.json_ops.empty() && !patch.target) {
    return MakeError(where + ": must specify a target for JSON patch " + source);
  }
  if (const Node* options = entry->Get("options"); options != nullptr && !options->IsNull()) {
    if (!options->IsMap()) return MakeError(where + ": options: expected a map");
    SKIFF_ASSIGN_OR_RETURN(patch.allow_name_change, ReadBool(options, "allowNameChange", file));
    SKIFF_ASSIGN_OR_RETURN(patch.allow_kind_change, ReadBool(options, "allowKindChange", file));
  }
  return patch;
}

class PatchTransformer : public Transformer {
 public:
  explicit PatchTransformer(std::vector<Patch> patches) : patches_(std::move(patches)) {}

  Status Apply(ResourceSet& set, RenderContext& ctx) override {
    const OpenApiSchema* custom = nullptr;
    if (ctx.schema != nullptr) {
      auto chosen = ctx.schema->ForMerge();
      if (!chosen.ok()) return chosen.error();
      custom = *chosen;
    }
    for (const Patch& p : patches_) SKIFF_RETURN_IF_ERROR(ApplyPatch(p, set, ctx.arena, custom));
    return Status::Ok();
  }

 private:
  std::vector<Patch> patches_;
};

}  // namespace

Result<Patch> ParsePatchText(std::string_view text, const std::string& source, Arena& arena) {
  // Parsed once where possible: when the stricter parse of objects succeeds,
  // reading the text as JSON patch operations would parse the same documents.
  auto docs = ParseYamlStream(text, source, arena, ResourceParseLimits());
  Result<std::vector<Resource>> resources =
      docs.ok() ? ResourcesFromDocuments(*docs, source) : Result<std::vector<Resource>>(docs.error());
  auto ops = docs.ok() ? OpsFromDocuments(text, *docs) : ParseOps(text, source, arena);
  if (resources.ok() && ops.ok()) {
    return MakeError(source + ": illegally qualifies as both an SM and JSON patch");
  }
  Patch patch;
  patch.source = source;
  if (ops.ok()) {
    patch.json_ops = std::move(*ops);
    return patch;
  }
  if (!resources.ok()) {
    return MakeError("unable to parse SM or JSON patch from " + source + ": " +
                     resources.error().message + "; as JSON patch: " + ops.error().message);
  }
  for (Resource& r : *resources) patch.smp.push_back(r.root);
  if (patch.smp.empty()) return MakeError(source + ": patch appears to be empty");
  return patch;
}

Status ApplyPatch(const Patch& patch, ResourceSet& set, Arena& arena,
                  const OpenApiSchema* custom) {
  if (patch.target) return ApplyTargeted(patch, set, arena, custom);
  return ApplyByOwnId(patch, set, arena, custom);
}

Result<TransformerPtr> MakePatchTransformer(const Node* entry, RenderContext& ctx) {
  SKIFF_ASSIGN_OR_RETURN(Patch p, LoadEntry(entry, ctx, "patches", false));
  std::vector<Patch> patches;
  patches.push_back(std::move(p));
  return TransformerPtr(new PatchTransformer(std::move(patches)));
}

Result<TransformerPtr> MakePatchesJson6902Transformer(const Node* value, RenderContext& ctx) {
  std::vector<Patch> patches;
  for (const Node* entry : value->items()) {
    SKIFF_ASSIGN_OR_RETURN(Patch p, LoadEntry(entry, ctx, "patchesJson6902", true));
    patches.push_back(std::move(p));
  }
  return TransformerPtr(new PatchTransformer(std::move(patches)));
}

// Each entry is a file path or, as kustomize also accepts, the patch itself.
Result<TransformerPtr> MakePatchesStrategicMergeTransformer(const Node* value,
                                                            RenderContext& ctx) {
  std::vector<Patch> patches;
  for (const Node* entry : value->items()) {
    std::string where = ctx.kustomization_file + ":" + Line(entry) + ": patchesStrategicMerge";
    std::string_view text = entry->scalar();
    Patch patch;
    auto inline_docs = LoadResources(text, ctx.kustomization_file + ":" + Line(entry), ctx.arena);
    if (inline_docs.ok() && !inline_docs->empty()) {
      patch.source = ctx.kustomization_file + ":" + Line(entry);
      for (Resource& r : *inline_docs) patch.smp.push_back(r.root);
    } else {
      SKIFF_ASSIGN_OR_RETURN(std::string file_text,
                             ctx.loader.ReadFile(text, "patchesStrategicMerge"));
      auto docs = LoadResources(file_text, std::string(text), ctx.arena);
      if (!docs.ok()) return docs.error().Wrap(where);
      patch.source = std::string(text);
      for (Resource& r : *docs) patch.smp.push_back(r.root);
    }
    if (patch.smp.empty()) return MakeError(where + ": patch appears to be empty: " + patch.source);
    patches.push_back(std::move(patch));
  }
  return TransformerPtr(new PatchTransformer(std::move(patches)));
}

}  // namespace skiff
