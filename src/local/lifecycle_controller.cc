#include "local/lifecycle_controller.h"

#include <algorithm>
#include <chrono>
#include <set>
#include <vector>

#include "local/object_meta.h"
#include "local/object_writes.h"
#include "local/json_codec.h"

namespace skiff::local {

namespace {

// Whether `events` can have orphaned an object: something was deleted, or
// an object naming owners was written (its owners may be gone already).
// Skipping the collection otherwise keeps bulk writes of plain objects from
// rescanning the whole store after every batch.
bool MayOrphan(const std::vector<WatchEvent>& events) {
  for (const WatchEvent& e : events) {
    if (e.type == EventType::kDeleted || e.json.find("\"ownerReferences\"") != std::string::npos) return true;
  }
  return false;
}

}  // namespace

void LifecycleController::Start() {
  thread_ = std::thread([this] {
    int64_t seen = -1;
    while (!stop_.load()) {
      int64_t now = cp_.store().CurrentRv();
      if (now != seen) {
        std::vector<WatchEvent> events;
        bool everything = seen < 0 || !cp_.store().EventsSince(seen, events);
        if (!events.empty()) now = std::max(now, events.back().rv);
        seen = now;
        // A pass that changed something changes the rv too, so the loop
        // comes back for the next step (namespace emptied → namespace gone).
        FinishNamespaces();
        if (everything || MayOrphan(events)) CollectOrphans();
      }
      cp_.store().WaitForEvents(seen, std::chrono::steady_clock::now() + std::chrono::milliseconds(500));
      if (cp_.store().shut_down()) break;
    }
  });
}

void LifecycleController::Stop() {
  stop_.store(true);
  if (thread_.joinable()) thread_.join();
}

bool LifecycleController::RunOnce() {
  bool changed = FinishNamespaces();
  changed = CollectOrphans() || changed;
  return changed;
}

bool LifecycleController::FinishNamespaces() {
  ApiCatalog catalog = cp_.CatalogSnapshot();
  const ApiResource* ns_res = catalog.FindAnyVersion("", "namespaces");
  if (ns_res == nullptr) return false;
  std::vector<StoredObject> terminating;
  cp_.store().List(ns_res->StorageKind(), "", "", [&](const StoredObject& o) {
    if (IsBeingDeleted(o.json)) terminating.push_back(o);
    return true;
  });
  bool changed = false;
  for (const StoredObject& ns : terminating) {
    bool empty = true;
    std::set<std::string> done;
    for (const ApiResource& res : catalog.all()) {
      if (!res.namespaced || !done.insert(res.StorageKind()).second) continue;
      std::vector<StoredObject> contents;
      cp_.store().List(res.StorageKind(), ns.name, "", [&](const StoredObject& o) {
        contents.push_back(o);
        return true;
      });
      for (const StoredObject& o : contents) {
        empty = false;
        if (IsBeingDeleted(o.json)) continue;  // waiting on finalizers
        std::lock_guard<std::mutex> lock(cp_.write_mu());
        Arena arena;
        auto root = ParseStored(o.json, res, arena);
        if (root.ok() && StoreDelete(cp_, res, *root, arena, false).ok()) changed = true;
      }
    }
    if (!empty) continue;
    std::lock_guard<std::mutex> lock(cp_.write_mu());
    auto current = cp_.store().Get(KeyOf(*ns_res, "", ns.name));
    if (!current) continue;
    Arena arena;
    auto root = ParseStored(current->json, *ns_res, arena);
    if (!root.ok()) continue;
    const Node* finalizers = (*root)->GetPath({"metadata", "finalizers"});
    if (finalizers != nullptr && finalizers->IsSeq() && !finalizers->items().empty()) continue;
    std::string json;
    EmitJsonText(*root, json);
    if (cp_.store().Delete(KeyOf(*ns_res, "", ns.name), json, cp_.store().NextRv()).ok()) changed = true;
  }
  return changed;
}

bool LifecycleController::CollectOrphans() {
  ApiCatalog catalog = cp_.CatalogSnapshot();
  struct Dependent {
    const ApiResource* res;
    StoredObject object;
    std::vector<std::string> owner_uids;
  };
  std::set<std::string> uids;
  std::vector<Dependent> dependents;
  std::set<std::string> done;
  for (const ApiResource& res : catalog.all()) {
    if (!done.insert(res.StorageKind()).second) continue;
    cp_.store().List(res.StorageKind(), "", "", [&](const StoredObject& o) {
      Arena arena(4096);
      auto root = ParseJsonText(o.json, arena);
      if (!root.ok()) return true;
      uids.insert(std::string(MetaString(*root, "uid")));
      const Node* owners = (*root)->GetPath({"metadata", "ownerReferences"});
      if (owners == nullptr || !owners->IsSeq() || owners->items().empty()) return true;
      Dependent d{&res, o, {}};
      for (const Node* ref : owners->items()) d.owner_uids.emplace_back(ref->GetString("uid"));
      dependents.push_back(std::move(d));
      return true;
    });
  }
  bool changed = false;
  for (const Dependent& d : dependents) {
    bool orphaned = true;
    for (const std::string& uid : d.owner_uids) orphaned = orphaned && uids.count(uid) == 0;
    if (!orphaned || IsBeingDeleted(d.object.json)) continue;
    std::lock_guard<std::mutex> lock(cp_.write_mu());
    auto current = cp_.store().Get(KeyOf(*d.res, d.object.ns, d.object.name));
    if (!current || current->rv != d.object.rv) continue;  // changed meanwhile: next pass decides
    Arena arena;
    auto root = ParseStored(current->json, *d.res, arena);
    if (root.ok() && StoreDelete(cp_, *d.res, *root, arena, false).ok()) changed = true;
  }
  return changed;
}

}  // namespace skiff::local
