#include "local/object_writes.h"

#include "local/object_meta.h"
#include "local/json_codec.h"

namespace skiff::local {
namespace {

bool IsNamespace(const ApiResource& res) { return res.group.empty() && res.plural == "namespaces"; }
bool IsCrd(const ApiResource& res) {
  return res.group == "apiextensions.k8s.io" && res.plural == "customresourcedefinitions";
}

bool HasFinalizers(const Node* obj) {
  const Node* f = obj->GetPath({"metadata", "finalizers"});
  return f != nullptr && f->IsSeq() && !f->items().empty();
}

Node* Condition(Arena& arena, std::string_view type, std::string_view reason, std::string_view message,
                const std::string& now) {
  Node* c = arena.NewMap();
  c->Set("type", arena.NewString(type));
  c->Set("status", arena.NewString("True"));
  c->Set("lastTransitionTime", arena.NewString(arena.Str(now)));
  c->Set("reason", arena.NewString(reason));
  c->Set("message", arena.NewString(message));
  return c;
}

// A served CRD reports its names as accepted and itself as Established,
// which is what `kubectl wait --for=condition=Established` looks for.
void SetCrdStatus(Node* crd, Arena& arena) {
  Node* status = arena.NewMap();
  Node* conditions = arena.NewSeq();
  std::string now = NowRfc3339();
  conditions->Append(Condition(arena, "NamesAccepted", "NoConflicts", "no conflicts found", now));
  conditions->Append(Condition(arena, "Established", "InitialNamesAccepted", "the initial names have been accepted", now));
  status->Set("conditions", conditions);
  if (const Node* names = crd->GetPath({"spec", "names"})) status->Set("acceptedNames", arena.Clone(names));
  Node* stored = arena.NewSeq();
  if (const Node* versions = crd->GetPath({"spec", "versions"}); versions != nullptr && versions->IsSeq()) {
    for (const Node* v : versions->items()) {
      const Node* storage = v->Get("storage");
      if (storage != nullptr && storage->scalar() == "true") stored->Append(arena.Clone(v->Get("name")));
    }
  }
  status->Set("storedVersions", stored);
  crd->Set("status", status);
}

Status Persist(ControlPlane& cp, const ApiResource& res, Node* obj, Arena& arena, EventType type,
               std::string& json) {
  int64_t rv = cp.store().NextRv();
  SetMetaString(obj, "resourceVersion", std::to_string(rv), arena);
  CanonicalizeRootOrder(obj);
  json.clear();
  EmitJsonText(obj, json);
  return cp.store().Put(KeyOf(res, MetaString(obj, "namespace"), MetaString(obj, "name")), json, rv, type);
}

// Removes every custom object of a CRD that stops being served.
void DeleteCustomObjects(ControlPlane& cp, const Node* crd) {
  std::string group(crd->GetPath({"spec"}) ? crd->GetPath({"spec"})->GetString("group") : "");
  const Node* names = crd->GetPath({"spec", "names"});
  if (names == nullptr) return;
  std::string storage_kind = group + "/" + std::string(names->GetString("plural"));
  std::vector<StoredObject> doomed;
  cp.store().List(storage_kind, "", "", [&](const StoredObject& o) {
    doomed.push_back(o);
    return true;
  });
  for (const StoredObject& o : doomed) {
    (void)cp.store().Delete(ObjectKey{storage_kind, o.ns, o.name}, o.json, cp.store().NextRv());
  }
}

Result<std::string> RemoveNow(ControlPlane& cp, const ApiResource& res, Node* current, Arena& arena,
                              bool dry_run) {
  std::string json;
  EmitJsonText(current, json);
  if (dry_run) return json;
  int64_t rv = cp.store().NextRv();
  SetMetaString(current, "resourceVersion", std::to_string(rv), arena);
  json.clear();
  EmitJsonText(current, json);
  SKIFF_RETURN_IF_ERROR(cp.store().Delete(KeyOf(res, MetaString(current, "namespace"), MetaString(current, "name")),
                                          json, rv));
  if (IsCrd(res)) {
    cp.StopServingCrd(current);
    DeleteCustomObjects(cp, current);
  }
  return json;
}

}  // namespace

ObjectKey KeyOf(const ApiResource& res, std::string_view ns, std::string_view name) {
  return ObjectKey{res.StorageKind(), res.namespaced ? std::string(ns) : std::string(), std::string(name)};
}

Result<Node*> ParseStored(const std::string& json, const ApiResource& res, Arena& arena) {
  SKIFF_ASSIGN_OR_RETURN(Node * root, ParseJsonText(json, arena));
  root->Set("apiVersion", arena.NewString(arena.Str(res.ApiVersion())));
  return root;
}

std::string AsVersion(const std::string& json, const ApiResource& res) {
  std::string prefix = "{\"apiVersion\":\"" + res.ApiVersion() + "\"";
  if (json.compare(0, prefix.size(), prefix) == 0) return json;
  Arena arena;
  auto root = ParseStored(json, res, arena);
  if (!root.ok()) return json;
  CanonicalizeRootOrder(*root);
  std::string out;
  EmitJsonText(*root, out);
  return out;
}

Result<std::string> StoreNew(ControlPlane& cp, const ApiResource& res, Node* obj, Arena& arena, bool dry_run) {
  Node* meta = arena.GetOrCreateMap(obj, "metadata");
  meta->Set("uid", arena.NewString(arena.Str(NewUid())));
  meta->Set("creationTimestamp", arena.NewString(arena.Str(NowRfc3339())));
  meta->Set("generation", arena.NewInt(1));
  meta->Remove("deletionTimestamp");
  meta->Remove("deletionGracePeriodSeconds");
  meta->Remove("resourceVersion");
  if (!res.namespaced) meta->Remove("namespace");
  if (res.has_status) obj->Remove("status");
  if (IsNamespace(res)) {
    Node* finalizers = arena.NewSeq();
    finalizers->Append(arena.NewString("kubernetes"));
    arena.GetOrCreateMap(obj, "spec")->Set("finalizers", finalizers);
    arena.GetOrCreateMap(obj, "status")->Set("phase", arena.NewString("Active"));
  }
  if (IsCrd(res)) SetCrdStatus(obj, arena);
  std::string json;
  if (dry_run) {
    CanonicalizeRootOrder(obj);
    EmitJsonText(obj, json);
    return json;
  }
  SKIFF_RETURN_IF_ERROR(Persist(cp, res, obj, arena, EventType::kAdded, json));
  if (IsCrd(res)) cp.ServeCrd(obj);
  return json;
}

Result<std::string> StoreUpdate(ControlPlane& cp, const ApiResource& res, const Node* old, Node* updated,
                                bool keep_status, Arena& arena, bool dry_run) {
  Node* meta = arena.GetOrCreateMap(updated, "metadata");
  for (std::string_view key : {"uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds",
                               "namespace", "generation", "resourceVersion"}) {
    const Node* was = old->GetPath({"metadata", key});
    if (was != nullptr) {
      meta->Set(key, arena.Clone(was));
    } else {
      meta->Remove(key);
    }
  }
  if (keep_status) {
    const Node* status = old->Get("status");
    if (status != nullptr) {
      updated->Set("status", arena.Clone(status));
    } else {
      updated->Remove("status");
    }
  }
  if (IsCrd(res)) SetCrdStatus(updated, arena);
  if (SpecChanged(old, updated)) meta->Set("generation", arena.NewInt(MetaInt(old, "generation") + 1));
  CanonicalizeRootOrder(updated);
  bool terminating = !MetaString(updated, "deletionTimestamp").empty();
  if (terminating && !HasFinalizers(updated) && !IsNamespace(res)) {
    return RemoveNow(cp, res, updated, arena, dry_run);
  }
  std::string json;
  if (DeepEqual(old, updated, false) || dry_run) {
    EmitJsonText(updated, json);
    return json;
  }
  SKIFF_RETURN_IF_ERROR(Persist(cp, res, updated, arena, EventType::kModified, json));
  if (IsCrd(res)) cp.ServeCrd(updated);
  return json;
}

Result<std::string> StoreDelete(ControlPlane& cp, const ApiResource& res, Node* current, Arena& arena,
                                bool dry_run) {
  bool deferred = HasFinalizers(current) || IsNamespace(res);
  if (!deferred) return RemoveNow(cp, res, current, arena, dry_run);
  std::string json;
  if (MetaString(current, "deletionTimestamp").empty()) {
    SetMetaString(current, "deletionTimestamp", NowRfc3339(), arena);
    SetMetaInt(current, "deletionGracePeriodSeconds", 0, arena);
    if (IsNamespace(res)) arena.GetOrCreateMap(current, "status")->Set("phase", arena.NewString("Terminating"));
    if (!dry_run) {
      SKIFF_RETURN_IF_ERROR(Persist(cp, res, current, arena, EventType::kModified, json));
      return json;
    }
  }
  EmitJsonText(current, json);
  return json;
}

}  // namespace skiff::local
