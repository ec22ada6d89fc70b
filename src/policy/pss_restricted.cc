#include "policy/pss_restricted.h"

#include <algorithm>
#include <array>
#include <string>

#include "policy/rule_catalog.h"

namespace skiff::policy {
namespace {

void Report(FindingSink& sink, std::string_view rule, Where at, std::string field,
            std::string message) {
  sink.Report(rule, at, std::move(field), std::move(message));
}

void Report(FindingSink& sink, std::string_view rule, const Node* at, std::string field,
            std::string message) {
  sink.Report(rule, At(at), std::move(field), std::move(message));
}

void CheckVolumeTypes(const PodSpecRef& pod, FindingSink& sink) {
  static constexpr std::array<std::string_view, 9> kAllowed = {
      "name",   "configMap", "csi",       "downwardAPI", "emptyDir",
      "ephemeral", "persistentVolumeClaim", "projected", "secret"};
  const Node* vols = pod.spec->Get("volumes");
  if (vols == nullptr || !vols->IsSeq()) return;
  for (size_t i = 0; i < vols->items().size(); ++i) {
    const Node* v = vols->items()[i];
    if (v == nullptr || !v->IsMap()) continue;
    std::string_view name = v->GetString("name");
    for (const MapEntry& e : v->entries()) {
      if (std::find(kAllowed.begin(), kAllowed.end(), e.key) != kAllowed.end()) continue;
      if (e.value == nullptr || e.value->IsNull()) continue;
      Report(sink, "pss-restricted/volume-types", AtKey(v, e.key),
             std::string(pod.path) + ".volumes" +
                 (name.empty() ? "[" + std::to_string(i) + "]" : "[name=" + std::string(name) + "]") +
                 "." + std::string(e.key),
             "volume " + std::string(name) + " has restricted type " + std::string(e.key));
    }
  }
}

void CheckPrivilegeEscalation(const std::vector<ContainerRef>& cs, FindingSink& sink) {
  for (const ContainerRef& c : cs) {
    FieldLookup f = Lookup(c.node, {"securityContext", "allowPrivilegeEscalation"});
    if (IsFalse(f.value)) continue;
    Report(sink, "pss-restricted/privilege-escalation", f.where,
           c.Path() + ".securityContext.allowPrivilegeEscalation",
           f.value == nullptr ? "container " + std::string(c.name) + " does not set allowPrivilegeEscalation: false"
                              : "allowPrivilegeEscalation is " + std::string(Text(f.value)));
  }
}

// The pod-level value applies to containers that leave the field unset.
void CheckRunAsNonRoot(const PodSpecRef& pod, const std::vector<ContainerRef>& cs,
                       FindingSink& sink) {
  FieldLookup pod_value = Lookup(pod.spec, {"securityContext", "runAsNonRoot"});
  if (IsFalse(pod_value.value)) {
    Report(sink, "pss-restricted/run-as-non-root", pod_value.value,
           std::string(pod.path) + ".securityContext.runAsNonRoot", "runAsNonRoot is false");
  }
  bool pod_true = IsTrue(pod_value.value);
  for (const ContainerRef& c : cs) {
    FieldLookup f = Lookup(c.node, {"securityContext", "runAsNonRoot"});
    if (IsTrue(f.value)) continue;
    if (f.value != nullptr && !f.value->IsNull()) {
      Report(sink, "pss-restricted/run-as-non-root", f.value, c.Path() + ".securityContext.runAsNonRoot",
             "runAsNonRoot is " + std::string(Text(f.value)));
    } else if (!pod_true) {
      Report(sink, "pss-restricted/run-as-non-root", f.where, c.Path() + ".securityContext.runAsNonRoot",
             "container " + std::string(c.name) + " may run as root: runAsNonRoot is set neither on it nor on the pod");
    }
  }
}

void CheckRunAsUser(const PodSpecRef& pod, const std::vector<ContainerRef>& cs, FindingSink& sink) {
  // `path` is called only when the finding fires.
  auto check = [&](const Node* ctx_holder, auto path) {
    FieldLookup f = Lookup(ctx_holder, {"securityContext", "runAsUser"});
    if (f.value != nullptr && f.value->kind() == NodeKind::kInt && Text(f.value) == "0") {
      Report(sink, "pss-restricted/run-as-user", f.value, path() + ".securityContext.runAsUser",
             "runAsUser is 0 (root)");
    }
  };
  check(pod.spec, [&] { return std::string(pod.path); });
  for (const ContainerRef& c : cs) check(c.node, [&] { return c.Path(); });
}

bool SeccompOk(std::string_view t) { return t == "RuntimeDefault" || t == "Localhost"; }

void CheckSeccomp(const PodSpecRef& pod, const std::vector<ContainerRef>& cs, FindingSink& sink) {
  FieldLookup pod_type = Lookup(pod.spec, {"securityContext", "seccompProfile", "type"});
  bool pod_set = pod_type.value != nullptr && !pod_type.value->IsNull();
  if (pod_set && !SeccompOk(Text(pod_type.value))) {
    Report(sink, "pss-restricted/seccomp", pod_type.value,
           std::string(pod.path) + ".securityContext.seccompProfile.type",
           "seccomp profile type " + std::string(Text(pod_type.value)));
  }
  bool pod_ok = pod_set && SeccompOk(Text(pod_type.value));
  for (const ContainerRef& c : cs) {
    FieldLookup f = Lookup(c.node, {"securityContext", "seccompProfile", "type"});
    auto field = [&] { return c.Path() + ".securityContext.seccompProfile.type"; };
    if (f.value != nullptr && !f.value->IsNull()) {
      if (!SeccompOk(Text(f.value))) {
        Report(sink, "pss-restricted/seccomp", f.value, field(),
               "seccomp profile type " + std::string(Text(f.value)));
      }
    } else if (!pod_ok) {
      Report(sink, "pss-restricted/seccomp", f.where, field(),
             "container " + std::string(c.name) + " has no seccomp profile, nor does the pod");
    }
  }
}

void CheckCapabilities(const std::vector<ContainerRef>& cs, FindingSink& sink) {
  for (const ContainerRef& c : cs) {
    FieldLookup caps = Lookup(c.node, {"securityContext", "capabilities"});
    auto base = [&] { return c.Path() + ".securityContext.capabilities"; };
    const Node* drop = caps.value != nullptr && caps.value->IsMap() ? caps.value->Get("drop") : nullptr;
    bool drops_all = false;
    if (drop != nullptr && drop->IsSeq()) {
      for (const Node* d : drop->items()) drops_all = drops_all || Text(d) == "ALL";
    }
    if (!drops_all) {
      Report(sink, "pss-restricted/capabilities", drop != nullptr ? AtKey(caps.value, "drop") : caps.where, base() + ".drop",
             "container " + std::string(c.name) + " does not drop ALL capabilities");
    }
    const Node* add = caps.value != nullptr && caps.value->IsMap() ? caps.value->Get("add") : nullptr;
    if (add == nullptr || !add->IsSeq()) continue;
    for (const Node* a : add->items()) {
      if (Text(a) == "NET_BIND_SERVICE") continue;
      Report(sink, "pss-restricted/capabilities", a, base() + ".add",
             "adds capability " + std::string(Text(a)));
    }
  }
}

}  // namespace

void CheckPssRestricted(const PodSpecRef& pod, const std::vector<ContainerRef>& cs,
                        FindingSink& sink) {
  CheckVolumeTypes(pod, sink);
  CheckRunAsNonRoot(pod, cs, sink);
  CheckRunAsUser(pod, cs, sink);
  // Linux-only controls: the standard exempts pods that declare os.name windows.
  if (IsWindowsPod(pod)) return;
  CheckPrivilegeEscalation(cs, sink);
  CheckSeccomp(pod, cs, sink);
  CheckCapabilities(cs, sink);
}

void CheckPssRestricted(const PodSpecRef& pod, FindingSink& sink) {
  CheckPssRestricted(pod, Containers(pod), sink);
}

}  // namespace skiff::policy
