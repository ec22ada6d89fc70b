#include "policy/pss_baseline.h"

#include <algorithm>
#include <array>
#include <string>

#include "policy/rule_catalog.h"

namespace skiff::policy {
namespace {

template <size_t N>
bool OneOf(std::string_view v, const std::array<std::string_view, N>& set) {
  return std::find(set.begin(), set.end(), v) != set.end();
}

void Report(FindingSink& sink, std::string_view rule, Where at, std::string field,
            std::string message) {
  sink.Report(rule, at, std::move(field), std::move(message));
}

void Report(FindingSink& sink, std::string_view rule, const Node* at, std::string field,
            std::string message) {
  sink.Report(rule, At(at), std::move(field), std::move(message));
}

// A securityContext (pod or container); its path is built only for a finding.
struct Context {
  const Node* node;                          // may be null
  const ContainerRef* container = nullptr;  // null for the pod's own context
  std::string_view pod_path;

  std::string Path() const {  // "...securityContext"
    return (container != nullptr ? container->Path() : std::string(pod_path)) + ".securityContext";
  }
};

void AllContexts(const PodSpecRef& pod, const std::vector<ContainerRef>& cs,
                 std::vector<Context>& out) {
  out.clear();
  out.push_back({pod.spec->Get("securityContext"), nullptr, pod.path});
  for (const ContainerRef& c : cs) {
    out.push_back({c.node->Get("securityContext"), &c, pod.path});
  }
}

void CheckHostProcess(const std::vector<Context>& ctxs, FindingSink& sink) {
  for (const Context& c : ctxs) {
    FieldLookup f = Lookup(c.node, {"windowsOptions", "hostProcess"});
    if (IsTrue(f.value)) {
      Report(sink, "pss-baseline/host-process", f.value, c.Path() + ".windowsOptions.hostProcess",
             "hostProcess is true");
    }
  }
}

void CheckHostNamespaces(const PodSpecRef& pod, FindingSink& sink) {
  for (std::string_view key : {"hostNetwork", "hostPID", "hostIPC"}) {
    const Node* v = pod.spec->Get(key);
    if (IsTrue(v)) {
      Report(sink, "pss-baseline/host-namespaces", v, std::string(pod.path) + "." + std::string(key),
             std::string(key) + " is true");
    }
  }
}

void CheckPrivileged(const std::vector<ContainerRef>& cs, FindingSink& sink) {
  for (const ContainerRef& c : cs) {
    FieldLookup f = Lookup(c.node, {"securityContext", "privileged"});
    if (IsTrue(f.value)) {
      Report(sink, "pss-baseline/privileged", f.value, c.Path() + ".securityContext.privileged",
             "container " + std::string(c.name) + " is privileged");
    }
  }
}

void CheckCapabilities(const std::vector<ContainerRef>& cs, FindingSink& sink) {
  static constexpr std::array<std::string_view, 13> kAllowed = {
      "AUDIT_WRITE", "CHOWN",  "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL",      "MKNOD",
      "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT"};
  for (const ContainerRef& c : cs) {
    FieldLookup f = Lookup(c.node, {"securityContext", "capabilities", "add"});
    if (f.value == nullptr || !f.value->IsSeq()) continue;
    for (const Node* cap : f.value->items()) {
      if (OneOf(Text(cap), kAllowed)) continue;
      Report(sink, "pss-baseline/capabilities", cap, c.Path() + ".securityContext.capabilities.add",
             "adds capability " + std::string(Text(cap)));
    }
  }
}

std::string VolumePath(const PodSpecRef& pod, const Node* vol, size_t i) {
  std::string_view name = vol->GetString("name");
  return std::string(pod.path) + ".volumes" +
         (name.empty() ? "[" + std::to_string(i) + "]" : "[name=" + std::string(name) + "]");
}

void CheckHostPath(const PodSpecRef& pod, FindingSink& sink) {
  const Node* vols = pod.spec->Get("volumes");
  if (vols == nullptr || !vols->IsSeq()) return;
  for (size_t i = 0; i < vols->items().size(); ++i) {
    const Node* v = vols->items()[i];
    if (v == nullptr || !v->IsMap() || v->Get("hostPath") == nullptr) continue;
    Report(sink, "pss-baseline/host-path-volumes", AtKey(v, "hostPath"),
           VolumePath(pod, v, i) + ".hostPath",
           "volume " + std::string(v->GetString("name")) + " mounts a host path");
  }
}

void CheckHostPorts(const std::vector<ContainerRef>& cs, FindingSink& sink) {
  for (const ContainerRef& c : cs) {
    const Node* ports = c.node->Get("ports");
    if (ports == nullptr || !ports->IsSeq()) continue;
    for (size_t i = 0; i < ports->items().size(); ++i) {
      const Node* p = ports->items()[i];
      if (p == nullptr || !p->IsMap()) continue;
      const Node* hp = p->Get("hostPort");
      if (hp == nullptr || hp->IsNull() || Text(hp) == "0") continue;
      std::string_view name = p->GetString("name");
      Report(sink, "pss-baseline/host-ports", hp,
             c.Path() + ".ports" +
                 (name.empty() ? "[" + std::to_string(i) + "]" : "[name=" + std::string(name) + "]") +
                 ".hostPort",
             "hostPort " + std::string(Text(hp)));
    }
  }
}

void CheckAppArmor(const PodSpecRef& pod, const std::vector<Context>& ctxs, FindingSink& sink) {
  for (const Context& c : ctxs) {
    FieldLookup f = Lookup(c.node, {"appArmorProfile", "type"});
    std::string_view t = Text(f.value);
    if (f.value != nullptr && t != "RuntimeDefault" && t != "Localhost") {
      Report(sink, "pss-baseline/apparmor", f.value, c.Path() + ".appArmorProfile.type",
             "AppArmor profile type " + std::string(t));
    }
  }
  const Node* annotations = pod.metadata == nullptr ? nullptr : pod.metadata->Get("annotations");
  if (annotations == nullptr || !annotations->IsMap()) return;
  constexpr std::string_view kPrefix = "container.apparmor.security.beta.kubernetes.io/";
  for (const MapEntry& e : annotations->entries()) {
    if (!e.key.starts_with(kPrefix)) continue;
    std::string_view v = Text(e.value);
    if (v == "runtime/default" || v.starts_with("localhost/")) continue;
    Report(sink, "pss-baseline/apparmor", e.value,
           std::string(pod.metadata_path) + ".annotations[" + std::string(e.key) + "]",
           "AppArmor annotation set to " + std::string(v));
  }
}

void CheckSeLinux(const std::vector<Context>& ctxs, FindingSink& sink) {
  static constexpr std::array<std::string_view, 5> kTypes = {
      "", "container_t", "container_init_t", "container_kvm_t", "container_engine_t"};
  for (const Context& c : ctxs) {
    const Node* opts = c.node == nullptr ? nullptr : c.node->Get("seLinuxOptions");
    if (opts == nullptr || !opts->IsMap()) continue;
    if (!OneOf(Text(opts->Get("type")), kTypes)) {
      Report(sink, "pss-baseline/selinux", opts->Get("type"), c.Path() + ".seLinuxOptions.type",
             "SELinux type " + std::string(Text(opts->Get("type"))));
    }
    for (std::string_view key : {"user", "role"}) {
      if (!Text(opts->Get(key)).empty()) {
        Report(sink, "pss-baseline/selinux", opts->Get(key),
               c.Path() + ".seLinuxOptions." + std::string(key),
               "SELinux " + std::string(key) + " " + std::string(Text(opts->Get(key))));
      }
    }
  }
}

void CheckProcMount(const std::vector<ContainerRef>& cs, FindingSink& sink) {
  for (const ContainerRef& c : cs) {
    FieldLookup f = Lookup(c.node, {"securityContext", "procMount"});
    if (f.value == nullptr || f.value->IsNull() || Text(f.value) == "Default") continue;
    Report(sink, "pss-baseline/proc-mount", f.value, c.Path() + ".securityContext.procMount",
           "procMount " + std::string(Text(f.value)));
  }
}

void CheckSeccomp(const std::vector<Context>& ctxs, FindingSink& sink) {
  for (const Context& c : ctxs) {
    FieldLookup f = Lookup(c.node, {"seccompProfile", "type"});
    std::string_view t = Text(f.value);
    if (f.value == nullptr || f.value->IsNull() || t == "RuntimeDefault" || t == "Localhost") continue;
    Report(sink, "pss-baseline/seccomp", f.value, c.Path() + ".seccompProfile.type",
           "seccomp profile type " + std::string(t));
  }
}

void CheckSysctls(const PodSpecRef& pod, FindingSink& sink) {
    // v1.32 added tcp_rmem/tcp_wmem; v1.29 the keepalive/fin_timeout set.
  static constexpr std::array<std::string_view, 12> kSafe = {
      "kernel.shm_rmid_forced",        "net.ipv4.ip_local_port_range",
      "net.ipv4.ip_unprivileged_port_start", "net.ipv4.tcp_syncookies",
      "net.ipv4.ping_group_range",     "net.ipv4.ip_local_reserved_ports",
      "net.ipv4.tcp_keepalive_time",   "net.ipv4.tcp_fin_timeout",
      "net.ipv4.tcp_keepalive_intvl",  "net.ipv4.tcp_keepalive_probes",
      "net.ipv4.tcp_rmem",             "net.ipv4.tcp_wmem"};
  FieldLookup f = Lookup(pod.spec, {"securityContext", "sysctls"});
  if (f.value == nullptr || !f.value->IsSeq()) return;
  for (const Node* s : f.value->items()) {
    std::string_view name = s != nullptr && s->IsMap() ? s->GetString("name") : std::string_view();
    if (OneOf(name, kSafe)) continue;
    Report(sink, "pss-baseline/sysctls", s, std::string(pod.path) + ".securityContext.sysctls[name=" + std::string(name) + "]",
           "sysctl " + std::string(name) + " is not in the safe set");
  }
}

}  // namespace

void CheckPssBaseline(const PodSpecRef& pod, const std::vector<ContainerRef>& cs,
                      FindingSink& sink) {
  thread_local std::vector<Context> ctxs;  // reused: one allocation for the whole set
  AllContexts(pod, cs, ctxs);
  CheckHostProcess(ctxs, sink);
  CheckHostNamespaces(pod, sink);
  CheckPrivileged(cs, sink);
  CheckCapabilities(cs, sink);
  CheckHostPath(pod, sink);
  CheckHostPorts(cs, sink);
  CheckAppArmor(pod, ctxs, sink);
  CheckSeLinux(ctxs, sink);
  CheckProcMount(cs, sink);
  CheckSeccomp(ctxs, sink);
  CheckSysctls(pod, sink);
}

void CheckPssBaseline(const PodSpecRef& pod, FindingSink& sink) {
  CheckPssBaseline(pod, Containers(pod), sink);
}

}  // namespace skiff::policy
