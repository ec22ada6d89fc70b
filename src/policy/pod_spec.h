// Finds the pod spec inside every pod-bearing kind and walks its containers,
// so each rule is written once against a PodSpec whatever object holds it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/node.h"
#include "model/resource.h"
#include "policy/finding.h"

namespace skiff::policy {

// The PodSpec of a workload and the pod metadata beside it. Invariant: `spec`
// is a map; `path` is the dotted field path from the object root to it.
struct PodSpecRef {
  const Node* spec = nullptr;
  const Node* metadata = nullptr;  // pod template metadata; may be null
  // Literals chosen per kind, so finding a pod spec allocates nothing.
  std::string_view path;           // "spec.template.spec"
  std::string_view metadata_path;  // "spec.template.metadata"
};

// The pod spec of Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job,
// CronJob (jobTemplate), PodTemplate and ReplicationController; nullopt for
// other kinds or when the object has no spec map there.
std::optional<PodSpecRef> FindPodSpec(const Resource& r);

enum class ContainerKind { kRegular, kInit, kEphemeral };

// One container of a pod spec. Invariant: `node` is a map; Path() names it by
// its name ("spec.containers[name=web]"), or by index when it has none.
struct ContainerRef {
  const Node* node = nullptr;
  std::string_view name;
  ContainerKind kind = ContainerKind::kRegular;
  std::string_view pod_path;  // PodSpecRef::path
  std::string_view list;      // "containers", "initContainers", "ephemeralContainers"
  size_t index = 0;

  // Built on demand: most containers produce no finding, and the path is only
  // needed for the ones that do.
  std::string Path() const;
};

// containers, initContainers and ephemeralContainers, in that order.
std::vector<ContainerRef> Containers(const PodSpecRef& pod);
// The same into `out` (cleared first), so a caller checking many pods can
// reuse one buffer.
void Containers(const PodSpecRef& pod, std::vector<ContainerRef>& out);

// True when the pod declares spec.os.name: windows (some restricted controls
// do not apply to Windows pods).
bool IsWindowsPod(const PodSpecRef& pod);

// Scalar text of a node, empty for null/absent/non-scalar nodes.
std::string_view Text(const Node* n);
// True when `n` is the boolean true (YAML true).
bool IsTrue(const Node* n);
// True when `n` is the boolean false.
bool IsFalse(const Node* n);

// A source position to report: the file and line of a field's key (or of a
// node when no key is at hand). Empty when the node was made by a transformer.
struct Where {
  std::string_view file;
  uint32_t line = 0;
};
Where At(const Node* n);
// The line of `key` inside `map` (falls back to the map's own position).
Where AtKey(const Node* map, std::string_view key);

// A field looked up through nested maps: `value` is the field (null when
// absent), `anchor` the deepest node that exists on the way, and `where` the
// key line of that deepest node, which a finding points at.
struct FieldLookup {
  const Node* value = nullptr;
  const Node* anchor = nullptr;
  Where where;
};
FieldLookup Lookup(const Node* from, std::initializer_list<std::string_view> keys);

// Collects findings for one object, resolving each one's source location:
// the `at` node's own file:line when it came from a file, else the object's
// origin.
class FindingSink {
 public:
  FindingSink(const Resource& r, std::vector<Finding>& out);

  // Severity is the rule's default (DefaultSeverity); the fix comes from the
  // rule catalog.
  void Report(std::string_view rule, Where at, std::string field, std::string message);
  void Report(std::string_view rule, const Node* at, std::string field, std::string message) {
    Report(rule, At(at), std::move(field), std::move(message));
  }
  void Report(std::string_view rule, const FieldLookup& at, std::string field, std::string message) {
    Report(rule, at.where, std::move(field), std::move(message));
  }
  const Resource& resource() const { return r_; }

 private:
  const Resource& r_;
  ResId id_;
  std::vector<Finding>& out_;
};

// The location to report for `at` inside `r`: `at` when it is known, else
// the object's origin.
Origin LocationOf(const Resource& r, Where at);

}  // namespace skiff::policy
