#include "local/workload_controller.h"

#include <cstdint>
#include <cstdlib>
#include <set>
#include <vector>

#include "local/json_codec.h"
#include "local/object_meta.h"
#include "local/object_writes.h"

namespace skiff::local {
namespace {

using Clock = WorkloadController::Clock;

enum class Progress { kRollingOut, kDone, kFailed };

// Everything a status builder needs about one object at one pass.
struct Observed {
  const Node* obj;
  const Node* prev;  // current status, may be null
  Progress progress;
  const std::string& now;  // RFC 3339
  Arena& arena;
};

uint32_t Fnv1a(std::string_view s) {
  uint32_t h = 2166136261u;
  for (unsigned char c : s) h = (h ^ c) * 16777619u;
  return h;
}

// A pod-template-hash-like suffix: the decimal hash spelled in the
// alphabet Kubernetes uses for generated names.
std::string TemplateHash(const Node* obj) {
  std::string text;
  if (const Node* tmpl = obj->GetPath({"spec", "template"})) EmitJsonText(tmpl, text);
  std::string digits = std::to_string(Fnv1a(text));
  static constexpr std::string_view kAlphabet = "bcdfghjklmnpqrstvwxz2456789";
  std::string out;
  for (char d : digits) out += kAlphabet[static_cast<unsigned char>(d) % kAlphabet.size()];
  return out;
}

long long IntAt(const Node* root, std::initializer_list<std::string_view> path, long long fallback) {
  const Node* n = root == nullptr ? nullptr : root->GetPath(path);
  if (n == nullptr || n->kind() != NodeKind::kInt) return fallback;
  return std::atoll(std::string(n->scalar()).c_str());
}

std::string_view Annotation(const Node* obj, std::string_view key) {
  const Node* annotations = obj->GetPath({"metadata", "annotations"});
  return annotations == nullptr ? std::string_view() : annotations->GetString(key);
}

// Sets `key` to `value`, leaving zero counts out as the API server's
// omitempty encoding does.
void SetCount(Node* status, std::string_view key, long long value, Arena& arena) {
  if (value != 0) status->Set(key, arena.NewInt(value));
}

const Node* PrevCondition(const Node* prev, std::string_view type) {
  const Node* conditions = prev == nullptr ? nullptr : prev->Get("conditions");
  if (conditions == nullptr || !conditions->IsSeq()) return nullptr;
  for (const Node* c : conditions->items()) {
    if (c->GetString("type") == type) return c;
  }
  return nullptr;
}

// A condition that keeps its earlier timestamps while it says the same:
// lastTransitionTime while status holds, lastUpdateTime (or lastProbeTime,
// `time_key`) while reason and message hold too.
Node* Condition(const Observed& o, std::string_view type, bool ok, std::string_view reason, std::string_view message,
                std::string_view time_key = "lastUpdateTime") {
  Arena& a = o.arena;
  const Node* was = PrevCondition(o.prev, type);
  std::string_view status = ok ? "True" : "False";
  bool same_status = was != nullptr && was->GetString("status") == status;
  bool same_all = same_status && was->GetString("reason") == reason && was->GetString("message") == message;
  Node* c = a.NewMap();
  c->Set("type", a.NewString(type));
  c->Set("status", a.NewString(status));
  c->Set(time_key, a.NewString(a.Str(same_all ? was->GetString(time_key) : std::string_view(o.now))));
  c->Set("lastTransitionTime",
         a.NewString(a.Str(same_status ? was->GetString("lastTransitionTime") : std::string_view(o.now))));
  if (!reason.empty()) c->Set("reason", a.NewString(a.Str(reason)));
  if (!message.empty()) c->Set("message", a.NewString(a.Str(message)));
  return c;
}

// A timestamp field kept from the previous status, or now.
Node* KeptTime(const Observed& o, std::string_view key) {
  std::string_view was = o.prev == nullptr ? std::string_view() : o.prev->GetString(key);
  return o.arena.NewString(o.arena.Str(was.empty() ? std::string_view(o.now) : was));
}

Node* NewStatus(const Observed& o, bool with_generation = true) {
  Node* s = o.arena.NewMap();
  if (with_generation) s->Set("observedGeneration", o.arena.NewInt(MetaInt(o.obj, "generation")));
  return s;
}

Node* DeploymentStatus(const Observed& o) {
  long long want = IntAt(o.obj, {"spec", "replicas"}, 1);
  std::string rs = "ReplicaSet \"" + std::string(MetaString(o.obj, "name")) + "-" + TemplateHash(o.obj) + "\"";
  long long available = o.progress == Progress::kDone ? want
                        : o.progress == Progress::kFailed ? 0
                                                          : std::min(want, IntAt(o.prev, {"availableReplicas"}, 0));
  long long updated = o.progress == Progress::kRollingOut ? 0 : want;
  Node* s = NewStatus(o);
  SetCount(s, "replicas", want, o.arena);
  SetCount(s, "updatedReplicas", updated, o.arena);
  SetCount(s, "readyReplicas", available, o.arena);
  SetCount(s, "availableReplicas", available, o.arena);
  SetCount(s, "unavailableReplicas", want - available, o.arena);
  Node* conditions = o.arena.NewSeq();
  if (available >= want) {
    conditions->Append(Condition(o, "Available", true, "MinimumReplicasAvailable", "Deployment has minimum availability."));
  } else {
    conditions->Append(Condition(o, "Available", false, "MinimumReplicasUnavailable",
                                 "Deployment does not have minimum availability."));
  }
  switch (o.progress) {
    case Progress::kDone:
      conditions->Append(Condition(o, "Progressing", true, "NewReplicaSetAvailable", rs + " has successfully progressed."));
      break;
    case Progress::kRollingOut:
      conditions->Append(Condition(o, "Progressing", true, "ReplicaSetUpdated", rs + " is progressing."));
      break;
    case Progress::kFailed:
      conditions->Append(Condition(o, "Progressing", false, "ProgressDeadlineExceeded", rs + " has timed out progressing."));
      break;
  }
  s->Set("conditions", conditions);
  return s;
}

Node* ReplicaSetStatus(const Observed& o) {
  long long want = IntAt(o.obj, {"spec", "replicas"}, 1);
  long long ready = o.progress == Progress::kDone ? want : 0;
  Node* s = o.arena.NewMap();
  s->Set("replicas", o.arena.NewInt(want));
  SetCount(s, "fullyLabeledReplicas", want, o.arena);
  SetCount(s, "readyReplicas", ready, o.arena);
  SetCount(s, "availableReplicas", ready, o.arena);
  s->Set("observedGeneration", o.arena.NewInt(MetaInt(o.obj, "generation")));
  return s;
}

Node* StatefulSetStatus(const Observed& o) {
  long long want = IntAt(o.obj, {"spec", "replicas"}, 1);
  std::string revision = std::string(MetaString(o.obj, "name")) + "-" + TemplateHash(o.obj);
  bool done = o.progress == Progress::kDone;
  std::string_view current = o.prev == nullptr ? std::string_view() : o.prev->GetString("currentRevision");
  if (done || current.empty()) current = revision;
  // Until the new revision is ready, the pods of the current one serve.
  long long ready = done ? want : current != revision ? IntAt(o.prev, {"readyReplicas"}, 0) : 0;
  Node* s = NewStatus(o);
  s->Set("replicas", o.arena.NewInt(want));
  SetCount(s, "readyReplicas", ready, o.arena);
  SetCount(s, "currentReplicas", done || current != revision ? want : 0, o.arena);
  SetCount(s, "updatedReplicas", done ? want : 0, o.arena);
  SetCount(s, "availableReplicas", ready, o.arena);
  s->Set("currentRevision", o.arena.NewString(o.arena.Str(current)));
  s->Set("updateRevision", o.arena.NewString(o.arena.Str(revision)));
  s->Set("collisionCount", o.arena.NewInt(0));
  return s;
}

// One simulated node: every DaemonSet wants exactly one pod.
Node* DaemonSetStatus(const Observed& o) {
  bool done = o.progress == Progress::kDone;
  Node* s = NewStatus(o);
  s->Set("currentNumberScheduled", o.arena.NewInt(1));
  s->Set("numberMisscheduled", o.arena.NewInt(0));
  s->Set("desiredNumberScheduled", o.arena.NewInt(1));
  s->Set("numberReady", o.arena.NewInt(done ? 1 : 0));
  s->Set("updatedNumberScheduled", o.arena.NewInt(o.progress == Progress::kRollingOut ? 0 : 1));
  SetCount(s, "numberAvailable", done ? 1 : 0, o.arena);
  SetCount(s, "numberUnavailable", done ? 0 : 1, o.arena);
  return s;
}

Node* JobStatus(const Observed& o) {
  // A finished Job stays finished whatever happens to its spec.
  if (PrevCondition(o.prev, "Complete") != nullptr || PrevCondition(o.prev, "Failed") != nullptr) {
    return o.arena.Clone(o.prev);
  }
  Node* s = NewStatus(o, false);
  s->Set("startTime", KeptTime(o, "startTime"));
  Node* conditions = o.arena.NewSeq();
  switch (o.progress) {
    case Progress::kRollingOut:
      s->Set("active", o.arena.NewInt(IntAt(o.obj, {"spec", "parallelism"}, 1)));
      return s;
    case Progress::kDone:
      s->Set("completionTime", o.arena.NewString(o.arena.Str(o.now)));
      s->Set("succeeded", o.arena.NewInt(IntAt(o.obj, {"spec", "completions"}, 1)));
      conditions->Append(Condition(o, "Complete", true, "", "", "lastProbeTime"));
      break;
    case Progress::kFailed:
      s->Set("failed", o.arena.NewInt(IntAt(o.obj, {"spec", "backoffLimit"}, 6) + 1));
      conditions->Append(Condition(o, "Failed", true, "BackoffLimitExceeded", "Job has reached the specified backoff limit",
                                   "lastProbeTime"));
      break;
  }
  s->Set("conditions", conditions);
  return s;
}

Node* ClaimStatus(const Observed& o) {
  Node* s = o.arena.NewMap();
  if (o.progress != Progress::kDone) {
    s->Set("phase", o.arena.NewString("Pending"));
    return s;
  }
  s->Set("phase", o.arena.NewString("Bound"));
  if (const Node* modes = o.obj->GetPath({"spec", "accessModes"})) s->Set("accessModes", o.arena.Clone(modes));
  if (const Node* storage = o.obj->GetPath({"spec", "resources", "requests", "storage"})) {
    o.arena.GetOrCreateMap(s, "capacity")->Set("storage", o.arena.Clone(storage));
  }
  return s;
}

// A load-balancer address from TEST-NET-1 (192.0.2.0/24), derived from
// namespace/name so that it is the same on every run.
Node* LoadBalancerAddress(const Observed& o) {
  std::string id = std::string(MetaString(o.obj, "namespace")) + "/" + std::string(MetaString(o.obj, "name"));
  std::string ip = "192.0.2." + std::to_string(1 + Fnv1a(id) % 254);
  Node* ingress = o.arena.NewSeq();
  Node* entry = o.arena.NewMap();
  entry->Set("ip", o.arena.NewString(o.arena.Str(ip)));
  ingress->Append(entry);
  return ingress;
}

Node* ServiceStatus(const Observed& o) {
  Node* s = o.arena.NewMap();
  Node* lb = o.arena.GetOrCreateMap(s, "loadBalancer");
  bool balanced = o.obj->GetPath({"spec"}) != nullptr && o.obj->Get("spec")->GetString("type") == "LoadBalancer";
  if (!balanced || o.progress != Progress::kDone) return s;
  lb->Set("ingress", LoadBalancerAddress(o));
  return s;
}

// Ingresses are admitted as by an ingress controller in front of the
// cluster: each gets the load-balancer address clients wait for.
Node* IngressStatus(const Observed& o) {
  Node* s = o.arena.NewMap();
  Node* lb = o.arena.GetOrCreateMap(s, "loadBalancer");
  if (o.progress == Progress::kDone) lb->Set("ingress", LoadBalancerAddress(o));
  return s;
}

Node* NamespaceStatus(const Observed& o) {
  Node* s = o.prev != nullptr && o.prev->IsMap() ? o.arena.Clone(o.prev) : o.arena.NewMap();
  s->Set("phase", o.arena.NewString("Active"));
  return s;
}

Node* PodStatus(const Observed& o) {
  Arena& a = o.arena;
  bool ready = o.progress == Progress::kDone;
  Node* s = a.NewMap();
  s->Set("phase", a.NewString(o.progress == Progress::kRollingOut ? "Pending" : "Running"));
  Node* conditions = a.NewSeq();
  std::string_view not_ready = ready ? "" : "ContainersNotReady";
  for (std::string_view type : {"Initialized", "Ready", "ContainersReady", "PodScheduled"}) {
    bool ok = ready || type == "Initialized" || type == "PodScheduled";
    Node* c = Condition(o, type, ok, ok ? "" : not_ready, "", "lastProbeTime");
    c->Set("lastProbeTime", a.NewNull());
    conditions->Append(c);
  }
  s->Set("conditions", conditions);
  std::string id = std::string(MetaString(o.obj, "namespace")) + "/" + std::string(MetaString(o.obj, "name"));
  uint32_t h = Fnv1a(id);
  s->Set("hostIP", a.NewString("10.89.0.1"));
  s->Set("podIP", a.NewString(a.Str("10.244." + std::to_string(h >> 8 & 0xff) + "." + std::to_string(1 + h % 254))));
  s->Set("startTime", KeptTime(o, "startTime"));
  Node* statuses = a.NewSeq();
  const Node* containers = o.obj->GetPath({"spec", "containers"});
  for (size_t i = 0; containers != nullptr && containers->IsSeq() && i < containers->items().size(); ++i) {
    const Node* c = containers->items()[i];
    Node* cs = a.NewMap();
    cs->Set("name", a.NewString(a.Str(c->GetString("name"))));
    cs->Set("image", a.NewString(a.Str(c->GetString("image"))));
    cs->Set("ready", a.NewBool(ready));
    cs->Set("restartCount", a.NewInt(0));
    cs->Set("started", a.NewBool(ready));
    Node* state = a.GetOrCreateMap(cs, "state");
    if (ready) {
      a.GetOrCreateMap(state, "running")->Set("startedAt", KeptTime(o, "startTime"));
    } else {
      a.GetOrCreateMap(state, "waiting")->Set("reason", a.NewString(o.progress == Progress::kFailed ? "CrashLoopBackOff" : "ContainerCreating"));
    }
    statuses->Append(cs);
  }
  s->Set("containerStatuses", statuses);
  s->Set("qosClass", a.NewString("BestEffort"));
  return s;
}

struct SimulatedKind {
  std::string_view group;
  std::string_view plural;
  Node* (*desired)(const Observed&);
  bool delayed;  // waits for the rollout delay
};

constexpr SimulatedKind kKinds[] = {
    {"apps", "deployments", DeploymentStatus, true},   {"apps", "statefulsets", StatefulSetStatus, true},
    {"apps", "daemonsets", DaemonSetStatus, true},     {"apps", "replicasets", ReplicaSetStatus, true},
    {"batch", "jobs", JobStatus, true},                {"", "persistentvolumeclaims", ClaimStatus, false},
    {"", "services", ServiceStatus, false},            {"", "namespaces", NamespaceStatus, false},
    {"", "pods", PodStatus, false},                    {"networking.k8s.io", "ingresses", IngressStatus, false},
};

}  // namespace

std::optional<std::chrono::milliseconds> ParseRolloutDelay(std::string_view text) {
  size_t unit = text.find_first_not_of("0123456789.");
  std::string number(text.substr(0, unit));
  if (number.empty() || number.find('.') != number.rfind('.')) return std::nullopt;
  double value = std::strtod(number.c_str(), nullptr);
  std::string_view suffix = unit == std::string_view::npos ? std::string_view() : text.substr(unit);
  double scale = 0;
  if (suffix == "ms") scale = 1;
  else if (suffix == "s") scale = 1000;
  else if (suffix == "m") scale = 60000;
  else if (suffix == "h") scale = 3600000;
  else if (suffix.empty() && value == 0) scale = 1;
  else return std::nullopt;
  return std::chrono::milliseconds(static_cast<long long>(value * scale + 0.5));
}

struct WorkloadController::Pass {
  Clock::time_point now;
  std::string timestamp = NowRfc3339();
  Clock::time_point next_due = Clock::time_point::max();
  std::set<std::string> seen;
};

void WorkloadController::Start() {
  thread_ = std::thread([this] {
    int64_t seen = -1;
    Clock::time_point due = Clock::time_point::min();
    while (!stop_.load()) {
      Clock::time_point now = Clock::now();
      int64_t rv = cp_.store().CurrentRv();
      if (rv != seen || now >= due) {
        seen = rv;
        due = RunOnce(now);
      }
      // Our own writes bump the version too: the next loop sees them and
      // makes one more pass, which finds nothing left to do.
      cp_.store().WaitForEvents(seen, std::min(due, Clock::now() + std::chrono::milliseconds(500)));
      if (cp_.store().shut_down()) break;
    }
  });
}

void WorkloadController::Stop() {
  stop_.store(true);
  if (thread_.joinable()) thread_.join();
}

Clock::time_point WorkloadController::RunOnce(Clock::time_point now) {
  Pass pass;
  pass.now = now;
  for (const SimulatedKind& kind : kKinds) Reconcile(pass, kind.group, kind.plural);
  std::erase_if(rollouts_, [&](const auto& entry) { return pass.seen.count(entry.first) == 0; });
  return pass.next_due;
}

void WorkloadController::Reconcile(Pass& pass, std::string_view group, std::string_view plural) {
  const SimulatedKind* kind = nullptr;
  for (const SimulatedKind& k : kKinds) {
    if (k.group == group && k.plural == plural) kind = &k;
  }
  std::string storage_kind = std::string(group) + "/" + std::string(plural);
  std::vector<StoredObject> objects;
  cp_.store().List(storage_kind, "", "", [&](const StoredObject& o) {
    objects.push_back(o);
    return true;
  });
  for (const StoredObject& listed : objects) {
    Arena arena(16 * 1024);
    auto parsed = ParseJsonText(listed.json, arena);
    if (!parsed.ok() || !(*parsed)->IsMap()) continue;
    const Node* obj = *parsed;
    if (!MetaString(obj, "deletionTimestamp").empty()) continue;
    std::string key = ObjectKey{storage_kind, listed.ns, listed.name}.Encode();
    pass.seen.insert(key);
    bool fail = Annotation(obj, kSimulateAnnotation) == "fail-rollout";
    const Node* prev = obj->Get("status");
    Progress progress = fail ? Progress::kFailed : Progress::kDone;
    if (kind->delayed) {
      std::string uid(MetaString(obj, "uid"));
      long long generation = MetaInt(obj, "generation");
      auto it = rollouts_.find(key);
      if (it == rollouts_.end() || it->second.uid != uid || it->second.generation != generation) {
        auto delay = ParseRolloutDelay(Annotation(obj, kRolloutDelayAnnotation)).value_or(default_delay_);
        Clock::time_point finishes = pass.now + delay;
        // Rolled out before this controller started (a restart): stays so.
        Observed settled{obj, prev, progress, pass.timestamp, arena};
        if (prev != nullptr && IntAt(prev, {"observedGeneration"}, -1) == generation &&
            DeepEqual(kind->desired(settled), prev, false)) {
          finishes = pass.now;
        }
        it = rollouts_.insert_or_assign(key, Rollout{uid, generation, finishes}).first;
      }
      if (pass.now < it->second.finishes) {
        progress = Progress::kRollingOut;
        pass.next_due = std::min(pass.next_due, it->second.finishes);
      }
    }
    Node* desired = kind->desired(Observed{obj, prev, progress, pass.timestamp, arena});
    if (prev != nullptr && DeepEqual(desired, prev, false)) continue;
    std::string_view api_version = obj->GetString("apiVersion");
    std::string_view version = api_version.substr(api_version.find('/') + 1);
    auto res = cp_.Find(group, version, plural);
    if (!res) continue;
    std::lock_guard<std::mutex> lock(cp_.write_mu());
    auto current = cp_.store().Get(ObjectKey{storage_kind, listed.ns, listed.name});
    // A client wrote meanwhile: the pass its write triggers decides again.
    if (!current || current->rv != listed.rv) continue;
    Node* next = arena.Clone(obj);
    next->Set("status", desired);
    (void)StoreUpdate(cp_, *res, obj, next, false, arena, false);
  }
}

}  // namespace skiff::local
