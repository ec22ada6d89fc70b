#include "render/build_metadata.h"

#include <vector>

namespace skiff {
namespace {

constexpr std::string_view kOriginKey = "config.kubernetes.io/origin";
constexpr std::string_view kTransformationsKey = "alpha.config.kubernetes.io/transformations";
constexpr std::string_view kManagedByKey = "app.kubernetes.io/managed-by";

// A path as a YAML scalar inside the annotation text: plain when that reads
// back as the same string, else double-quoted.
std::string YamlScalar(std::string_view s) {
  bool plain = !s.empty() && s.front() != '-' && s.front() != ' ' && s.back() != ' ';
  for (char c : s) {
    bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '.' || c == '/' || c == '_' || c == '-' || c == '+' || c == '~' || c == ' ';
    plain = plain && safe;
  }
  if (plain) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

Node* AnnotationsOf(Arena& arena, Resource& r) {
  Node* meta = arena.GetOrCreateMap(r.root, "metadata");
  return arena.GetOrCreateMap(meta, "annotations");
}

std::string ConfiguredText(std::string_view configured_in, std::string_view kind,
                           std::string_view indent) {
  std::string out = "configuredIn: " + YamlScalar(configured_in) + "\n";
  out += std::string(indent) + "configuredBy:\n";
  out += std::string(indent) + "  apiVersion: builtin\n";
  out += std::string(indent) + "  kind: " + std::string(kind) + "\n";
  return out;
}

}  // namespace

BuildMetadata BuildMetadata::FromField(const Node* build_metadata) {
  BuildMetadata out;
  if (build_metadata == nullptr || !build_metadata->IsSeq()) return out;
  out.track = !build_metadata->items().empty();
  for (const Node* option : build_metadata->items()) {
    std::string_view s = option->scalar();
    out.origin_annotations |= s == "originAnnotations";
    out.transformer_annotations |= s == "transformerAnnotations";
    out.managed_by_label |= s == "managedByLabel";
  }
  return out;
}

std::string JoinOriginPath(std::string_view dir, std::string_view rel) {
  std::string joined = std::string(dir);
  if (!joined.empty() && !rel.empty()) joined += '/';
  joined += rel;
  if (joined.empty()) return joined;
  bool rooted = joined.front() == '/';
  std::vector<std::string_view> parts;
  std::string_view rest = joined;
  while (!rest.empty()) {
    size_t slash = rest.find('/');
    std::string_view part = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      if (!parts.empty() && parts.back() != "..") {
        parts.pop_back();
      } else if (!rooted) {
        parts.push_back(part);
      }
      continue;
    }
    parts.push_back(part);
  }
  std::string out = rooted ? "/" : "";
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += '/';
    out += parts[i];
  }
  return out.empty() ? "." : out;
}

void SetFileOrigin(Arena& arena, Resource& r, std::string_view path) {
  std::string text = "path: " + YamlScalar(path) + "\n";
  AnnotationsOf(arena, r)->Set(InternKey(kOriginKey), arena.NewString(arena.Str(text)));
}

void SetGeneratorOrigin(Arena& arena, Resource& r, std::string_view configured_in,
                        std::string_view kind) {
  std::string text = ConfiguredText(configured_in, kind, "");
  AnnotationsOf(arena, r)->Set(InternKey(kOriginKey), arena.NewString(arena.Str(text)));
}

void AddTransformation(Arena& arena, ResourceSet& set, std::string_view configured_in,
                       std::string_view kind) {
  std::string entry = "- " + ConfiguredText(configured_in, kind, "  ");
  for (Resource& r : set) {
    Node* annotations = AnnotationsOf(arena, r);
    const Node* old = annotations->Get(kTransformationsKey);
    std::string text = old != nullptr && old->IsScalar() ? std::string(old->scalar()) : "";
    text += entry;
    annotations->Set(InternKey(kTransformationsKey), arena.NewString(arena.Str(text)));
  }
}

void AddManagedByLabel(Arena& arena, ResourceSet& set) {
  for (Resource& r : set) {
    Node* meta = arena.GetOrCreateMap(r.root, "metadata");
    Node* labels = arena.GetOrCreateMap(meta, "labels");
    labels->Set(InternKey(kManagedByKey), arena.NewString(kManagedByValue));
  }
}

}  // namespace skiff
