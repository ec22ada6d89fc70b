// platform/resources, image-tag, image-registry, probes, read-only-root-fs,
// automount-token, required-labels, secret-in-env.
#include <string>

#include "policy/image_ref.h"
#include "policy/platform_rules.h"

namespace skiff::policy {
namespace {

void CheckResources(const ContainerRef& c, FindingSink& sink) {
  std::string missing;
  for (std::string_view kind : {"requests", "limits"}) {
    for (std::string_view res : {"cpu", "memory"}) {
      FieldLookup f = Lookup(c.node, {"resources", kind, res});
      if (f.value != nullptr && !f.value->IsNull()) continue;
      if (!missing.empty()) missing += ", ";
      missing += std::string(kind) + "." + std::string(res);
    }
  }
  if (missing.empty()) return;
  sink.Report("platform/resources", Lookup(c.node, {"resources"}), c.Path() + ".resources",
              "container " + std::string(c.name) + " does not set " + missing);
}

void CheckImage(const ContainerRef& c, const PlatformSettings& settings, FindingSink& sink) {
  const Node* image = c.node->Get("image");
  std::string_view text = Text(image);
  if (text.empty()) return;  // kustomize images/inheritance may fill it; nothing to judge
  Result<ImageRef> ref = ParseImageRef(text);
  if (!ref.ok()) {
    sink.Report("platform/image-tag", image, c.Path() + ".image",
                "image " + std::string(text) + " is not a valid reference: " + ref.error().message);
    return;
  }
  if (ref->digest.empty() && (ref->tag.empty() || ref->tag == "latest")) {
    sink.Report("platform/image-tag", image, c.Path() + ".image",
                "image " + std::string(text) +
                    (ref->tag.empty() ? " has no tag (pulls latest)" : " uses the latest tag"));
  }
  if (!settings.allowed_registries.empty() && !RegistryAllowed(*ref, settings.allowed_registries)) {
    sink.Report("platform/image-registry", image, c.Path() + ".image",
                "image " + std::string(text) + " comes from " + ref->Name() +
                    ", outside the allowed registries");
  }
}

void CheckProbes(const ContainerRef& c, FindingSink& sink) {
  for (std::string_view probe : {"readinessProbe", "livenessProbe"}) {
    const Node* p = c.node->Get(probe);
    if (p != nullptr && p->IsMap()) continue;
    sink.Report("platform/probes", c.node, c.Path() + "." + std::string(probe),
                "container " + std::string(c.name) + " has no " + std::string(probe));
  }
}

void CheckReadOnlyRoot(const ContainerRef& c, FindingSink& sink) {
  FieldLookup f = Lookup(c.node, {"securityContext", "readOnlyRootFilesystem"});
  if (IsTrue(f.value)) return;
  sink.Report("platform/read-only-root-fs", f,
              c.Path() + ".securityContext.readOnlyRootFilesystem",
              "container " + std::string(c.name) + " has a writable root filesystem");
}

// Names that usually hold credentials; a literal value there ends up in git.
// Matched without copying: every env var of every container passes here.
bool LooksSecret(std::string_view name) {
  auto upper = [](char ch) { return static_cast<char>(ch >= 'a' && ch <= 'z' ? ch - 32 : ch); };
  for (std::string_view word : {"PASSWORD", "PASSWD", "TOKEN", "SECRET", "KEY"}) {
    if (word.size() > name.size()) continue;
    for (size_t i = 0; i + word.size() <= name.size(); ++i) {
      size_t j = 0;
      while (j < word.size() && upper(name[i + j]) == word[j]) ++j;
      if (j == word.size()) return true;
    }
  }
  return false;
}

void CheckSecretEnv(const ContainerRef& c, FindingSink& sink) {
  const Node* env = c.node->Get("env");
  if (env == nullptr || !env->IsSeq()) return;
  for (const Node* e : env->items()) {
    if (e == nullptr || !e->IsMap()) continue;
    std::string_view name = e->GetString("name");
    std::string_view value = Text(e->Get("value"));
    if (value.empty() || !LooksSecret(name)) continue;
    sink.Report("platform/secret-in-env", e->Get("value"),
                c.Path() + ".env[name=" + std::string(name) + "].value",
                "env " + std::string(name) + " holds a literal value");
  }
}

void CheckAutomount(const Resource& r, const PodSpecRef& pod, const SetIndex& index,
                    FindingSink& sink) {
  const Node* pod_value = pod.spec->Get("automountServiceAccountToken");
  if (pod_value != nullptr && !pod_value->IsNull()) return;  // an explicit choice either way
  std::string_view sa_name = pod.spec->GetString("serviceAccountName");
  if (sa_name.empty()) sa_name = pod.spec->GetString("serviceAccount");
  if (sa_name.empty()) sa_name = "default";
  std::string key = std::string(r.Namespace()) + "/" + std::string(sa_name);
  if (index.accounts_without_token.count(key) > 0) return;
  sink.Report("platform/automount-token", pod.spec, std::string(pod.path) + ".automountServiceAccountToken",
              "the pod mounts the token of service account " + std::string(sa_name));
}

void CheckRequiredLabels(const Resource& r, const PlatformSettings& settings, FindingSink& sink) {
  const Node* labels = r.root->GetPath({"metadata", "labels"});
  for (const std::string& label : settings.required_labels) {
    const Node* v = labels != nullptr && labels->IsMap() ? labels->Get(label) : nullptr;
    if (!Text(v).empty()) continue;
    const Node* metadata = r.root->Get("metadata");
    sink.Report("platform/required-labels", labels != nullptr ? AtKey(metadata, "labels") : AtKey(r.root, "metadata"),
                "metadata.labels[" + label + "]", "label " + label + " is missing");
  }
}

}  // namespace

SetIndex IndexSet(const ResourceSet& set) {
  SetIndex index;
  for (const Resource& r : set) {
    if (r.Kind() != "ServiceAccount" || !IsFalse(r.root->Get("automountServiceAccountToken"))) continue;
    index.accounts_without_token.insert(std::string(r.Namespace()) + "/" + std::string(r.Name()));
  }
  return index;
}

void CheckWorkloadRules(const Resource& r, const PodSpecRef& pod, const SetIndex& index,
                        const PlatformSettings& settings, FindingSink& sink) {
  CheckWorkloadRules(r, pod, Containers(pod), index, settings, sink);
}

void CheckWorkloadRules(const Resource& r, const PodSpecRef& pod,
                        const std::vector<ContainerRef>& cs, const SetIndex& index,
                        const PlatformSettings& settings, FindingSink& sink) {
  std::string_view kind = r.Kind();
  bool runs_to_completion = kind == "Job" || kind == "CronJob";
  for (const ContainerRef& c : cs) {
    CheckImage(c, settings, sink);
    CheckSecretEnv(c, sink);
    if (c.kind == ContainerKind::kEphemeral) continue;  // debug containers take no resources/probes
    CheckResources(c, sink);
    CheckReadOnlyRoot(c, sink);
    if (c.kind == ContainerKind::kRegular && !runs_to_completion && kind != "PodTemplate") {
      CheckProbes(c, sink);
    }
  }
  CheckAutomount(r, pod, index, sink);
  CheckRequiredLabels(r, settings, sink);
}

}  // namespace skiff::policy
