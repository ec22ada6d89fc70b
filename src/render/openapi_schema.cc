#include "render/openapi_schema.h"

#include "yaml/yaml.h"

namespace skiff {
namespace {

constexpr std::string_view kRefPrefix = "#/definitions/";
// A `$ref` chain longer than this is a cycle (real documents use one hop).
constexpr int kMaxRefHops = 64;
// Nesting deeper than this is refused (the YAML parser bounds depth too).
constexpr int kMaxDepth = 256;

bool IsNullish(const Node* n) { return n == nullptr || n->IsNull(); }

std::string Invalid(const std::string& file, const std::string& what) {
  return file + ": invalid OpenAPI schema: " + what;
}

// Reads one schema object. The shapes checked are those kustomize's decoder
// rejects; other fields are ignored.
Status ReadNode(const Node* in, OpenApiNode& out, const std::string& file, const std::string& at,
                int depth) {
  if (IsNullish(in)) return Status::Ok();
  if (depth > kMaxDepth) return MakeError(Invalid(file, at + ": nested too deeply"));
  if (!in->IsMap()) return MakeError(Invalid(file, at + ": expected an object"));
  if (const Node* ref = in->Get("$ref"); ref != nullptr && ref->IsScalar()) {
    std::string_view r = ref->scalar();
    if (r.substr(0, kRefPrefix.size()) == kRefPrefix) out.ref = std::string(r.substr(kRefPrefix.size()));
  }
  if (const Node* type = in->Get("type"); !IsNullish(type)) {
    if (type->IsScalar()) {
      out.is_array = type->scalar() == "array";
    } else if (type->IsSeq()) {
      out.is_array = type->items().size() == 1 && type->items()[0]->scalar() == "array";
    } else {
      return MakeError(Invalid(file, at + ".type: expected a string or a list of strings"));
    }
  }
  if (const Node* props = in->Get("properties"); !IsNullish(props)) {
    if (!props->IsMap()) return MakeError(Invalid(file, at + ".properties: expected an object"));
    for (const MapEntry& e : props->entries()) {
      SKIFF_RETURN_IF_ERROR(ReadNode(e.value, out.properties[std::string(e.key)], file,
                                     at + ".properties." + std::string(e.key), depth + 1));
    }
  }
  if (const Node* items = in->Get("items"); !IsNullish(items)) {
    // A list of schemas (tuple typing) gives no single element schema.
    if (items->IsMap()) {
      out.items = std::make_unique<OpenApiNode>();
      SKIFF_RETURN_IF_ERROR(ReadNode(items, *out.items, file, at + ".items", depth + 1));
    } else if (!items->IsSeq()) {
      return MakeError(Invalid(file, at + ".items: expected an object or a list"));
    }
  }
  if (const Node* extra = in->Get("additionalProperties"); !IsNullish(extra)) {
    if (extra->IsMap()) {
      out.additional = std::make_unique<OpenApiNode>();
      SKIFF_RETURN_IF_ERROR(
          ReadNode(extra, *out.additional, file, at + ".additionalProperties", depth + 1));
    } else if (!extra->IsScalar()) {
      return MakeError(Invalid(file, at + ".additionalProperties: expected a bool or an object"));
    }
  }
  if (const Node* strategy = in->Get("x-kubernetes-patch-strategy");
      strategy != nullptr && strategy->IsScalar()) {
    out.strategy_merge = strategy->scalar().find("merge") != std::string_view::npos;
  }
  if (const Node* keys = in->Get("x-kubernetes-list-map-keys"); keys != nullptr && keys->IsSeq()) {
    for (const Node* k : keys->items()) {
      if (k->IsScalar()) out.merge_keys.emplace_back(k->scalar());
    }
  }
  if (const Node* key = in->Get("x-kubernetes-patch-merge-key");
      out.merge_keys.empty() && key != nullptr && key->IsScalar() && !key->IsNull()) {
    out.merge_keys.emplace_back(key->scalar());
  }
  return Status::Ok();
}

std::string ApiVersionKind(std::string_view group, std::string_view version,
                           std::string_view kind) {
  std::string api = group.empty() ? std::string(version)
                                  : std::string(group) + "/" + std::string(version);
  return api + " " + std::string(kind);
}

}  // namespace

Result<std::shared_ptr<const OpenApiSchema>> OpenApiSchema::Parse(std::string_view text,
                                                                  const std::string& file) {
  auto schema = std::make_shared<OpenApiSchema>();
  Arena arena;
  auto docs = ParseYamlStream(text, file, arena);
  if (!docs.ok()) return docs.error().Wrap(Invalid(file, "not JSON or YAML"));
  if (docs->empty() || IsNullish(docs->front().root)) return {std::move(schema)};
  const Node* root = docs->front().root;
  if (!root->IsMap()) return MakeError(Invalid(file, "expected an object"));
  schema->ReadPaths(root->Get("paths"));
  const Node* defs = root->Get("definitions");
  if (IsNullish(defs)) return {std::move(schema)};
  if (!defs->IsMap()) return MakeError(Invalid(file, "definitions: expected an object"));
  for (const MapEntry& e : defs->entries()) {
    std::string name(e.key);
    SKIFF_RETURN_IF_ERROR(
        ReadNode(e.value, schema->definitions_[name], file, "definitions." + name, 0));
    const Node* gvks = IsNullish(e.value) || !e.value->IsMap()
                           ? nullptr
                           : e.value->Get("x-kubernetes-group-version-kind");
    if (gvks == nullptr || !gvks->IsSeq()) continue;
    for (const Node* g : gvks->items()) {
      if (!g->IsMap()) continue;
      schema->root_by_api_version_kind_[ApiVersionKind(g->GetString("group"),
                                                       g->GetString("version"),
                                                       g->GetString("kind"))] = name;
    }
  }
  return {std::move(schema)};
}

void OpenApiSchema::ReadPaths(const Node* paths) {
  if (paths == nullptr || !paths->IsMap()) return;
  for (const MapEntry& e : paths->entries()) {
    const Node* get = e.value != nullptr && e.value->IsMap() ? e.value->Get("get") : nullptr;
    const Node* g = get != nullptr && get->IsMap() ? get->Get("x-kubernetes-group-version-kind")
                                                   : nullptr;
    if (g == nullptr || !g->IsMap()) continue;
    std::string key = ApiVersionKind(g->GetString("group"), g->GetString("version"),
                                     g->GetString("kind"));
    bool namespaced = e.key.find("namespaces/{namespace}") != std::string_view::npos;
    auto [it, inserted] = namespaced_by_api_version_kind_.emplace(key, namespaced);
    if (!inserted && namespaced) it->second = true;
  }
}

std::optional<bool> OpenApiSchema::Namespaced(const Gvk& gvk) const {
  auto it = namespaced_by_api_version_kind_.find(ApiVersionKind(gvk.group, gvk.version, gvk.kind));
  if (it == namespaced_by_api_version_kind_.end()) return std::nullopt;
  return it->second;
}

const OpenApiNode* OpenApiSchema::ForGvk(const Gvk& gvk) const {
  auto it = root_by_api_version_kind_.find(ApiVersionKind(gvk.group, gvk.version, gvk.kind));
  if (it == root_by_api_version_kind_.end()) return nullptr;
  auto def = definitions_.find(it->second);
  return def == definitions_.end() ? nullptr : Resolve(&def->second);
}

const OpenApiNode* OpenApiSchema::Resolve(const OpenApiNode* node) const {
  for (int hops = 0; node != nullptr && !node->ref.empty(); ++hops) {
    if (hops == kMaxRefHops) return nullptr;
    auto it = definitions_.find(node->ref);
    node = it == definitions_.end() ? nullptr : &it->second;
  }
  return node;
}

const OpenApiNode* OpenApiSchema::Field(const OpenApiNode* node, std::string_view key) const {
  if (node == nullptr) return nullptr;
  auto it = node->properties.find(key);
  if (it != node->properties.end()) return Resolve(&it->second);
  return Resolve(node->additional.get());
}

const OpenApiNode* OpenApiSchema::Elements(const OpenApiNode* node) const {
  if (node == nullptr || !node->is_array) return nullptr;
  return Resolve(node->items.get());
}

Status SchemaSelection::Choose(const Node* openapi, const std::string* document,
                               const std::string& file, bool first, const std::string& where) {
  if (chosen && !first) return Status::Ok();
  const Node* version = openapi != nullptr && openapi->IsMap() ? openapi->Get("version") : nullptr;
  if (document != nullptr) {
    if (version != nullptr) {
      return MakeError(where + ": openapi: builtin version and custom schema provided, cannot "
                       "use both (remove version or path)");
    }
    chosen = true;
    invalid.clear();
    custom.reset();
    auto parsed = OpenApiSchema::Parse(*document, file);
    if (parsed.ok()) {
      custom = *parsed;
    } else {
      invalid = parsed.error().message;
    }
    return Status::Ok();
  }
  if (version == nullptr || IsNullish(version) || version->scalar().empty()) return Status::Ok();
  if (version->scalar() != "v1.21.2") {
    return MakeError(where + ": openapi.version: '" + std::string(version->scalar()) +
                     "': the specified OpenAPI version is not built in (only v1.21.2 is)");
  }
  chosen = true;
  custom.reset();
  invalid.clear();
  return Status::Ok();
}

Result<const OpenApiSchema*> SchemaSelection::ForMerge() const {
  if (!invalid.empty()) return MakeError(invalid);
  return custom.get();
}

}  // namespace skiff
