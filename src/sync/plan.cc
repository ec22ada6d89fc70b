#include "sync/plan.h"

#include <algorithm>
#include <charconv>
#include <string>

namespace skiff::sync {
namespace {

// Ranks, in apply order. Gaps keep room for kinds added later.
enum Rank : int {
  kNamespaceRank = 0,
  kCrdRank = 10,
  kClusterRoleRank = 20,
  kClusterRoleBindingRank = 21,
  kClassRank = 30,
  kServiceAccountRank = 40,
  kRoleRank = 41,
  kRoleBindingRank = 42,
  kConfigRank = 50,
  kStorageRank = 60,
  kServiceRank = 70,
  kWorkloadRank = 80,
  kOtherRank = 90,
  kWebhookRank = 100,
};

struct KindRankEntry {
  std::string_view group;
  std::string_view kind;
  int rank;
};

constexpr KindRankEntry kKindRanks[] = {
    {"", "Namespace", kNamespaceRank},
    {"apiextensions.k8s.io", "CustomResourceDefinition", kCrdRank},
    {"rbac.authorization.k8s.io", "ClusterRole", kClusterRoleRank},
    {"rbac.authorization.k8s.io", "ClusterRoleBinding", kClusterRoleBindingRank},
    {"storage.k8s.io", "StorageClass", kClassRank},
    {"scheduling.k8s.io", "PriorityClass", kClassRank},
    {"networking.k8s.io", "IngressClass", kClassRank},
    {"node.k8s.io", "RuntimeClass", kClassRank},
    {"", "ResourceQuota", kClassRank},
    {"", "LimitRange", kClassRank},
    {"", "ServiceAccount", kServiceAccountRank},
    {"rbac.authorization.k8s.io", "Role", kRoleRank},
    {"rbac.authorization.k8s.io", "RoleBinding", kRoleBindingRank},
    {"", "ConfigMap", kConfigRank},
    {"", "Secret", kConfigRank},
    {"", "PersistentVolume", kStorageRank},
    {"", "PersistentVolumeClaim", kStorageRank},
    {"", "Service", kServiceRank},
    {"apps", "Deployment", kWorkloadRank},
    {"apps", "StatefulSet", kWorkloadRank},
    {"apps", "DaemonSet", kWorkloadRank},
    {"apps", "ReplicaSet", kWorkloadRank},
    {"", "ReplicationController", kWorkloadRank},
    {"", "Pod", kWorkloadRank},
    {"batch", "Job", kWorkloadRank},
    {"batch", "CronJob", kWorkloadRank},
    {"admissionregistration.k8s.io", "ValidatingWebhookConfiguration", kWebhookRank},
    {"admissionregistration.k8s.io", "MutatingWebhookConfiguration", kWebhookRank},
    {"admissionregistration.k8s.io", "ValidatingAdmissionPolicy", kWebhookRank},
    {"admissionregistration.k8s.io", "ValidatingAdmissionPolicyBinding", kWebhookRank},
};

}  // namespace

int KindRank(std::string_view group, std::string_view kind) {
  for (const KindRankEntry& e : kKindRanks) {
    if (e.kind == kind && e.group == group) return e.rank;
  }
  return kOtherRank;
}

Result<int> SyncWave(const Resource& object) {
  const Node* value = object.root->GetPath({"metadata", "annotations"});
  if (value == nullptr || !value->IsMap()) return 0;
  const Node* wave = value->Get(kSyncWaveAnnotation);
  if (wave == nullptr) return 0;
  std::string_view text = wave->scalar();
  int parsed = 0;
  const char* first = text.data();
  const char* last = text.data() + text.size();
  if (!text.empty() && *first == '+') ++first;
  auto [end, ec] = std::from_chars(first, last, parsed);
  if (text.empty() || ec != std::errc() || end != last || !wave->IsScalar()) {
    return MakeError(object.origin.String() + ": metadata.annotations[" +
                     std::string(kSyncWaveAnnotation) + "]: \"" + std::string(text) +
                     "\" is not an integer");
  }
  return parsed;
}

Result<ApplyPlan> PlanApply(const ResourceSet& set) {
  ApplyPlan plan;
  plan.steps.reserve(set.size());
  for (size_t i = 0; i < set.size(); ++i) {
    const Resource& r = set[i];
    SKIFF_ASSIGN_OR_RETURN(int wave, SyncWave(r));
    Gvk gvk = r.GetGvk();
    plan.steps.push_back(PlannedObject{i, wave, KindRank(gvk.group, gvk.kind)});
  }
  std::stable_sort(plan.steps.begin(), plan.steps.end(),
                   [](const PlannedObject& a, const PlannedObject& b) {
                     if (a.wave != b.wave) return a.wave < b.wave;
                     return a.rank < b.rank;
                   });
  return plan;
}

}  // namespace skiff::sync
