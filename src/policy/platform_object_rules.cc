// platform/default-namespace, service-type, external-ips, deprecated-api,
// rbac-wildcard, cluster-admin-binding (per object) and network-policy,
// pod-disruption-budget (over the set).
#include <cstdlib>
#include <map>
#include <optional>
#include <string>

#include "policy/platform_rules.h"

namespace skiff::policy {
namespace {

// API versions no longer served, and what replaced them. `kind` empty means
// every kind of that group/version.
struct RemovedApi {
  std::string_view api_version;
  std::string_view kind;
  std::string_view replacement;
  std::string_view removed_in;
};

constexpr RemovedApi kRemovedApis[] = {
    {"extensions/v1beta1", "Ingress", "networking.k8s.io/v1", "1.22"},
    {"extensions/v1beta1", "NetworkPolicy", "networking.k8s.io/v1", "1.16"},
    {"extensions/v1beta1", "PodSecurityPolicy", "Pod Security admission", "1.16"},
    {"extensions/v1beta1", "", "apps/v1", "1.16"},
    {"apps/v1beta1", "", "apps/v1", "1.16"},
    {"apps/v1beta2", "", "apps/v1", "1.16"},
    {"policy/v1beta1", "PodSecurityPolicy", "Pod Security admission", "1.25"},
    {"policy/v1beta1", "", "policy/v1", "1.25"},
    {"batch/v1beta1", "", "batch/v1", "1.25"},
    {"batch/v2alpha1", "", "batch/v1", "1.21"},
    {"networking.k8s.io/v1beta1", "", "networking.k8s.io/v1", "1.22"},
    {"autoscaling/v2beta1", "", "autoscaling/v2", "1.25"},
    {"autoscaling/v2beta2", "", "autoscaling/v2", "1.26"},
    {"rbac.authorization.k8s.io/v1beta1", "", "rbac.authorization.k8s.io/v1", "1.22"},
    {"rbac.authorization.k8s.io/v1alpha1", "", "rbac.authorization.k8s.io/v1", "1.22"},
    {"apiextensions.k8s.io/v1beta1", "", "apiextensions.k8s.io/v1", "1.22"},
    {"admissionregistration.k8s.io/v1beta1", "", "admissionregistration.k8s.io/v1", "1.22"},
    {"apiregistration.k8s.io/v1beta1", "", "apiregistration.k8s.io/v1", "1.22"},
    {"certificates.k8s.io/v1beta1", "", "certificates.k8s.io/v1", "1.22"},
    {"coordination.k8s.io/v1beta1", "", "coordination.k8s.io/v1", "1.22"},
    {"scheduling.k8s.io/v1beta1", "", "scheduling.k8s.io/v1", "1.22"},
    {"scheduling.k8s.io/v1alpha1", "", "scheduling.k8s.io/v1", "1.17"},
    {"storage.k8s.io/v1beta1", "CSIStorageCapacity", "storage.k8s.io/v1", "1.27"},
    {"storage.k8s.io/v1beta1", "", "storage.k8s.io/v1", "1.22"},
    {"discovery.k8s.io/v1beta1", "", "discovery.k8s.io/v1", "1.25"},
    {"events.k8s.io/v1beta1", "", "events.k8s.io/v1", "1.25"},
    {"node.k8s.io/v1beta1", "", "node.k8s.io/v1", "1.25"},
    {"flowcontrol.apiserver.k8s.io/v1beta1", "", "flowcontrol.apiserver.k8s.io/v1", "1.26"},
    {"flowcontrol.apiserver.k8s.io/v1beta2", "", "flowcontrol.apiserver.k8s.io/v1", "1.29"},
    {"flowcontrol.apiserver.k8s.io/v1beta3", "", "flowcontrol.apiserver.k8s.io/v1", "1.32"},
};

void CheckDeprecatedApi(const Resource& r, FindingSink& sink) {
  const Node* api = r.root->Get("apiVersion");
  std::string_view version = Text(api);
  std::string_view kind = r.Kind();
  for (const RemovedApi& removed : kRemovedApis) {
    if (removed.api_version != version || (!removed.kind.empty() && removed.kind != kind)) continue;
    sink.Report("platform/deprecated-api", api, "apiVersion",
                std::string(version) + " " + std::string(kind) + " is no longer served since Kubernetes " +
                    std::string(removed.removed_in) + "; use " + std::string(removed.replacement));
    return;
  }
}

void CheckNamespace(const Resource& r, bool cluster_scoped, FindingSink& sink) {
  if (cluster_scoped) return;
  std::string_view ns = r.Namespace();
  if (!ns.empty() && ns != "default") return;
  const Node* at = r.root->GetPath({"metadata", "namespace"});
  sink.Report("platform/default-namespace", at != nullptr ? at : r.root, "metadata.namespace",
              ns.empty() ? "no namespace set: the object lands in the current namespace, usually default"
                         : "the object is in the default namespace");
}

void CheckService(const Resource& r, FindingSink& sink) {
  const Node* type = r.root->GetPath({"spec", "type"});
  std::string_view t = Text(type);
  if (t == "NodePort" || t == "LoadBalancer") {
    sink.Report("platform/service-type", type, "spec.type", "Service type " + std::string(t));
  }
  const Node* ips = r.root->GetPath({"spec", "externalIPs"});
  if (ips != nullptr && ips->IsSeq() && !ips->items().empty()) {
    sink.Report("platform/external-ips", AtKey(r.root->Get("spec"), "externalIPs"), "spec.externalIPs",
                "Service sets externalIPs " + std::string(Text(ips->items()[0])) +
                    (ips->items().size() > 1 ? ", ..." : ""));
  }
}

bool SeqHasStar(const Node* seq) {
  if (seq == nullptr || !seq->IsSeq()) return false;
  for (const Node* n : seq->items()) {
    if (Text(n) == "*") return true;
  }
  return false;
}

void CheckRbac(const Resource& r, FindingSink& sink) {
  std::string_view kind = r.Kind();
  if (kind == "Role" || kind == "ClusterRole") {
    const Node* rules = r.root->Get("rules");
    if (rules == nullptr || !rules->IsSeq()) return;
    for (size_t i = 0; i < rules->items().size(); ++i) {
      const Node* rule = rules->items()[i];
      if (rule == nullptr || !rule->IsMap()) continue;
      for (std::string_view key : {"verbs", "resources"}) {
        if (!SeqHasStar(rule->Get(key))) continue;
        sink.Report("platform/rbac-wildcard", AtKey(rule, key),
                    "rules[" + std::to_string(i) + "]." + std::string(key),
                    std::string(kind) + " grants " + std::string(key) + " \"*\"");
      }
    }
  }
  if (kind == "RoleBinding" || kind == "ClusterRoleBinding") {
    const Node* ref = r.root->Get("roleRef");
    if (ref != nullptr && ref->IsMap() && ref->GetString("kind") == "ClusterRole" &&
        ref->GetString("name") == "cluster-admin") {
      sink.Report("platform/cluster-admin-binding", ref->Get("name"), "roleRef.name",
                  std::string(kind) + " binds cluster-admin");
    }
  }
}

// --- set rules ---

bool ExpressionMatches(const Node* expr, const Node* labels) {
  std::string_view key = expr->GetString("key");
  std::string_view op = expr->GetString("operator");
  const Node* have = labels != nullptr && labels->IsMap() ? labels->Get(key) : nullptr;
  bool in_values = false;
  const Node* values = expr->Get("values");
  if (have != nullptr && values != nullptr && values->IsSeq()) {
    for (const Node* v : values->items()) in_values = in_values || Text(v) == Text(have);
  }
  if (op == "In") return in_values;
  if (op == "NotIn") return !in_values;
  if (op == "Exists") return have != nullptr;
  if (op == "DoesNotExist") return have == nullptr;
  return false;
}

// A label selector (matchLabels/matchExpressions) against pod labels.
bool SelectorMatches(const Node* selector, const Node* labels) {
  if (selector == nullptr || !selector->IsMap()) return false;
  const Node* match = selector->Get("matchLabels");
  if (match != nullptr && match->IsMap()) {
    for (const MapEntry& e : match->entries()) {
      const Node* have = labels != nullptr && labels->IsMap() ? labels->Get(e.key) : nullptr;
      if (have == nullptr || Text(have) != Text(e.value)) return false;
    }
  }
  const Node* exprs = selector->Get("matchExpressions");
  if (exprs != nullptr && exprs->IsSeq()) {
    for (const Node* x : exprs->items()) {
      if (x == nullptr || !x->IsMap() || !ExpressionMatches(x, labels)) return false;
    }
  }
  return true;
}

long Replicas(const Resource& r) {
  std::string_view kind = r.Kind();
  if (kind != "Deployment" && kind != "StatefulSet" && kind != "ReplicaSet" &&
      kind != "ReplicationController") {
    return 0;
  }
  const Node* n = r.root->GetPath({"spec", "replicas"});
  if (n == nullptr || n->kind() != NodeKind::kInt) return 1;
  return std::strtol(std::string(n->scalar()).c_str(), nullptr, 10);
}

void CheckDisruptionBudgets(const ResourceSet& set, std::vector<Finding>& out) {
  std::map<std::string_view, std::vector<const Node*>> selectors_by_ns;
  for (const Resource& pdb : set) {
    if (pdb.Kind() != "PodDisruptionBudget") continue;
    selectors_by_ns[pdb.Namespace()].push_back(pdb.root->GetPath({"spec", "selector"}));
  }
  for (const Resource& r : set) {
    if (Replicas(r) <= 1) continue;
    std::optional<PodSpecRef> pod = FindPodSpec(r);
    const Node* labels = pod && pod->metadata ? pod->metadata->Get("labels") : nullptr;
    bool covered = false;
    auto it = selectors_by_ns.find(r.Namespace());
    if (it != selectors_by_ns.end()) {
      for (const Node* selector : it->second) covered = covered || SelectorMatches(selector, labels);
    }
    if (covered) continue;
    FindingSink sink(r, out);
    const Node* replicas = r.root->GetPath({"spec", "replicas"});
    sink.Report("platform/pod-disruption-budget", replicas, "spec.replicas",
                std::string(r.Kind()) + " runs " + std::to_string(Replicas(r)) +
                    " replicas and no PodDisruptionBudget selects its pods");
  }
}

void CheckNetworkPolicies(const ResourceSet& set, std::vector<Finding>& out) {
  std::map<std::string, bool> has_policy;
  for (const Resource& r : set) {
    if (r.Kind() == "NetworkPolicy") has_policy[std::string(r.Namespace())] = true;
  }
  std::map<std::string, bool> reported;
  for (const Resource& r : set) {
    if (!FindPodSpec(r)) continue;
    std::string ns(r.Namespace());
    if (has_policy[ns] || reported[ns]) continue;
    reported[ns] = true;
    FindingSink sink(r, out);
    sink.Report("platform/network-policy", r.root->GetPath({"metadata", "namespace"}),
                "metadata.namespace",
                "namespace " + (ns.empty() ? std::string("(unset)") : ns) +
                    " runs workloads and no NetworkPolicy in the render covers it");
  }
}

}  // namespace

void CheckObjectRules(const Resource& r, bool cluster_scoped, FindingSink& sink) {
  CheckNamespace(r, cluster_scoped, sink);
  CheckDeprecatedApi(r, sink);
  if (r.Kind() == "Service") CheckService(r, sink);
  CheckRbac(r, sink);
}

void CheckSetRules(const ResourceSet& set, std::vector<Finding>& out) {
  CheckNetworkPolicies(set, out);
  CheckDisruptionBudgets(set, out);
}

}  // namespace skiff::policy
