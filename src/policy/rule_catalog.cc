#include "policy/rule_catalog.h"

namespace skiff::policy {

const std::vector<RuleInfo>& AllRules() {
  static const std::vector<RuleInfo> rules = {
      // Pod Security Standards, Baseline.
      {"pss-baseline/host-process", "Windows HostProcess containers are not allowed",
       "remove windowsOptions.hostProcess or set it to false"},
      {"pss-baseline/host-namespaces", "Sharing the host network, PID or IPC namespace is not allowed",
       "remove hostNetwork/hostPID/hostIPC or set them to false"},
      {"pss-baseline/privileged", "Privileged containers are not allowed",
       "remove securityContext.privileged or set it to false"},
      {"pss-baseline/capabilities", "Only the default capability set may be added",
       "add only AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, "
       "SETFCAP, SETGID, SETPCAP, SETUID or SYS_CHROOT"},
      {"pss-baseline/host-path-volumes", "hostPath volumes are not allowed",
       "use an emptyDir, configMap, secret or persistentVolumeClaim volume instead of hostPath"},
      {"pss-baseline/host-ports", "Host ports are not allowed",
       "remove hostPort (or set it to 0) and expose the port through a Service"},
      {"pss-baseline/apparmor", "AppArmor may not be disabled or overridden",
       "use appArmorProfile type RuntimeDefault or Localhost (annotation runtime/default or localhost/*)"},
      {"pss-baseline/selinux", "Custom SELinux user/role or types are not allowed",
       "leave seLinuxOptions user and role unset and type unset or one of container_t, "
       "container_init_t, container_kvm_t, container_engine_t"},
      {"pss-baseline/proc-mount", "Unmasked /proc mounts are not allowed",
       "remove securityContext.procMount or set it to Default"},
      {"pss-baseline/seccomp", "Seccomp may not be set to Unconfined",
       "set seccompProfile.type to RuntimeDefault or Localhost"},
      {"pss-baseline/sysctls", "Only the safe sysctl set is allowed",
       "remove the sysctl or use only the namespaced safe sysctls"},
      // Pod Security Standards, Restricted.
      {"pss-restricted/volume-types", "Only core non-host volume types are allowed",
       "use configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected or "
       "secret volumes"},
      {"pss-restricted/privilege-escalation", "Privilege escalation must be disallowed",
       "set securityContext.allowPrivilegeEscalation: false on every container"},
      {"pss-restricted/run-as-non-root", "Containers must run as non-root",
       "set securityContext.runAsNonRoot: true on the pod (or on every container)"},
      {"pss-restricted/run-as-user", "Containers must not run as UID 0",
       "set runAsUser to a non-zero UID or leave it unset"},
      {"pss-restricted/seccomp", "A seccomp profile must be set",
       "set spec.securityContext.seccompProfile.type: RuntimeDefault"},
      {"pss-restricted/capabilities", "Containers must drop ALL capabilities and add only NET_BIND_SERVICE",
       "set securityContext.capabilities.drop: [\"ALL\"] and add at most NET_BIND_SERVICE"},
      // Platform rules.
      {"platform/resources", "Containers set CPU and memory requests and limits",
       "set resources.requests and resources.limits for cpu and memory"},
      {"platform/image-tag", "Images are pinned to a tag other than latest, or a digest",
       "pin the image to a version tag or a digest"},
      {"platform/image-registry", "Images come only from allowed registries",
       "pull the image from one of the registries allowed in the policy file"},
      {"platform/probes", "Long-running containers have readiness and liveness probes",
       "add a readinessProbe and a livenessProbe"},
      {"platform/read-only-root-fs", "Containers use a read-only root filesystem",
       "set securityContext.readOnlyRootFilesystem: true and mount an emptyDir for scratch space"},
      {"platform/default-namespace", "Namespaced objects do not go to the default namespace",
       "set metadata.namespace (or the kustomization namespace) to the team's namespace"},
      {"platform/automount-token", "Service account tokens are mounted only when needed",
       "set automountServiceAccountToken: false on the pod or its ServiceAccount"},
      {"platform/service-type", "Services are not exposed through NodePort or LoadBalancer",
       "use type ClusterIP behind the platform ingress"},
      {"platform/external-ips", "Services do not set externalIPs",
       "remove spec.externalIPs (it can intercept cluster traffic)"},
      {"platform/network-policy", "Every namespace with workloads is covered by a NetworkPolicy",
       "add a NetworkPolicy (e.g. default-deny) to the namespace"},
      {"platform/pod-disruption-budget", "Workloads with more than one replica have a PodDisruptionBudget",
       "add a PodDisruptionBudget whose selector matches the pod labels"},
      {"platform/required-labels", "Workloads carry the required labels",
       "add the missing labels to metadata.labels"},
      {"platform/deprecated-api", "Objects use API versions still served",
       "move the object to the current apiVersion"},
      {"platform/rbac-wildcard", "RBAC rules do not grant wildcard verbs or resources",
       "list the verbs and resources explicitly"},
      {"platform/cluster-admin-binding", "Nothing is bound to cluster-admin",
       "bind a narrower Role or ClusterRole"},
      {"platform/secret-in-env", "Secret-looking env values are not literals",
       "move the value to a Secret and use valueFrom.secretKeyRef"},
      // The policy file itself.
      {"policy/exception-expired", "Policy exceptions must not be past their expiry date",
       "renew the exception with a new expires date, or fix the object and remove it"},
  };
  return rules;
}

const RuleInfo* FindRule(std::string_view id) {
  for (const RuleInfo& r : AllRules()) {
    if (r.id == id) return &r;
  }
  return nullptr;
}

std::string_view FixFor(std::string_view id) {
  const RuleInfo* r = FindRule(id);
  return r == nullptr ? std::string_view() : r->fix;
}

Severity DefaultSeverity(std::string_view id) {
  return id.starts_with("platform/") ? Severity::kWarning : Severity::kError;
}

}  // namespace skiff::policy
