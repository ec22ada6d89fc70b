#include "sync/differ.h"

#include <algorithm>

#include "sync/inventory.h"
#include "sync/line_diff.h"
#include "sync/pruner.h"
#include "sync/secret_mask.h"
#include "yaml/yaml.h"

namespace skiff::sync {
namespace {

std::string YamlText(const Node* object) {
  std::string out;
  if (object != nullptr) EmitYaml(object, out);
  return out;
}

// A copy of `object` ready to print: no noise, Secret values masked.
Node* Presentable(const Node* object, Arena& arena, MaskContext& masks) {
  if (object == nullptr) return nullptr;
  Node* copy = arena.Clone(object);
  DropNoise(copy);
  MaskSecretValues(copy, arena, masks);
  return copy;
}

ObjectDiff Failure(const ResId& id, std::string origin, const kube::ApiError& error,
                   const MaskContext& masks, bool* unreachable) {
  if (kube::IsTransportFailure(error)) *unreachable = true;
  std::string message = error.String();
  ObjectDiff d;
  d.id = id;
  d.action = DiffAction::kFailed;
  d.origin = std::move(origin);
  d.error = masks.Scrub(message);
  return d;
}

// Compares one rendered object with the cluster.
// Sets `unreachable` when no answer came from the cluster at all.
ObjectDiff DiffOne(kube::Client& client, const Resource& resource, const DiffOptions& options,
                   MaskContext& masks, Arena& arena, bool* unreachable) {
  ResId id = resource.Id();
  std::string origin = resource.origin.String();
  // Masking the rendered object first teaches `masks` its values, so any
  // error below that echoes one can be scrubbed.
  Node* rendered_view = Presentable(resource.root, arena, masks);

  auto live = client.Get(id, arena);
  if (!live.ok() && !kube::IsNotFound(live.error()))
    return Failure(id, origin, live.error(), masks, unreachable);
  const Node* live_object = live.ok() ? *live : nullptr;

  kube::ApplyOptions apply;
  apply.field_manager = options.field_manager;
  apply.force = true;  // a preview: show the outcome even where another manager holds a field
  apply.dry_run = true;
  auto predicted = client.Apply(resource.root, apply, arena);
  Node* desired_view = nullptr;
  if (predicted.ok()) {
    desired_view = Presentable(*predicted, arena, masks);
  } else if (live_object == nullptr && kube::IsNotFound(predicted.error())) {
    // Its namespace (or CRD) is created by the same set: show it as rendered.
    desired_view = rendered_view;
  } else {
    return Failure(id, origin, predicted.error(), masks, unreachable);
  }

  ObjectDiff d;
  d.id = id;
  d.origin = std::move(origin);
  Node* live_view = Presentable(live_object, arena, masks);
  std::string path = DiffPath(id);
  d.diff = UnifiedDiff(YamlText(live_view), YamlText(desired_view), "live/" + path,
                       "desired/" + path, {.context = 3, .color = options.color});
  if (live_object == nullptr) d.action = DiffAction::kCreated;
  else d.action = d.diff.empty() ? DiffAction::kUnchanged : DiffAction::kChanged;
  return d;
}

// The members of the set's inventory that the render no longer has.
Status AddPruned(kube::Client& client, const ResourceSet& desired, const DiffOptions& options,
                 MaskContext& masks, Arena& arena, DiffReport& report) {
  Inventory inventory = Inventory::ForApp(options.app, options.inventory_namespace, "");
  ResId parent_id{Gvk{"", "v1", "Secret"}, inventory.parent_namespace, inventory.parent_name};
  auto parent = client.Get(parent_id, arena);
  if (!parent.ok()) {
    if (kube::IsNotFound(parent.error())) return Status::Ok();  // never applied: nothing to prune
    return parent.error();
  }
  SKIFF_RETURN_IF_ERROR(ReadParent(*parent, inventory));
  auto candidates = FindPruneCandidates(client, inventory, desired, arena);
  if (!candidates.ok()) return candidates.error();
  for (const PruneCandidate& c : *candidates) {
    ObjectDiff d;
    d.id = c.id;
    d.action = DiffAction::kPruned;
    std::string path = DiffPath(c.id);
    d.diff = UnifiedDiff(YamlText(Presentable(c.live, arena, masks)), "", "live/" + path,
                         "desired/" + path, {.context = 3, .color = options.color});
    report.objects.push_back(std::move(d));
  }
  return Status::Ok();
}

// The set as `skiff apply` sends it: members labelled part-of the set's
// ApplySet, so the label is not shown as a change on every object.
Result<ResourceSet> AsApplyWouldSend(const ResourceSet& desired, const DiffOptions& options,
                                     Arena& arena) {
  ResourceSet sent;
  for (const Resource& resource : desired) {
    Resource copy = resource;
    copy.root = arena.Clone(resource.root);
    sent.AddUnchecked(std::move(copy));
  }
  if (options.app.empty()) return sent;
  Inventory inventory = Inventory::ForApp(options.app, options.inventory_namespace, "");
  SKIFF_RETURN_IF_ERROR(LabelMembers(sent, arena, inventory.id));
  return sent;
}

}  // namespace

std::string_view DiffActionName(DiffAction action) {
  switch (action) {
    case DiffAction::kUnchanged: return "unchanged";
    case DiffAction::kChanged: return "changed";
    case DiffAction::kCreated: return "created";
    case DiffAction::kPruned: return "pruned";
    case DiffAction::kFailed: return "failed";
  }
  return "unknown";
}

bool DiffReport::HasChanges() const {
  return std::any_of(objects.begin(), objects.end(), [](const ObjectDiff& d) {
    return d.action == DiffAction::kChanged || d.action == DiffAction::kCreated ||
           d.action == DiffAction::kPruned;
  });
}

bool DiffReport::HasFailures() const {
  return std::any_of(objects.begin(), objects.end(),
                     [](const ObjectDiff& d) { return d.action == DiffAction::kFailed; });
}

std::string DiffPath(const ResId& id) {
  std::string path = id.gvk.kind + "/";
  if (!id.ns.empty()) path += id.ns + "/";
  return path + id.name;
}

void DropNoise(Node* object) {
  if (object == nullptr || !object->IsMap()) return;
  object->Remove("status");
  Node* metadata = object->Get("metadata");
  if (metadata == nullptr || !metadata->IsMap()) return;
  for (std::string_view key :
       {"managedFields", "resourceVersion", "generation", "uid", "creationTimestamp"})
    metadata->Remove(key);
}

Result<DiffReport> DiffAgainstCluster(kube::Client& client, const ResourceSet& desired,
                                      const DiffOptions& options) {
  DiffReport report;
  MaskContext masks;
  Arena arena;
  SKIFF_ASSIGN_OR_RETURN(ResourceSet sent, AsApplyWouldSend(desired, options, arena));
  for (const Resource& resource : sent) {
    bool unreachable = false;
    ObjectDiff d = DiffOne(client, resource, options, masks, arena, &unreachable);
    // One error says an unreachable cluster better than one per object.
    if (unreachable) return Error{d.error};
    report.objects.push_back(std::move(d));
  }
  if (!options.app.empty()) {
    Status pruned = AddPruned(client, desired, options, masks, arena, report);
    if (!pruned.ok()) return Error{masks.Scrub(pruned.error().message)};
  }
  return report;
}

}  // namespace skiff::sync
