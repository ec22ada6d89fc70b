#include "policy/pod_spec.h"

#include <span>
#include <string>

#include "policy/rule_catalog.h"

namespace skiff::policy {
namespace {

// Where each pod-bearing kind keeps its pod template, as map keys from the
// root, with the field paths of its spec and metadata.
struct TemplateLayout {
  std::span<const std::string_view> keys;
  std::string_view spec_path;
  std::string_view metadata_path;
};

constexpr std::string_view kWorkloadKeys[] = {"spec", "template"};
constexpr std::string_view kCronJobKeys[] = {"spec", "jobTemplate", "spec", "template"};
constexpr std::string_view kPodTemplateKeys[] = {"template"};

std::optional<TemplateLayout> LayoutOf(std::string_view kind) {
  if (kind == "Pod") return TemplateLayout{{}, "spec", "metadata"};
  if (kind == "Deployment" || kind == "StatefulSet" || kind == "DaemonSet" ||
      kind == "ReplicaSet" || kind == "Job" || kind == "ReplicationController") {
    return TemplateLayout{kWorkloadKeys, "spec.template.spec", "spec.template.metadata"};
  }
  if (kind == "CronJob") {
    return TemplateLayout{kCronJobKeys, "spec.jobTemplate.spec.template.spec",
                          "spec.jobTemplate.spec.template.metadata"};
  }
  if (kind == "PodTemplate") return TemplateLayout{kPodTemplateKeys, "template.spec", "template.metadata"};
  return std::nullopt;
}

}  // namespace

std::optional<PodSpecRef> FindPodSpec(const Resource& r) {
  if (r.root == nullptr) return std::nullopt;
  std::optional<TemplateLayout> layout = LayoutOf(r.Kind());
  if (!layout) return std::nullopt;
  // Pods sit at the root; templates under spec.template.
  const Node* holder = r.root;
  for (std::string_view k : layout->keys) {
    holder = holder->IsMap() ? holder->Get(k) : nullptr;
    if (holder == nullptr) return std::nullopt;
  }
  if (!holder->IsMap()) return std::nullopt;
  const Node* spec = holder->Get("spec");
  if (spec == nullptr || !spec->IsMap()) return std::nullopt;
  PodSpecRef ref;
  ref.spec = spec;
  ref.metadata = holder->Get("metadata");
  if (ref.metadata != nullptr && !ref.metadata->IsMap()) ref.metadata = nullptr;
  ref.path = layout->spec_path;
  ref.metadata_path = layout->metadata_path;
  return ref;
}

std::string ContainerRef::Path() const {
  std::string out;
  out.reserve(pod_path.size() + list.size() + name.size() + 8);
  out.append(pod_path).append(".").append(list);
  if (name.empty()) {
    out.append("[").append(std::to_string(index)).append("]");
  } else {
    out.append("[name=").append(name).append("]");
  }
  return out;
}

void Containers(const PodSpecRef& pod, std::vector<ContainerRef>& out) {
  out.clear();
  const std::pair<std::string_view, ContainerKind> lists[] = {
      {"containers", ContainerKind::kRegular},
      {"initContainers", ContainerKind::kInit},
      {"ephemeralContainers", ContainerKind::kEphemeral}};
  for (const auto& [key, kind] : lists) {
    const Node* seq = pod.spec->Get(key);
    if (seq == nullptr || !seq->IsSeq()) continue;
    for (size_t i = 0; i < seq->items().size(); ++i) {
      const Node* c = seq->items()[i];
      if (c == nullptr || !c->IsMap()) continue;
      ContainerRef ref;
      ref.node = c;
      ref.kind = kind;
      ref.name = c->GetString("name");
      ref.pod_path = pod.path;
      ref.list = key;
      ref.index = i;
      out.push_back(ref);
    }
  }
}

std::vector<ContainerRef> Containers(const PodSpecRef& pod) {
  std::vector<ContainerRef> out;
  Containers(pod, out);
  return out;
}

bool IsWindowsPod(const PodSpecRef& pod) {
  const Node* os = pod.spec->Get("os");
  return os != nullptr && os->IsMap() && os->GetString("name") == "windows";
}

std::string_view Text(const Node* n) {
  if (n == nullptr || !n->IsScalar() || n->IsNull()) return {};
  return n->scalar();
}

// Booleans as the API server's YAML 1.1 reader sees them (yes/on count).
// Compared in place: this runs for several fields of every container.
static bool EqualsLower(std::string_view text, std::string_view lower) {
  if (text.size() != lower.size()) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    char ch = text[i];
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch + 32);
    if (ch != lower[i]) return false;
  }
  return true;
}

static bool BoolIs(const Node* n, bool want) {
  if (n == nullptr || n->kind() != NodeKind::kBool) return false;
  std::string_view s = n->scalar();
  bool value = EqualsLower(s, "true") || EqualsLower(s, "yes") || EqualsLower(s, "on") ||
               EqualsLower(s, "y");
  return value == want;
}

bool IsTrue(const Node* n) { return BoolIs(n, true); }

bool IsFalse(const Node* n) { return BoolIs(n, false); }

namespace {

const MapEntry* FindEntry(const Node* map, std::string_view key) {
  if (map == nullptr || !map->IsMap()) return nullptr;
  const MapEntry* found = nullptr;
  for (const MapEntry& e : map->entries()) {
    if (e.key == key) found = &e;  // last one wins, as in Node::Get
  }
  return found;
}

// The key line, in the value's file: a patch that adds a key brings both.
Where AtEntry(const MapEntry& e) {
  if (e.value != nullptr && !e.value->file().empty() && e.key_pos.line != 0) {
    return Where{e.value->file(), e.key_pos.line};
  }
  return At(e.value);
}

}  // namespace

Where At(const Node* n) {
  if (n == nullptr) return {};
  return Where{n->file(), n->pos().line};
}

Where AtKey(const Node* map, std::string_view key) {
  const MapEntry* e = FindEntry(map, key);
  return e != nullptr ? AtEntry(*e) : At(map);
}

FieldLookup Lookup(const Node* from, std::initializer_list<std::string_view> keys) {
  FieldLookup out;
  out.anchor = from;
  out.where = At(from);
  const Node* cur = from;
  for (std::string_view k : keys) {
    const MapEntry* e = FindEntry(cur, k);
    if (e == nullptr || e->value == nullptr) return out;
    cur = e->value;
    out.anchor = cur;
    out.where = AtEntry(*e);
  }
  out.value = cur;
  return out;
}

Origin LocationOf(const Resource& r, Where at) {
  if (!at.file.empty() && at.line != 0) return Origin{std::string(at.file), at.line};
  return r.origin;
}

FindingSink::FindingSink(const Resource& r, std::vector<Finding>& out)
    : r_(r), id_(r.Id()), out_(out) {}

void FindingSink::Report(std::string_view rule, Where at, std::string field,
                         std::string message) {
  Finding f;
  f.rule = std::string(rule);
  f.severity = DefaultSeverity(rule);
  f.object = id_;
  f.origin = LocationOf(r_, at);
  f.field = std::move(field);
  f.message = std::move(message);
  f.fix = std::string(FixFor(rule));
  out_.push_back(std::move(f));
}

}  // namespace skiff::policy
