#include "local/server_side_apply.h"

#include <algorithm>
#include <map>

#include "local/api_status.h"
#include "local/field_walk.h"

namespace skiff::local {
namespace {

// Fields the server sets itself: nobody owns them.
const FieldSet& ServerOwnedFields() {
  static const FieldSet set = [] {
    FieldSet s;
    s.Insert({PathElement::Field("apiVersion")});
    s.Insert({PathElement::Field("kind")});
    for (std::string_view f : {"name", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp",
                               "managedFields", "selfLink", "deletionTimestamp", "deletionGracePeriodSeconds"}) {
      s.Insert({PathElement::Field("metadata"), PathElement::Field(f)});
    }
    return s;
  }();
  return set;
}

// What a write through `ctx` can own: the status subresource owns only
// status; the main resource everything else but server fields (and status
// when the kind has the subresource).
FieldSet Ownable(const FieldSet& fields, const OwnershipContext& ctx) {
  PathElement status = PathElement::Field("status");
  if (ctx.subresource == "status") return fields.OnlyUnder(status);
  FieldSet ignored = ServerOwnedFields();
  if (ctx.has_status) ignored.Insert({status});
  FieldSet metadata_itself;
  metadata_itself.Insert({PathElement::Field("metadata")});
  return fields.RecursiveDifference(ignored).Difference(metadata_itself);
}

Comparison OwnableChanges(const Node* before, const Node* after, const OwnershipContext& ctx) {
  Comparison c = Compare(before, after, ctx.schema);
  return {Ownable(c.added, ctx), Ownable(c.modified, ctx), Ownable(c.removed, ctx)};
}

ManagedFields LiveManagers(const Node* live) {
  if (live == nullptr) return {};
  auto decoded = DecodeManagedFields(live->GetPath({"metadata", "managedFields"}));
  return decoded.ok() ? std::move(*decoded) : ManagedFields{};
}

void StoreManagers(Node* obj, const ManagedFields& managers, Arena& arena) {
  Node* meta = arena.GetOrCreateMap(obj, "metadata");
  Node* list = EncodeManagedFields(managers, arena);
  if (list->items().empty()) {
    meta->Remove("managedFields");
  } else {
    meta->Set("managedFields", list);
  }
}

// Puts `mine` in place of the entry of the same owner (or adds it); the
// entry keeps its old time when neither its fields nor the object changed.
void Upsert(ManagedFields& managers, ManagerEntry mine, bool object_changed) {
  auto same = std::find_if(managers.begin(), managers.end(), [&](const ManagerEntry& e) { return e.SameOwner(mine); });
  if (same == managers.end()) {
    managers.push_back(std::move(mine));
    return;
  }
  if (!object_changed && same->fields == mine.fields && !same->time.empty()) mine.time = same->time;
  *same = std::move(mine);
}

const ManagerEntry* FindOwner(const ManagedFields& managers, const ManagerEntry& like) {
  for (const ManagerEntry& e : managers) {
    if (e.SameOwner(like)) return &e;
  }
  return nullptr;
}

// The request's managedFields is [] or [{}]: the client resets ownership.
bool ResetsManagedFields(const Node* sent) {
  if (sent == nullptr || !sent->IsSeq()) return false;
  if (sent->items().empty()) return true;
  return sent->items().size() == 1 && sent->items()[0]->IsMap() && sent->items()[0]->entries().empty();
}

// An object as the API server's typed zero value looks before a create:
// metadata, spec and status exist, so they are not "added" themselves.
Node* EmptyObject(Arena& arena) {
  Node* obj = arena.NewMap();
  for (std::string_view key : {"metadata", "spec", "status"}) obj->Set(key, arena.NewMap());
  return obj;
}

}  // namespace

FieldSet AppliedFieldSet(const Node* obj, const OwnershipContext& ctx) {
  auto fields = FieldsOf(obj, ctx.schema);
  return fields.ok() ? Ownable(*fields, ctx) : FieldSet();
}

Result<ApplyOutcome> ServerSideApply(const Node* live, const Node* config, std::string_view manager, bool force,
                                     const OwnershipContext& ctx, Arena& arena) {
  SKIFF_ASSIGN_OR_RETURN(FieldSet config_fields, FieldsOf(config, ctx.schema));
  ManagerEntry mine{std::string(manager), "Apply", ctx.api_version, ctx.now, ctx.subresource,
                    Ownable(config_fields, ctx)};
  ApplyOutcome outcome;
  if (live == nullptr) {
    outcome.object = arena.Clone(config);
    StoreManagers(outcome.object, {mine}, arena);
    return outcome;
  }
  ManagedFields managers = LiveManagers(live);
  const ManagerEntry* previous = FindOwner(managers, mine);
  FieldSet previously_applied = previous != nullptr ? previous->fields : FieldSet();

  Node* merged = MergeApplied(live, config, ctx.schema, arena);
  // Fields this applier dropped from its configuration go, unless someone
  // (including this applier, through another path) still owns them.
  FieldSet owned = mine.fields;
  for (const ManagerEntry& e : managers) {
    if (!e.SameOwner(mine)) owned = owned.Union(e.fields);
  }
  previously_applied.Difference(mine.fields).ForEach([&](const FieldPath& path) {
    if (!owned.HasAtOrBelow(path)) RemoveField(merged, ctx.schema, path);
  });

  Comparison changes = OwnableChanges(live, merged, ctx);
  FieldSet changed = changes.added.Union(changes.modified);
  std::vector<FieldSet> taken(managers.size());
  for (size_t i = 0; i < managers.size(); ++i) {
    if (managers[i].SameOwner(mine)) continue;
    taken[i] = managers[i].fields.Intersection(changed);
    taken[i].ForEach([&](const FieldPath& path) { outcome.conflicts.push_back({managers[i].Describe(), path}); });
  }
  if (!outcome.conflicts.empty() && !force) return outcome;
  outcome.conflicts.clear();
  for (size_t i = 0; i < managers.size(); ++i) {
    if (managers[i].SameOwner(mine)) continue;
    managers[i].fields = managers[i].fields.Difference(taken[i]).Difference(changes.removed);
  }
  Upsert(managers, std::move(mine), !changes.empty());
  StoreManagers(merged, managers, arena);
  outcome.object = merged;
  return outcome;
}

void RecordUpdate(const Node* live, Node* updated, std::string_view manager, const OwnershipContext& ctx,
                  Arena& arena) {
  Node* meta = arena.GetOrCreateMap(updated, "metadata");
  const Node* sent = meta->Get("managedFields");
  if (ResetsManagedFields(sent)) {
    meta->Remove("managedFields");
    return;
  }
  // Clients that do not know managedFields send none (or garbage): the
  // live entries stand. Valid entries sent by the client replace them.
  ManagedFields managers;
  auto decoded = DecodeManagedFields(sent);
  if (sent != nullptr && decoded.ok() && !decoded->empty()) {
    managers = std::move(*decoded);
  } else {
    managers = LiveManagers(live);
  }
  Comparison changes = OwnableChanges(live != nullptr ? live : EmptyObject(arena), updated, ctx);
  FieldSet changed = changes.added.Union(changes.modified);
  ManagerEntry mine{std::string(manager), "Update", ctx.api_version, ctx.now, ctx.subresource, {}};
  for (ManagerEntry& e : managers) {
    if (e.SameOwner(mine)) {
      mine.fields = e.fields;
    } else {
      e.fields = e.fields.Difference(changed).Difference(changes.removed);
    }
  }
  mine.fields = Ownable(mine.fields.Difference(changes.removed).Union(changed), ctx);
  Upsert(managers, std::move(mine), !changes.empty());
  StoreManagers(updated, managers, arena);
}

std::string UpdateManagerName(std::string_view field_manager, std::string_view user_agent) {
  constexpr size_t kMaxManagerLength = 128;  // the API server's limit on manager names
  std::string_view name = !field_manager.empty() ? field_manager : user_agent.substr(0, user_agent.find('/'));
  return std::string(name.substr(0, kMaxManagerLength));
}

HttpResponse ApplyConflictResponse(const std::vector<FieldConflict>& conflicts) {
  StatusDetails details;
  for (const FieldConflict& c : conflicts) {
    details.causes.push_back({"FieldManagerConflict", "conflict with " + c.owner, PathString(c.path)});
  }
  std::string message;
  if (conflicts.size() == 1) {
    message = "Apply failed with 1 conflict: conflict with " + conflicts[0].owner + ": " + PathString(conflicts[0].path);
  } else {
    std::map<std::string, std::vector<std::string>> by_owner;
    for (const FieldConflict& c : conflicts) by_owner[c.owner].push_back(PathString(c.path));
    message = "Apply failed with " + std::to_string(conflicts.size()) + " conflicts: ";
    bool first = true;
    for (const auto& [owner, paths] : by_owner) {
      if (!first) message += "\n";
      first = false;
      message += "conflicts with " + owner + ":";
      for (const std::string& p : paths) message += "\n- " + p;
    }
  }
  return StatusResponse(409, "Conflict", message, details);
}

}  // namespace skiff::local
