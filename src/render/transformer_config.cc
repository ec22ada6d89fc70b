// kustomize v5.5.0's built-in field-spec tables (where each built-in
// transformer acts), restated as data. The name-reference table lives beside
// the name-reference fix-up.
#include "render/transformer.h"

namespace skiff {

namespace {

// One row of a table: group, version, kind (empty = any), path, create.
struct SpecRow {
  std::string_view group;
  std::string_view version;
  std::string_view kind;
  std::string_view path;
  bool create;
};

template <size_t N>
void AppendRows(std::vector<FieldSpec>& out, const SpecRow (&rows)[N]) {
  for (const SpecRow& r : rows) {
    out.push_back(FieldSpec::Make(r.group, r.version, r.kind, r.path, r.create));
  }
}

// Labels on the object and on the objects it stamps out (pod templates, job
// templates, volume claim templates): shared by commonLabels and by
// labels[].includeTemplates.
constexpr SpecRow kMetadataLabels[] = {
    {"", "", "", "metadata/labels", true},
    {"", "v1", "ReplicationController", "spec/template/metadata/labels", true},
    {"", "", "Deployment", "spec/template/metadata/labels", true},
    {"", "", "ReplicaSet", "spec/template/metadata/labels", true},
    {"", "", "DaemonSet", "spec/template/metadata/labels", true},
    {"apps", "", "StatefulSet", "spec/template/metadata/labels", true},
    {"apps", "", "StatefulSet", "spec/volumeClaimTemplates[]/metadata/labels", true},
    {"batch", "", "Job", "spec/template/metadata/labels", true},
    {"batch", "", "CronJob", "spec/jobTemplate/metadata/labels", true},
    {"batch", "", "CronJob", "spec/jobTemplate/spec/template/metadata/labels", true},
};

// Pod (anti-)affinity and topology-spread selectors of a pod template; they
// only change when present.
constexpr std::string_view kPodTemplateSelectorPaths[] = {
    "spec/template/spec/affinity/podAffinity/preferredDuringSchedulingIgnoredDuringExecution/"
    "podAffinityTerm/labelSelector/matchLabels",
    "spec/template/spec/affinity/podAffinity/requiredDuringSchedulingIgnoredDuringExecution/"
    "labelSelector/matchLabels",
    "spec/template/spec/affinity/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/"
    "podAffinityTerm/labelSelector/matchLabels",
    "spec/template/spec/affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution/"
    "labelSelector/matchLabels",
    "spec/template/spec/topologySpreadConstraints/labelSelector/matchLabels",
};

void AppendPodTemplateSelectors(std::vector<FieldSpec>& out, std::string_view kind) {
  for (std::string_view path : kPodTemplateSelectorPaths) {
    out.push_back(FieldSpec::Make("apps", "", kind, path, false));
  }
}

std::vector<FieldSpec> CommonLabelSpecs() {
  std::vector<FieldSpec> out;
  constexpr SpecRow kServiceAndRc[] = {
      {"", "v1", "Service", "spec/selector", true},
      {"", "v1", "ReplicationController", "spec/selector", true},
      {"", "", "Deployment", "spec/selector/matchLabels", true},
  };
  AppendRows(out, kServiceAndRc);
  AppendPodTemplateSelectors(out, "Deployment");
  constexpr SpecRow kReplicaSets[] = {
      {"", "", "ReplicaSet", "spec/selector/matchLabels", true},
      {"", "", "DaemonSet", "spec/selector/matchLabels", true},
      {"apps", "", "StatefulSet", "spec/selector/matchLabels", true},
  };
  AppendRows(out, kReplicaSets);
  AppendPodTemplateSelectors(out, "StatefulSet");
  constexpr SpecRow kOthers[] = {
      {"batch", "", "Job", "spec/selector/matchLabels", false},
      {"batch", "", "CronJob", "spec/jobTemplate/spec/selector/matchLabels", false},
      {"policy", "", "PodDisruptionBudget", "spec/selector/matchLabels", false},
      {"networking.k8s.io", "", "NetworkPolicy", "spec/podSelector/matchLabels", false},
      {"networking.k8s.io", "", "NetworkPolicy", "spec/ingress/from/podSelector/matchLabels",
       false},
      {"networking.k8s.io", "", "NetworkPolicy", "spec/egress/to/podSelector/matchLabels", false},
  };
  AppendRows(out, kOthers);
  AppendRows(out, kMetadataLabels);
  return out;
}

std::vector<FieldSpec> CommonAnnotationSpecs() {
  constexpr SpecRow kRows[] = {
      {"", "", "", "metadata/annotations", true},
      {"", "v1", "ReplicationController", "spec/template/metadata/annotations", true},
      {"", "", "Deployment", "spec/template/metadata/annotations", true},
      {"", "", "ReplicaSet", "spec/template/metadata/annotations", true},
      {"", "", "DaemonSet", "spec/template/metadata/annotations", true},
      {"", "", "StatefulSet", "spec/template/metadata/annotations", true},
      {"batch", "", "Job", "spec/template/metadata/annotations", true},
      {"batch", "", "CronJob", "spec/jobTemplate/metadata/annotations", true},
      {"batch", "", "CronJob", "spec/jobTemplate/spec/template/metadata/annotations", true},
  };
  std::vector<FieldSpec> out;
  AppendRows(out, kRows);
  return out;
}

std::vector<FieldSpec> NamespaceSpecs() {
  // metadata/namespace and the RoleBinding subjects are special-cased by the
  // namespace transformer (cluster scope, subjects named "default"); the rows
  // are here so a user's `configurations` sees the same table as kustomize.
  constexpr SpecRow kRows[] = {
      {"", "", "", "metadata/namespace", true},
      {"", "v1", "Namespace", "metadata/name", true},
      {"", "", "RoleBinding", "subjects[]/namespace", false},
      {"", "", "ClusterRoleBinding", "subjects[]/namespace", false},
      {"apiregistration.k8s.io", "", "APIService", "spec/service/namespace", true},
      {"apiextensions.k8s.io", "", "CustomResourceDefinition",
       "spec/conversion/webhook/clientConfig/service/namespace", false},
  };
  std::vector<FieldSpec> out;
  AppendRows(out, kRows);
  return out;
}

std::vector<FieldSpec> ImageSpecs() {
  constexpr SpecRow kRows[] = {
      {"", "", "", "spec/containers[]/image", true},
      {"", "", "", "spec/initContainers[]/image", true},
      {"", "", "", "spec/template/spec/containers[]/image", true},
      {"", "", "", "spec/template/spec/initContainers[]/image", true},
  };
  std::vector<FieldSpec> out;
  AppendRows(out, kRows);
  return out;
}

std::vector<FieldSpec> ReplicaSpecs() {
  constexpr SpecRow kRows[] = {
      {"", "", "Deployment", "spec/replicas", true},
      {"", "", "ReplicationController", "spec/replicas", true},
      {"", "", "ReplicaSet", "spec/replicas", true},
      {"", "", "StatefulSet", "spec/replicas", true},
  };
  std::vector<FieldSpec> out;
  AppendRows(out, kRows);
  return out;
}

// Where `$(VAR)` may appear: container args, commands, env values and mount
// paths of every pod-bearing kind, plus a few host/port fields.
std::vector<FieldSpec> VarReferenceSpecs() {
  std::vector<FieldSpec> out;
  constexpr std::string_view kContainerFields[] = {"args", "command", "env/value",
                                                   "volumeMounts/mountPath"};
  auto add_pod_spec = [&](std::string_view kind, std::string_view pod_spec,
                          std::string_view volumes) {
    for (std::string_view list : {"containers", "initContainers"}) {
      for (std::string_view field : kContainerFields) {
        std::string path = std::string(pod_spec) + "/" + std::string(list) + "/" +
                           std::string(field);
        out.push_back(FieldSpec::Make("", "", kind, path));
      }
    }
    out.push_back(FieldSpec::Make("", "", kind, std::string(volumes) + "/nfs/server"));
  };
  add_pod_spec("CronJob", "spec/jobTemplate/spec/template/spec", "spec/jobTemplate/spec/template/volumes");
  add_pod_spec("DaemonSet", "spec/template/spec", "spec/template/spec/volumes");
  add_pod_spec("Deployment", "spec/template/spec", "spec/template/spec/volumes");
  out.push_back(FieldSpec::Make("", "", "Deployment", "spec/template/metadata/annotations"));
  constexpr SpecRow kIngress[] = {
      {"", "", "Ingress", "spec/rules/host", false},
      {"", "", "Ingress", "spec/tls/hosts", false},
      {"", "", "Ingress", "spec/tls/secretName", false},
  };
  AppendRows(out, kIngress);
  add_pod_spec("Job", "spec/template/spec", "spec/template/spec/volumes");
  add_pod_spec("Pod", "spec", "spec/volumes");
  add_pod_spec("ReplicaSet", "spec/template/spec", "spec/template/spec/volumes");
  constexpr SpecRow kService[] = {
      {"", "", "Service", "spec/ports/port", false},
      {"", "", "Service", "spec/ports/targetPort", false},
  };
  AppendRows(out, kService);
  add_pod_spec("StatefulSet", "spec/template/spec", "spec/volumeClaimTemplates/spec");
  constexpr SpecRow kTail[] = {
      {"", "", "PersistentVolume", "spec/nfs/server", false},
      {"", "", "", "metadata/labels", false},
      {"", "", "", "metadata/annotations", false},
  };
  AppendRows(out, kTail);
  return out;
}

TransformerConfig MakeBuiltin() {
  TransformerConfig c;
  c.name_prefix.push_back(FieldSpec::Make("", "", "", "metadata/name"));
  c.name_suffix.push_back(FieldSpec::Make("", "", "", "metadata/name"));
  c.name_space = NamespaceSpecs();
  c.common_labels = CommonLabelSpecs();
  AppendRows(c.template_labels, kMetadataLabels);
  c.common_annotations = CommonAnnotationSpecs();
  c.images = ImageSpecs();
  c.replicas = ReplicaSpecs();
  c.var_reference = VarReferenceSpecs();
  c.name_reference = BuiltinNameReferenceRules();
  return c;
}

}  // namespace

const TransformerConfig& TransformerConfig::Builtin() {
  // Never destroyed: freeing its thousands of strings at exit cost more than
  // a one-app render's patches.
  static const TransformerConfig* config = new TransformerConfig(MakeBuiltin());
  return *config;
}

}  // namespace skiff
