// kustomize's built-in nameReference table (v5.5), written as the product of
// the workload kinds that embed a pod spec and the pod-spec fields that name
// each referee kind.
#include <initializer_list>
#include <string>

#include "render/name_reference.h"

namespace skiff {

namespace {

// A kind whose objects embed a pod spec, and the path to that pod spec.
struct PodSpecHolder {
  const char* version;  // "" = any
  const char* kind;
  const char* pod_spec_path;
};

constexpr PodSpecHolder kPod{"v1", "Pod", "spec"};
constexpr PodSpecHolder kPodTemplate{"", "PodTemplate", "template/spec"};
constexpr PodSpecHolder kDeployment{"", "Deployment", "spec/template/spec"};
constexpr PodSpecHolder kReplicaSet{"", "ReplicaSet", "spec/template/spec"};
constexpr PodSpecHolder kDaemonSet{"", "DaemonSet", "spec/template/spec"};
constexpr PodSpecHolder kStatefulSet{"", "StatefulSet", "spec/template/spec"};
constexpr PodSpecHolder kJob{"", "Job", "spec/template/spec"};
constexpr PodSpecHolder kReplicationController{"", "ReplicationController", "spec/template/spec"};
constexpr PodSpecHolder kCronJob{"", "CronJob", "spec/jobTemplate/spec/template/spec"};

// ConfigMaps and Secrets are named from these holders...
constexpr std::initializer_list<PodSpecHolder> kConfigHolders = {
    kPod, kPodTemplate, kDeployment, kReplicaSet, kDaemonSet, kStatefulSet, kJob, kCronJob};
// ...service accounts, claims and priority classes from these.
constexpr std::initializer_list<PodSpecHolder> kAccountHolders = {
    kPod, kStatefulSet, kDeployment, kReplicationController, kCronJob, kJob, kDaemonSet};

void AddPodSpecFields(NameReferenceRule& rule, std::initializer_list<PodSpecHolder> holders,
                      std::initializer_list<const char*> fields) {
  for (const PodSpecHolder& h : holders) {
    for (const char* field : fields) {
      rule.referrers.push_back(
          FieldSpec::Make("", h.version, h.kind, std::string(h.pod_spec_path) + "/" + field));
    }
  }
}

void Add(NameReferenceRule& rule, const char* group, const char* kind, const char* path) {
  rule.referrers.push_back(FieldSpec::Make(group, "", kind, path));
}

NameReferenceRule Referee(const char* group, const char* version, const char* kind) {
  NameReferenceRule rule;
  rule.referee = Gvk{group, version, kind};
  return rule;
}

NameReferenceRule ScaleTarget(const char* kind) {
  NameReferenceRule rule = Referee("", "", kind);
  Add(rule, "", "HorizontalPodAutoscaler", "spec/scaleTargetRef/name");
  return rule;
}

NameReferenceRule ConfigMapRule() {
  NameReferenceRule rule = Referee("", "v1", "ConfigMap");
  AddPodSpecFields(rule, kConfigHolders,
                   {"volumes/configMap/name", "containers/env/valueFrom/configMapKeyRef/name",
                    "initContainers/env/valueFrom/configMapKeyRef/name",
                    "containers/envFrom/configMapRef/name", "initContainers/envFrom/configMapRef/name",
                    "volumes/projected/sources/configMap/name"});
  Add(rule, "", "Node", "spec/configSource/configMap");
  Add(rule, "", "Role", "rules/resourceNames");
  Add(rule, "", "ClusterRole", "rules/resourceNames");
  Add(rule, "", "Ingress", "metadata/annotations/nginx.ingress.kubernetes.io\\/fastcgi-params-configmap");
  return rule;
}

NameReferenceRule SecretRule() {
  NameReferenceRule rule = Referee("", "v1", "Secret");
  AddPodSpecFields(rule, kConfigHolders,
                   {"volumes/secret/secretName", "containers/env/valueFrom/secretKeyRef/name",
                    "initContainers/env/valueFrom/secretKeyRef/name", "containers/envFrom/secretRef/name",
                    "initContainers/envFrom/secretRef/name", "imagePullSecrets/name",
                    "volumes/projected/sources/secret/name"});
  Add(rule, "", "Ingress", "spec/tls/secretName");
  Add(rule, "", "Ingress", "metadata/annotations/ingress.kubernetes.io\\/auth-secret");
  Add(rule, "", "Ingress", "metadata/annotations/nginx.ingress.kubernetes.io\\/auth-secret");
  Add(rule, "", "Ingress", "metadata/annotations/nginx.ingress.kubernetes.io\\/auth-tls-secret");
  Add(rule, "", "ServiceAccount", "imagePullSecrets/name");
  for (const char* p : {"parameters/secretName", "parameters/adminSecretName",
                        "parameters/userSecretName", "parameters/secretRef"}) {
    Add(rule, "", "StorageClass", p);
  }
  Add(rule, "", "Role", "rules/resourceNames");
  Add(rule, "", "ClusterRole", "rules/resourceNames");
  rule.referrers.push_back(FieldSpec::Make("serving.knative.dev", "v1", "Service",
                                           "spec/template/spec/containers/env/valueFrom/secretKeyRef/name"));
  Add(rule, "", "PersistentVolume", "spec/azureFile/secretName");
  return rule;
}

NameReferenceRule ServiceRule() {
  NameReferenceRule rule = Referee("", "v1", "Service");
  Add(rule, "apps", "StatefulSet", "spec/serviceName");
  Add(rule, "", "Ingress", "spec/rules/http/paths/backend/serviceName");
  Add(rule, "", "Ingress", "spec/backend/serviceName");
  Add(rule, "", "Ingress", "spec/rules/http/paths/backend/service/name");
  Add(rule, "", "Ingress", "spec/defaultBackend/service/name");
  Add(rule, "apiregistration.k8s.io", "APIService", "spec/service/name");
  Add(rule, "admissionregistration.k8s.io", "ValidatingWebhookConfiguration", "webhooks/clientConfig/service");
  Add(rule, "admissionregistration.k8s.io", "MutatingWebhookConfiguration", "webhooks/clientConfig/service");
  return rule;
}

NameReferenceRule RbacRoleRule(const char* kind, bool from_cluster_bindings) {
  constexpr const char* kRbac = "rbac.authorization.k8s.io";
  NameReferenceRule rule = Referee(kRbac, "", kind);
  Add(rule, kRbac, "RoleBinding", "roleRef/name");
  if (from_cluster_bindings) Add(rule, kRbac, "ClusterRoleBinding", "roleRef/name");
  return rule;
}

NameReferenceRule ServiceAccountRule() {
  NameReferenceRule rule = Referee("", "v1", "ServiceAccount");
  // Whole subject maps: their name and namespace are both rewritten.
  Add(rule, "rbac.authorization.k8s.io", "RoleBinding", "subjects");
  Add(rule, "rbac.authorization.k8s.io", "ClusterRoleBinding", "subjects");
  AddPodSpecFields(rule, kAccountHolders, {"serviceAccountName"});
  return rule;
}

NameReferenceRule PodSpecFieldRule(const char* group, const char* kind, const char* field) {
  NameReferenceRule rule = Referee(group, "v1", kind);
  AddPodSpecFields(rule, kAccountHolders, {field});
  return rule;
}

}  // namespace

std::vector<NameReferenceRule> BuiltinNameReferenceRules() {
  std::vector<NameReferenceRule> rules;
  for (const char* kind : {"Deployment", "ReplicationController", "ReplicaSet", "StatefulSet"}) {
    rules.push_back(ScaleTarget(kind));
  }
  rules.push_back(ConfigMapRule());
  rules.push_back(SecretRule());
  rules.push_back(ServiceRule());
  rules.push_back(RbacRoleRule("Role", false));
  rules.push_back(RbacRoleRule("ClusterRole", true));
  rules.push_back(ServiceAccountRule());
  rules.push_back(PodSpecFieldRule("", "PersistentVolumeClaim", "volumes/persistentVolumeClaim/claimName"));

  NameReferenceRule pv = Referee("", "v1", "PersistentVolume");
  Add(pv, "", "PersistentVolumeClaim", "spec/volumeName");
  Add(pv, "", "ClusterRole", "rules/resourceNames");
  rules.push_back(std::move(pv));

  NameReferenceRule sc = Referee("storage.k8s.io", "v1", "StorageClass");
  Add(sc, "", "PersistentVolume", "spec/storageClassName");
  Add(sc, "", "PersistentVolumeClaim", "spec/storageClassName");
  Add(sc, "", "StatefulSet", "spec/volumeClaimTemplates/spec/storageClassName");
  rules.push_back(std::move(sc));

  rules.push_back(PodSpecFieldRule("scheduling.k8s.io", "PriorityClass", "priorityClassName"));

  // kustomize v5.5 spells this referee's group "networking.k8s.io/v1", which
  // no object has, so ingressClassName is never rewritten; kept for parity.
  NameReferenceRule ic = Referee("networking.k8s.io/v1", "v1", "IngressClass");
  Add(ic, "", "Ingress", "spec/ingressClassName");
  rules.push_back(std::move(ic));
  return rules;
}

}  // namespace skiff
