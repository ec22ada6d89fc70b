#include "sync/applier.h"

#include <chrono>
#include <set>
#include <string>
#include <thread>
#include <unordered_map>

#include "sync/inventory.h"
#include "sync/live_state.h"
#include "sync/plan.h"
#include "sync/pruner.h"

namespace skiff::sync {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int kMaxRaceRetries = 4;

// A 409 that is not about field ownership.
bool IsWriteRace(const kube::ApiError& e) {
  if (!kube::IsConflict(e)) return false;
  for (const kube::StatusCause& c : e.causes) {
    if (c.reason == "FieldManagerConflict") return false;
  }
  return e.message.find("Apply failed with") == std::string::npos;
}

// A 409 without field-manager causes is a write race inside the API server
// (the object changed between its read and its write): apply carries no
// resourceVersion, so sending it again is safe. Field ownership conflicts
// are never retried: they mean another owner, and the caller reports them.
kube::ApiResult<Node*> ApplyThroughRaces(kube::Client& client, const Node* object,
                                         const kube::ApplyOptions& options, Arena& arena) {
  auto answer = client.Apply(object, options, arena);
  for (int attempt = 1; attempt < kMaxRaceRetries && !answer.ok() && IsWriteRace(answer.error());
       ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100 << attempt));
    answer = client.Apply(object, options, arena);
  }
  return answer;
}

// One object of the set on its way through the run.
struct Entry {
  size_t index = 0;
  ResId id;
  Node* live = nullptr;
  bool owned = false;
  std::string deferred;   // why it cannot be dry-run before its dependencies exist
  std::string conflict;   // set when the object belongs to someone else
  Node* preview = nullptr;  // the dry-run answer
  bool unchanged = false;
};

std::string Describe(const ResId& id) {
  std::string s = id.gvk.kind + "/" + id.name;
  if (!id.ns.empty()) s += " (" + id.ns + ")";
  return s;
}

bool IsEstablished(const Node* crd) {
  const Node* conditions = crd ? crd->GetPath({"status", "conditions"}) : nullptr;
  if (conditions == nullptr || !conditions->IsSeq()) return false;
  for (const Node* c : conditions->items()) {
    if (c->IsMap() && c->GetString("type") == "Established" && c->GetString("status") == "True") {
      return true;
    }
  }
  return false;
}

bool IsCrd(const ResId& id) {
  return id.gvk.group == "apiextensions.k8s.io" && id.gvk.kind == "CustomResourceDefinition";
}

class Applier {
 public:
  Applier(kube::Client& client, ResourceSet& set, Arena& arena, const ApplyRequest& request)
      : client_(client), set_(set), arena_(arena), request_(request),
        inventory_(Inventory::ForApp(request.app, request.inventory_namespace,
                                     request.tooling_version)) {}

  Result<ApplyReport> Run();

 private:
  Status Prepare();
  void DefaultNamespaces();
  Status ReadInventory();
  void Classify();
  bool Validate();
  bool ValidateEntry(Entry& e);
  Status WriteInventory();
  bool ApplyAll();
  bool ApplyEntry(Entry& e);
  Status WaitEstablished(const std::string& name);
  bool Prune();
  void Fail(const Entry& e, std::string message);

  kube::Client& client_;
  ResourceSet& set_;
  Arena& arena_;
  const ApplyRequest& request_;
  Inventory inventory_;
  bool parent_exists_ = false;
  std::set<std::string> recorded_group_kinds_;
  std::set<std::string> recorded_namespaces_;
  ApplyPlan plan_;
  LiveState live_;
  std::vector<Entry> entries_;  // in plan order
  std::unordered_map<std::string, std::string> crd_for_kind_;  // "Kind.group" -> CRD name
  ApplyReport report_;
};

void Applier::Fail(const Entry& e, std::string message) {
  report_.objects.push_back(ObjectReport{e.id, ObjectOutcome::kFailed,
                                         set_[e.index].origin.String(), std::move(message)});
}

// Namespaced objects without a namespace go to the client's default one, as
// kubectl does; the inventory must record where they really land.
void Applier::DefaultNamespaces() {
  bool changed = false;
  for (Resource& r : set_) {
    if (!r.Namespace().empty()) continue;
    Gvk gvk = r.GetGvk();
    auto mapping = client_.Mapping(gvk);
    bool namespaced = mapping.ok() && mapping->namespaced;
    if (!mapping.ok()) {
      for (const Resource& crd : set_) {
        const Node* spec = crd.root->Get("spec");
        if (IsCrd(crd.Id()) && spec && spec->GetString("group") == gvk.group &&
            spec->GetPath({"names", "kind"}) &&
            spec->GetPath({"names", "kind"})->scalar() == gvk.kind) {
          namespaced = spec->GetString("scope") == "Namespaced";
        }
      }
    }
    if (!namespaced) continue;
    Node* metadata = arena_.GetOrCreateMap(r.root, InternKey("metadata"));
    metadata->Set(InternKey("namespace"), arena_.NewString(arena_.Str(client_.default_namespace())));
    changed = true;
  }
  if (changed) set_.Reindex();
}

Status Applier::ReadInventory() {
  ResId parent{Gvk{"", "v1", "Secret"}, inventory_.parent_namespace, inventory_.parent_name};
  auto live = client_.Get(parent, arena_);
  if (!live.ok()) {
    if (kube::IsNotFound(live.error())) return Status::Ok();
    return Error{"reading inventory " + Describe(parent) + ": " + live.error().String()};
  }
  parent_exists_ = true;
  SKIFF_RETURN_IF_ERROR(ReadParent(*live, inventory_));
  recorded_group_kinds_ = inventory_.group_kinds;
  recorded_namespaces_ = inventory_.additional_namespaces;
  return Status::Ok();
}

Status Applier::Prepare() {
  if (set_.empty() && request_.prune && !request_.allow_empty) {
    return MakeError(
        "the render is empty and --prune would delete every object of the applied set " +
        inventory_.parent_name + "; refusing (pass --allow-empty if that is what you want)");
  }
  DefaultNamespaces();
  SKIFF_RETURN_IF_ERROR(LabelMembers(set_, arena_, inventory_.id));
  SKIFF_ASSIGN_OR_RETURN(plan_, PlanApply(set_));
  SKIFF_RETURN_IF_ERROR(ReadInventory());
  auto live = FetchLiveState(client_, set_, arena_);
  if (!live.ok()) return Error{"reading the live objects: " + live.error().String()};
  live_ = std::move(*live);
  for (const Resource& r : set_) {
    if (!IsCrd(r.Id())) continue;
    const Node* spec = r.root->Get("spec");
    const Node* kind = spec ? spec->GetPath({"names", "kind"}) : nullptr;
    if (kind == nullptr) continue;
    std::string group(spec->GetString("group"));
    crd_for_kind_[group.empty() ? std::string(kind->scalar())
                                : std::string(kind->scalar()) + "." + group] =
        std::string(r.Name());
  }
  return Status::Ok();
}

void Applier::Classify() {
  std::set<std::string> namespaces_in_set;
  for (const Resource& r : set_) {
    if (r.Kind() == "Namespace" && r.GetGvk().group.empty()) namespaces_in_set.emplace(r.Name());
  }
  for (const PlannedObject& step : plan_.steps) {
    Entry e;
    e.index = step.index;
    e.id = set_[step.index].Id();
    e.live = live_.Find(e.id);
    std::string group_kind = GroupKindString(e.id.gvk);
    if (e.live != nullptr) {
      e.owned = OwnedBy(e.live, inventory_.id, kFieldManager);
      if (!e.owned) {
        std::string owner = ForeignOwner(e.live, inventory_.id, kFieldManager);
        e.conflict = Describe(e.id) + " already exists and is not managed by this applied set" +
                     (owner.empty() ? "" : " (held by " + owner + ")") +
                     "; skiff does not take it over: delete it, or label it " +
                     std::string(kApplySetPartOfLabel) + "=" + inventory_.id +
                     " to adopt it, or remove it from the render";
      }
    } else if (live_.unserved_kinds.count(group_kind)) {
      auto crd = crd_for_kind_.find(group_kind);
      if (crd != crd_for_kind_.end()) {
        e.deferred = "validated after its CRD " + crd->second + " is established";
      }
    } else if (!e.id.ns.empty() && !live_.namespaces.count(e.id.ns) &&
               namespaces_in_set.count(e.id.ns)) {
      e.deferred = "validated after its namespace " + e.id.ns + " is created";
    }
    entries_.push_back(std::move(e));
  }
}

// Dry-runs one object; records its failure and returns false when invalid.
bool Applier::ValidateEntry(Entry& e) {
  std::string group_kind = GroupKindString(e.id.gvk);
  if (live_.unserved_kinds.count(group_kind) && !crd_for_kind_.count(group_kind)) {
    // Discovery looks again on a miss: the CRD may have been added meanwhile.
    auto mapping = client_.Mapping(e.id.gvk);
    if (!mapping.ok()) {
      Fail(e, "the server serves no kind " + e.id.gvk.kind + " in " + e.id.gvk.ApiVersion() +
                  " and no CustomResourceDefinition in this set defines it");
      return false;
    }
  }
  kube::ApplyOptions options;
  options.field_manager = std::string(kFieldManager);
  options.force = e.owned;
  options.dry_run = true;
  auto answer = ApplyThroughRaces(client_, set_[e.index].root, options, arena_);
  if (!answer.ok()) {
    Fail(e, answer.error().String());
    return false;
  }
  e.preview = *answer;
  e.unchanged = e.live != nullptr && SameContent(e.live, e.preview);
  return true;
}

bool Applier::Validate() {
  bool ok = true;
  for (Entry& e : entries_) {
    if (!e.conflict.empty()) continue;  // reported when its turn comes
    if (!e.deferred.empty()) continue;
    if (!ValidateEntry(e)) ok = false;
  }
  return ok;
}

Status Applier::WriteInventory() {
  if (parent_exists_ && inventory_.group_kinds == recorded_group_kinds_ &&
      inventory_.additional_namespaces == recorded_namespaces_) {
    return Status::Ok();
  }
  if (!live_.namespaces.count(inventory_.parent_namespace)) {
    ResId ns_id{Gvk{"", "v1", "Namespace"}, "", inventory_.parent_namespace};
    auto existing = client_.Get(ns_id, arena_);
    if (!existing.ok()) {
      if (!kube::IsNotFound(existing.error())) return existing.error();
      Node* ns = arena_.NewMap();
      ns->Set(InternKey("apiVersion"), arena_.NewString("v1"));
      ns->Set(InternKey("kind"), arena_.NewString("Namespace"));
      Node* meta = arena_.GetOrCreateMap(ns, InternKey("metadata"));
      meta->Set(InternKey("name"), arena_.NewString(arena_.Str(inventory_.parent_namespace)));
      kube::ApplyOptions options;
      options.field_manager = std::string(kFieldManager);
      auto created = client_.Apply(ns, options, arena_);
      if (!created.ok()) return created.error();
      ++report_.writes;
    }
    live_.namespaces.insert(inventory_.parent_namespace);
  }
  kube::ApplyOptions options;
  options.field_manager = std::string(kFieldManager);
  options.force = true;  // the parent is skiff's own record
  auto written = client_.Apply(inventory_.ParentObject(arena_), options, arena_);
  if (!written.ok()) return written.error();
  ++report_.writes;
  parent_exists_ = true;
  recorded_group_kinds_ = inventory_.group_kinds;
  recorded_namespaces_ = inventory_.additional_namespaces;
  return Status::Ok();
}

Status Applier::WaitEstablished(const std::string& name) {
  Clock::time_point deadline = Clock::now() + request_.crd_timeout;
  bool established = false;
  kube::WatchOptions options;
  options.field_selector = "metadata.name=" + name;
  options.timeout_seconds = static_cast<int>(
      std::chrono::duration_cast<std::chrono::seconds>(request_.crd_timeout).count() + 1);
  kube::ApiStatus status = client_.Watch(
      Gvk{"apiextensions.k8s.io", "v1", "CustomResourceDefinition"}, "", options,
      [&](const kube::WatchEvent& event) {
        if (event.type == kube::WatchEventType::kResync) {
          for (const Node* item : event.items) established = established || IsEstablished(item);
        } else if (event.object != nullptr && event.type != kube::WatchEventType::kDeleted) {
          established = established || IsEstablished(event.object);
        }
        return !established && Clock::now() < deadline;
      });
  if (established) return Status::Ok();
  if (!status.ok()) return status.error();
  return MakeError("CustomResourceDefinition " + name + " was not Established within " +
                   std::to_string(request_.crd_timeout.count() / 1000) + "s");
}

bool Applier::ApplyEntry(Entry& e) {
  const Resource& r = set_[e.index];
  if (!e.conflict.empty()) {
    Fail(e, "conflict: " + e.conflict);
    return false;
  }
  if (!e.deferred.empty()) {
    if (!ValidateEntry(e)) return false;
  }
  if (e.unchanged) {
    report_.objects.push_back(ObjectReport{e.id, ObjectOutcome::kUnchanged, r.origin.String(), ""});
    report_.applied.push_back(e.id);
    return true;
  }
  kube::ApplyOptions options;
  options.field_manager = std::string(kFieldManager);
  options.force = e.owned;
  auto answer = ApplyThroughRaces(client_, r.root, options, arena_);
  if (!answer.ok()) {
    Fail(e, answer.error().String());
    return false;
  }
  ++report_.writes;
  ObjectOutcome outcome = e.live == nullptr ? ObjectOutcome::kCreated
                          : ResourceVersion(*answer) == ResourceVersion(e.live)
                              ? ObjectOutcome::kUnchanged
                              : ObjectOutcome::kConfigured;
  report_.objects.push_back(ObjectReport{e.id, outcome, r.origin.String(),
                                         e.deferred.empty() ? "" : e.deferred});
  report_.applied.push_back(e.id);
  if (IsCrd(e.id)) {
    Status ready = WaitEstablished(e.id.name);
    if (!ready.ok()) {
      report_.objects.back().outcome = ObjectOutcome::kFailed;
      report_.objects.back().message = ready.error().message;
      report_.applied.pop_back();
      return false;
    }
  }
  return true;
}

bool Applier::ApplyAll() {
  bool ok = true;
  for (Entry& e : entries_) {
    if (!ApplyEntry(e)) ok = false;
  }
  return ok;
}

bool Applier::Prune() {
  auto candidates = FindPruneCandidates(client_, inventory_, set_, arena_);
  if (!candidates.ok()) {
    report_.notes.push_back("prune: listing the applied set's members failed: " +
                            candidates.error().String());
    return false;
  }
  bool ok = true;
  for (const PruneCandidate& c : *candidates) {
    if (request_.dry_run) {
      report_.objects.push_back(ObjectReport{c.id, ObjectOutcome::kPruned, "", ""});
      continue;
    }
    kube::ApiStatus deleted = DeleteCandidate(client_, c, arena_);
    if (!deleted.ok()) {
      report_.objects.push_back(
          ObjectReport{c.id, ObjectOutcome::kFailed, "", "prune: " + deleted.error().String()});
      ok = false;
      continue;
    }
    ++report_.writes;
    report_.objects.push_back(ObjectReport{c.id, ObjectOutcome::kPruned, "", ""});
  }
  return ok;
}

Result<ApplyReport> Applier::Run() {
  SKIFF_RETURN_IF_ERROR(Prepare());
  report_.applyset_id = inventory_.id;
  report_.inventory = "Secret " + inventory_.parent_namespace + "/" + inventory_.parent_name;
  Classify();
  if (!Validate()) {
    report_.validation_failed = true;
    report_.prune_skipped = request_.prune;
    report_.notes.push_back("validation failed: nothing was changed");
    return std::move(report_);
  }
  if (request_.dry_run) {
    for (Entry& e : entries_) {
      const Resource& r = set_[e.index];
      if (!e.conflict.empty()) {
        Fail(e, "conflict: " + e.conflict);
        continue;
      }
      ObjectOutcome outcome = e.live == nullptr ? ObjectOutcome::kCreated
                              : e.unchanged      ? ObjectOutcome::kUnchanged
                                                 : ObjectOutcome::kConfigured;
      report_.objects.push_back(ObjectReport{e.id, outcome, r.origin.String(),
                                             e.deferred.empty() ? "" : "not " + e.deferred});
    }
    if (request_.prune) {
      inventory_.Cover(set_);
      Prune();
    }
    return std::move(report_);
  }
  // Widen the record before any member is written, so a crash midway leaves
  // every written member findable by the next run's prune.
  inventory_.Cover(set_);
  Status recorded = WriteInventory();
  if (!recorded.ok()) return Error{"writing the inventory " + report_.inventory + ": " +
                                   recorded.error().message};
  bool all_applied = ApplyAll();
  if (!request_.prune) return std::move(report_);
  if (!all_applied) {
    report_.prune_skipped = true;
    report_.notes.push_back("prune skipped: not every object was applied");
    return std::move(report_);
  }
  if (!Prune()) return std::move(report_);
  inventory_.CoverExactly(set_);
  Status narrowed = WriteInventory();
  if (!narrowed.ok()) {
    report_.notes.push_back("updating the inventory after prune failed: " +
                            narrowed.error().message);
  }
  return std::move(report_);
}

}  // namespace

std::string_view OutcomeName(ObjectOutcome outcome) {
  switch (outcome) {
    case ObjectOutcome::kCreated: return "created";
    case ObjectOutcome::kConfigured: return "configured";
    case ObjectOutcome::kUnchanged: return "unchanged";
    case ObjectOutcome::kPruned: return "pruned";
    case ObjectOutcome::kFailed: return "failed";
  }
  return "failed";
}

bool ApplyReport::ok() const {
  return !validation_failed && !prune_skipped && Count(ObjectOutcome::kFailed) == 0;
}

int ApplyReport::Count(ObjectOutcome outcome) const {
  int n = 0;
  for (const ObjectReport& o : objects) n += o.outcome == outcome ? 1 : 0;
  return n;
}

Result<ApplyReport> ApplyResources(kube::Client& client, ResourceSet& set, Arena& arena,
                                   const ApplyRequest& request) {
  Applier applier(client, set, arena, request);
  return applier.Run();
}

}  // namespace skiff::sync
