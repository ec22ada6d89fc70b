#include "sync/health.h"

#include <charconv>
#include <optional>
#include <string>

namespace skiff::sync {
namespace {

HealthStatus Healthy(std::string reason = {}) { return {Health::kHealthy, std::move(reason)}; }
HealthStatus Progressing(std::string reason) { return {Health::kProgressing, std::move(reason)}; }
HealthStatus Degraded(std::string reason) { return {Health::kDegraded, std::move(reason)}; }

std::optional<long long> IntAt(const Node* node, std::initializer_list<std::string_view> path) {
  const Node* n = node ? node->GetPath(path) : nullptr;
  if (n == nullptr || !n->IsScalar() || n->IsNull()) return std::nullopt;
  long long v = 0;
  std::string_view s = n->scalar();
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

long long IntOr(const Node* node, std::initializer_list<std::string_view> path, long long dflt) {
  return IntAt(node, path).value_or(dflt);
}

std::string_view TextAt(const Node* node, std::initializer_list<std::string_view> path) {
  const Node* n = node ? node->GetPath(path) : nullptr;
  return n != nullptr && n->IsScalar() ? n->scalar() : std::string_view();
}

bool TrueAt(const Node* node, std::initializer_list<std::string_view> path) {
  return TextAt(node, path) == "true";
}

// status.conditions[type == `type`], or nullptr.
const Node* Condition(const Node* live, std::string_view type) {
  const Node* conds = live->GetPath({"status", "conditions"});
  if (conds == nullptr || !conds->IsSeq()) return nullptr;
  for (const Node* c : conds->items()) {
    if (c->IsMap() && c->GetString("type") == type) return c;
  }
  return nullptr;
}

std::string_view ConditionStatus(const Node* live, std::string_view type) {
  const Node* c = Condition(live, type);
  return c ? TextAt(c, {"status"}) : std::string_view();
}

// "type: reason: message" from a condition, for reasons shown to people.
std::string Describe(const Node* cond) {
  std::string out(TextAt(cond, {"type"}));
  for (std::string_view part : {TextAt(cond, {"reason"}), TextAt(cond, {"message"})}) {
    if (part.empty()) continue;
    out += ": ";
    out += part;
  }
  return out;
}

std::string Count(long long have, long long want) {
  return std::to_string(have) + " of " + std::to_string(want);
}

// The controller has not yet seen the latest spec: nothing in status is current.
bool GenerationPending(const Node* live) {
  auto generation = IntAt(live, {"metadata", "generation"});
  auto observed = IntAt(live, {"status", "observedGeneration"});
  return generation && observed && *observed < *generation;
}

HealthStatus DeploymentHealth(const Node* live) {
  if (TrueAt(live, {"spec", "paused"})) return Healthy("rollout paused");
  if (live->Get("status") == nullptr) return Progressing("waiting for the controller");
  if (GenerationPending(live)) return Progressing("waiting for the new spec to be observed");
  const Node* progressing = Condition(live, "Progressing");
  if (progressing && TextAt(progressing, {"reason"}) == "ProgressDeadlineExceeded")
    return Degraded(Describe(progressing));
  long long want = IntOr(live, {"spec", "replicas"}, 1);
  long long updated = IntOr(live, {"status", "updatedReplicas"}, 0);
  long long total = IntOr(live, {"status", "replicas"}, 0);
  long long available = IntOr(live, {"status", "availableReplicas"}, 0);
  if (updated < want) return Progressing(Count(updated, want) + " replicas updated");
  if (total > updated)
    return Progressing(std::to_string(total - updated) + " old replicas pending termination");
  if (available < updated) return Progressing(Count(available, updated) + " updated replicas available");
  return Healthy();
}

HealthStatus StatefulSetHealth(const Node* live) {
  if (live->Get("status") == nullptr) return Progressing("waiting for the controller");
  if (GenerationPending(live)) return Progressing("waiting for the new spec to be observed");
  long long want = IntOr(live, {"spec", "replicas"}, 1);
  long long ready = IntOr(live, {"status", "readyReplicas"}, 0);
  if (ready < want) return Progressing(Count(ready, want) + " pods ready");
  if (TextAt(live, {"spec", "updateStrategy", "type"}) == "OnDelete")
    return Healthy("OnDelete update strategy: pods are replaced by hand");
  long long partition = IntOr(live, {"spec", "updateStrategy", "rollingUpdate", "partition"}, 0);
  if (partition > 0) {
    long long updated = IntOr(live, {"status", "updatedReplicas"}, 0);
    long long target = want - partition;
    if (updated < target) return Progressing(Count(updated, target) + " pods of the partition updated");
    return Healthy("partitioned rollout complete");
  }
  std::string_view current = TextAt(live, {"status", "currentRevision"});
  std::string_view update = TextAt(live, {"status", "updateRevision"});
  if (current != update) {
    long long updated = IntOr(live, {"status", "updatedReplicas"}, 0);
    return Progressing("rolling update to " + std::string(update) + ": " + Count(updated, want) +
                       " pods updated");
  }
  return Healthy();
}

HealthStatus DaemonSetHealth(const Node* live) {
  if (live->Get("status") == nullptr) return Progressing("waiting for the controller");
  if (GenerationPending(live)) return Progressing("waiting for the new spec to be observed");
  if (TextAt(live, {"spec", "updateStrategy", "type"}) == "OnDelete")
    return Healthy("OnDelete update strategy: pods are replaced by hand");
  long long desired = IntOr(live, {"status", "desiredNumberScheduled"}, 0);
  long long updated = IntOr(live, {"status", "updatedNumberScheduled"}, 0);
  long long available = IntOr(live, {"status", "numberAvailable"}, 0);
  if (updated < desired) return Progressing(Count(updated, desired) + " pods updated");
  if (available < desired) return Progressing(Count(available, desired) + " pods available");
  return Healthy();
}

HealthStatus ReplicaSetHealth(const Node* live) {
  if (live->Get("status") == nullptr) return Progressing("waiting for the controller");
  if (GenerationPending(live)) return Progressing("waiting for the new spec to be observed");
  const Node* failure = Condition(live, "ReplicaFailure");
  if (failure && TextAt(failure, {"status"}) == "True") return Degraded(Describe(failure));
  long long want = IntOr(live, {"spec", "replicas"}, 1);
  long long available = IntOr(live, {"status", "availableReplicas"}, 0);
  if (available < want) return Progressing(Count(available, want) + " replicas available");
  return Healthy();
}

HealthStatus JobHealth(const Node* live) {
  const Node* failed = Condition(live, "Failed");
  if (failed && TextAt(failed, {"status"}) == "True") return Degraded(Describe(failed));
  const Node* complete = Condition(live, "Complete");
  if (complete && TextAt(complete, {"status"}) == "True") return Healthy("complete");
  if (TrueAt(live, {"spec", "suspend"})) return Healthy("suspended");
  long long active = IntOr(live, {"status", "active"}, 0);
  return Progressing(std::to_string(active) + " pods active, not yet complete");
}

HealthStatus CronJobHealth(const Node* live) {
  if (TrueAt(live, {"spec", "suspend"})) return Healthy("suspended");
  std::string_view last = TextAt(live, {"status", "lastScheduleTime"});
  if (last.empty()) return Healthy("not scheduled yet");
  return Healthy("last scheduled at " + std::string(last));
}

// A container stuck in one of these will not get better without a change.
bool IsBadWaitingReason(std::string_view reason) {
  return reason == "CrashLoopBackOff" || reason == "ImagePullBackOff" || reason == "ErrImagePull" ||
         reason == "CreateContainerConfigError" || reason == "InvalidImageName" ||
         reason == "CreateContainerError" || reason == "RunContainerError";
}

// The first container (init containers first) stuck waiting for a bad reason.
std::optional<std::string> StuckContainer(const Node* live) {
  for (std::string_view list : {"initContainerStatuses", "containerStatuses"}) {
    const Node* statuses = live->GetPath({"status", list});
    if (statuses == nullptr || !statuses->IsSeq()) continue;
    for (const Node* cs : statuses->items()) {
      std::string_view reason = TextAt(cs, {"state", "waiting", "reason"});
      if (!IsBadWaitingReason(reason)) continue;
      std::string out = "container " + std::string(TextAt(cs, {"name"})) + ": " + std::string(reason);
      std::string_view message = TextAt(cs, {"state", "waiting", "message"});
      if (!message.empty()) out += ": " + std::string(message);
      return out;
    }
  }
  return std::nullopt;
}

HealthStatus PodHealth(const Node* live) {
  std::string_view phase = TextAt(live, {"status", "phase"});
  if (phase == "Succeeded") return Healthy("succeeded");
  if (phase == "Failed") {
    std::string reason = "failed";
    for (std::string_view part : {TextAt(live, {"status", "reason"}), TextAt(live, {"status", "message"})})
      if (!part.empty()) reason += ": " + std::string(part);
    return Degraded(reason);
  }
  if (auto stuck = StuckContainer(live)) return Degraded(*stuck);
  if (phase == "Running") {
    std::string_view policy = TextAt(live, {"spec", "restartPolicy"});
    // A run-to-completion pod is still working while it runs.
    if (policy == "Never" || policy == "OnFailure") return Progressing("running to completion");
    if (ConditionStatus(live, "Ready") == "True") return Healthy();
    return Progressing("running, not ready");
  }
  return Progressing(phase.empty() ? std::string("pending") : "phase " + std::string(phase));
}

HealthStatus PvcHealth(const Node* live) {
  std::string_view phase = TextAt(live, {"status", "phase"});
  if (phase == "Bound") return Healthy();
  if (phase == "Lost") return Degraded("claim lost its volume");
  return Progressing(phase.empty() ? std::string("pending") : "phase " + std::string(phase));
}

bool HasLoadBalancerIngress(const Node* live) {
  const Node* ingress = live->GetPath({"status", "loadBalancer", "ingress"});
  return ingress != nullptr && ingress->IsSeq() && !ingress->items().empty();
}

HealthStatus ServiceHealth(const Node* live) {
  if (TextAt(live, {"spec", "type"}) != "LoadBalancer") return Healthy();
  if (HasLoadBalancerIngress(live)) return Healthy();
  return Progressing("waiting for a load balancer address");
}

HealthStatus IngressHealth(const Node* live) {
  if (HasLoadBalancerIngress(live)) return Healthy();
  return Progressing("waiting for a load balancer address");
}

HealthStatus CrdHealth(const Node* live) {
  const Node* names = Condition(live, "NamesAccepted");
  if (names && TextAt(names, {"status"}) == "False") return Degraded(Describe(names));
  if (ConditionStatus(live, "Established") == "True") return Healthy();
  return Progressing("not established yet");
}

HealthStatus NamespaceHealth(const Node* live) {
  std::string_view phase = TextAt(live, {"status", "phase"});
  if (phase == "Terminating") return Progressing("terminating");
  return Healthy();
}

bool IsFailureReason(std::string_view reason) {
  return reason.starts_with("Failed") || reason.starts_with("Invalid");
}

HealthStatus HpaHealth(const Node* live) {
  for (std::string_view type : {"AbleToScale", "ScalingActive"}) {
    const Node* c = Condition(live, type);
    if (c && TextAt(c, {"status"}) == "False" && IsFailureReason(TextAt(c, {"reason"})))
      return Degraded(Describe(c));
  }
  const Node* active = Condition(live, "ScalingActive");
  if (active && TextAt(active, {"reason"}) == "ScalingDisabled") return Healthy("scaling disabled");
  if (ConditionStatus(live, "AbleToScale") == "True") return Healthy();
  if (live->Get("status") == nullptr) return Healthy("no status reported");
  return Progressing("waiting for the autoscaler to report it can scale");
}

HealthStatus PdbHealth(const Node* live) {
  auto current = IntAt(live, {"status", "currentHealthy"});
  auto desired = IntAt(live, {"status", "desiredHealthy"});
  if (!current || !desired) return Healthy("no status reported");
  if (GenerationPending(live)) return Progressing("waiting for the new spec to be observed");
  if (*current < *desired)
    return Degraded(Count(*current, *desired) + " required pods healthy: disruptions not allowed");
  return Healthy();
}

HealthStatus ApiServiceHealth(const Node* live) {
  const Node* available = Condition(live, "Available");
  if (available == nullptr) return Progressing("waiting for availability");
  if (TextAt(available, {"status"}) == "True") return Healthy();
  return Degraded(Describe(available));
}

HealthStatus GenericHealth(const Node* live) {
  if (live->Get("status") == nullptr) return Healthy();
  if (GenerationPending(live)) return Progressing("waiting for the new spec to be observed");
  const Node* ready = Condition(live, "Ready");
  if (ready == nullptr) return Healthy();
  std::string_view status = TextAt(ready, {"status"});
  if (status == "True") return Healthy();
  if (status == "False") return Degraded(Describe(ready));
  return Progressing(Describe(ready));
}

}  // namespace

std::string_view HealthName(Health health) {
  switch (health) {
    case Health::kHealthy: return "Healthy";
    case Health::kProgressing: return "Progressing";
    case Health::kDegraded: return "Degraded";
    case Health::kMissing: return "Missing";
  }
  return "Unknown";
}

HealthStatus AssessHealth(const Node* live) {
  if (live == nullptr || !live->IsMap()) return {Health::kMissing, "not found"};
  std::string_view api_version = live->GetString("apiVersion");
  size_t slash = api_version.find('/');
  std::string_view group = slash == std::string_view::npos ? std::string_view()
                                                           : api_version.substr(0, slash);
  std::string_view kind = live->GetString("kind");
  if (group == "apps" || group == "extensions") {
    if (kind == "Deployment") return DeploymentHealth(live);
    if (kind == "StatefulSet") return StatefulSetHealth(live);
    if (kind == "DaemonSet") return DaemonSetHealth(live);
    if (kind == "ReplicaSet") return ReplicaSetHealth(live);
  }
  if (group == "batch") {
    if (kind == "Job") return JobHealth(live);
    if (kind == "CronJob") return CronJobHealth(live);
  }
  if (group.empty()) {
    if (kind == "Pod") return PodHealth(live);
    if (kind == "PersistentVolumeClaim") return PvcHealth(live);
    if (kind == "Service") return ServiceHealth(live);
    if (kind == "Namespace") return NamespaceHealth(live);
  }
  if (kind == "Ingress" && (group == "networking.k8s.io" || group == "extensions"))
    return IngressHealth(live);
  if (kind == "CustomResourceDefinition" && group == "apiextensions.k8s.io") return CrdHealth(live);
  if (kind == "HorizontalPodAutoscaler" && group == "autoscaling") return HpaHealth(live);
  if (kind == "PodDisruptionBudget" && group == "policy") return PdbHealth(live);
  if (kind == "APIService" && group == "apiregistration.k8s.io") return ApiServiceHealth(live);
  return GenericHealth(live);
}

}  // namespace skiff::sync
