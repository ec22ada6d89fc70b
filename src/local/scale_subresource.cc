#include "local/scale_subresource.h"

#include <charconv>

#include "local/api_status.h"
#include "local/json_codec.h"

namespace skiff::local {
namespace {

std::string ReplicasText(const Node* n) {
  return n != nullptr && n->kind() == NodeKind::kInt ? std::string(n->scalar()) : "0";
}

// A label selector in its string form ("app=web,tier in (a,b)").
std::string SelectorString(const Node* selector) {
  if (selector == nullptr || !selector->IsMap()) return "";
  // ReplicationControllers select with a plain map.
  const Node* labels = selector->Get("matchLabels");
  if (labels == nullptr && selector->Get("matchExpressions") == nullptr) labels = selector;
  std::string out;
  auto add = [&](const std::string& term) { out += (out.empty() ? "" : ",") + term; };
  if (labels != nullptr && labels->IsMap()) {
    for (const MapEntry& e : labels->entries()) add(std::string(e.key) + "=" + std::string(e.value->scalar()));
  }
  const Node* exprs = selector->Get("matchExpressions");
  if (exprs != nullptr && exprs->IsSeq()) {
    for (const Node* x : exprs->items()) {
      std::string key(x->GetString("key"));
      std::string_view op = x->GetString("operator");
      std::string values;
      if (const Node* vs = x->Get("values"); vs != nullptr && vs->IsSeq()) {
        for (const Node* v : vs->items()) values += (values.empty() ? "" : ",") + std::string(v->scalar());
      }
      if (op == "In") add(key + " in (" + values + ")");
      if (op == "NotIn") add(key + " notin (" + values + ")");
      if (op == "Exists") add(key);
      if (op == "DoesNotExist") add("!" + key);
    }
  }
  return out;
}

}  // namespace

bool HasScaleSubresource(const ApiResource& res) {
  if (res.group == "apps") {
    return res.plural == "deployments" || res.plural == "replicasets" || res.plural == "statefulsets";
  }
  return res.group.empty() && res.plural == "replicationcontrollers";
}

std::string ScaleDiscoveryEntry(const ApiResource& res) {
  return "{\"name\":" + JsonQuote(res.plural + "/scale") + R"(,"singularName":"","namespaced":)" +
         (res.namespaced ? "true" : "false") +
         R"(,"group":"autoscaling","version":"v1","kind":"Scale","verbs":["get","patch","update"]})";
}

std::string ScaleJson(const Node* parent) {
  const Node* meta = parent->Get("metadata");
  std::string s = R"({"kind":"Scale","apiVersion":"autoscaling/v1","metadata":{)";
  bool first = true;
  for (std::string_view key : {"name", "namespace", "uid", "resourceVersion", "creationTimestamp"}) {
    const Node* v = meta != nullptr ? meta->Get(key) : nullptr;
    if (v == nullptr) continue;
    s += first ? "" : ",";
    first = false;
    AppendJsonQuoted(key, s);
    s += ':';
    EmitJsonText(v, s);
  }
  s += R"(},"spec":{"replicas":)" + ReplicasText(parent->GetPath({"spec", "replicas"}));
  s += R"(},"status":{"replicas":)" + ReplicasText(parent->GetPath({"status", "replicas"}));
  std::string selector = SelectorString(parent->GetPath({"spec", "selector"}));
  if (!selector.empty()) s += ",\"selector\":" + JsonQuote(selector);
  return s + "}}";
}

std::optional<long long> ScaleReplicas(const Node* scale) {
  const Node* n = scale != nullptr && scale->IsMap() ? scale->GetPath({"spec", "replicas"}) : nullptr;
  if (n == nullptr || n->kind() != NodeKind::kInt) return std::nullopt;
  long long v = 0;
  auto [end, ec] = std::from_chars(n->scalar().data(), n->scalar().data() + n->scalar().size(), v);
  if (ec != std::errc() || end != n->scalar().data() + n->scalar().size()) return std::nullopt;
  return v;
}

}  // namespace skiff::local
