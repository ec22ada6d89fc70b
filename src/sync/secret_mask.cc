#include "sync/secret_mask.h"

#include <algorithm>

#include "kube/credentials.h"
#include "kube/kubeconfig.h"
#include "yaml/yaml.h"

namespace skiff::sync {
namespace {

constexpr std::string_view kLastApplied = "kubectl.kubernetes.io/last-applied-configuration";

// Shorter values are not scrubbed from free text: replacing every "a" or
// "no" in a message would make it unreadable while hiding nothing of worth.
constexpr size_t kMinScrubLength = 3;

// Masks every value of the map under `key`; `base64` says the values are
// encoded (Secret.data), so equal secrets in data and stringData share a mask.
void MaskValues(Node* object, std::string_view key, bool base64, Arena& arena, MaskContext& ctx) {
  Node* values = object->Get(key);
  if (values == nullptr || !values->IsMap()) return;
  for (MapEntry& e : values->entries()) {
    if (e.value == nullptr || !e.value->IsScalar() || e.value->IsNull()) continue;
    std::string plain(e.value->scalar());
    if (base64) {
      auto decoded = kube::DecodeBase64(plain);
      if (decoded.ok()) plain = std::move(decoded).value();
    }
    e.value = arena.NewString(arena.Str(ctx.MaskFor(plain)));
  }
}

void MaskLastApplied(Node* object, Arena& arena, MaskContext& ctx) {
  Node* annotations = object->GetPath({"metadata", "annotations"});
  if (annotations == nullptr || !annotations->IsMap()) return;
  Node* last = annotations->Get(kLastApplied);
  if (last == nullptr || !last->IsScalar()) return;
  auto parsed = ParseJson(last->scalar(), arena);
  if (!parsed.ok() || !(*parsed)->IsMap()) {
    // Unreadable: it may still hold the values, so none of it is shown.
    annotations->Set(kLastApplied, arena.NewString(arena.Str(ctx.MaskFor(last->scalar()))));
    return;
  }
  MaskValues(*parsed, "data", true, arena, ctx);
  MaskValues(*parsed, "stringData", false, arena, ctx);
  std::string json;
  EmitJson(*parsed, json);
  annotations->Set(kLastApplied, arena.NewString(arena.Str(json)));
}

}  // namespace

std::string MaskContext::MaskFor(std::string_view value) {
  auto it = masks_.find(std::string(value));
  if (it != masks_.end()) return it->second;
  std::string mask = "***masked-" + std::to_string(masks_.size() + 1) + "***";
  masks_.emplace(std::string(value), mask);
  Remember(value, mask);
  return mask;
}

void MaskContext::Remember(std::string_view secret, const std::string& mask) {
  if (secret.size() < kMinScrubLength) return;
  scrub_.emplace_back(std::string(secret), mask);
  scrub_.emplace_back(kube::EncodeBase64(secret), mask);
  // Longest first, so a value that contains another is replaced whole.
  std::stable_sort(scrub_.begin(), scrub_.end(),
                   [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
}

std::string MaskContext::Scrub(std::string_view text) const {
  std::string out(text);
  for (const auto& [secret, mask] : scrub_) {
    size_t pos = 0;
    while ((pos = out.find(secret, pos)) != std::string::npos) {
      out.replace(pos, secret.size(), mask);
      pos += mask.size();
    }
  }
  return out;
}

bool IsSecret(const Node* object) {
  return object != nullptr && object->IsMap() && object->GetString("kind") == "Secret" &&
         object->GetString("apiVersion") == "v1";
}

void MaskSecretValues(Node* object, Arena& arena, MaskContext& ctx) {
  if (!IsSecret(object)) return;
  MaskValues(object, "data", true, arena, ctx);
  MaskValues(object, "stringData", false, arena, ctx);
  MaskLastApplied(object, arena, ctx);
}

}  // namespace skiff::sync
