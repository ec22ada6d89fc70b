#include "render/crd_config.h"

#include <cctype>
#include <map>

#include "render/configurations.h"
#include "render/file_loader.h"
#include "render/transformer_args.h"
#include "yaml/yaml.h"

namespace skiff {
namespace {

// Nested `$ref`s deeper than this are a cycle (kustomize recurses forever).
constexpr size_t kMaxDepth = 64;

bool IsNullish(const Node* n) { return n == nullptr || n->IsNull(); }

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

// A struct field as Go's JSON decoder finds it: the last key equal to `name`
// ignoring case.
const Node* GoField(const Node* map, std::string_view name) {
  const Node* found = nullptr;
  for (const MapEntry& e : map->entries()) {
    if (EqualsIgnoreCase(e.key, name)) found = e.value;
  }
  return found;
}

// A marker extension's value when it is a string.
const Node* StringExtension(const Node* property, std::string_view key) {
  const Node* v = property->Get(key);
  return v != nullptr && v->IsString() ? v : nullptr;
}

// The properties of a definition's schema, checked as the decoder does.
Result<const Node*> PropertiesOf(const Node* definition, const std::string& where) {
  if (IsNullish(definition)) return static_cast<const Node*>(nullptr);
  if (!definition->IsMap()) return MakeError(where + ": expected an OpenAPI definition object");
  const Node* schema = GoField(definition, "schema");
  if (IsNullish(schema)) return static_cast<const Node*>(nullptr);
  if (!schema->IsMap()) return MakeError(where + ".Schema: expected an object");
  const Node* props = GoField(schema, "properties");
  if (IsNullish(props)) return static_cast<const Node*>(nullptr);
  if (!props->IsMap()) return MakeError(where + ".Schema.properties: expected an object");
  for (const MapEntry& e : props->entries()) {
    if (!IsNullish(e.value) && !e.value->IsMap()) {
      return MakeError(where + ".Schema.properties." + std::string(e.key) +
                       ": expected an object");
    }
  }
  return props;
}

class CrdWalker {
 public:
  CrdWalker(const Node* definitions, const std::string& file)
      : definitions_(definitions), file_(file) {}

  Status AddKind(std::string_view type_name, TransformerConfig& out) {
    size_t dot = type_name.rfind('.');
    kind_ = std::string(dot == std::string_view::npos ? type_name : type_name.substr(dot + 1));
    std::vector<std::string> path;
    return Walk(type_name, path, out);
  }

 private:
  Status Walk(std::string_view type_name, std::vector<std::string>& path, TransformerConfig& out) {
    if (path.size() > kMaxDepth) {
      return MakeError(file_ + ": " + std::string(type_name) + ": $ref chain too deep (a cycle?)");
    }
    const Node* definition = definitions_->Get(type_name);
    if (definition == nullptr) return Status::Ok();
    SKIFF_ASSIGN_OR_RETURN(const Node* props,
                           PropertiesOf(definition, file_ + ": " + std::string(type_name)));
    if (props == nullptr) return Status::Ok();
    for (const MapEntry& e : props->entries()) {
      if (IsNullish(e.value)) continue;
      path.emplace_back(e.key);
      SKIFF_RETURN_IF_ERROR(AddProperty(e.value, path, out));
      const Node* ref = e.value->Get("$ref");
      Status s = ref != nullptr && ref->IsString() ? Walk(ref->scalar(), path, out) : Status::Ok();
      path.pop_back();
      SKIFF_RETURN_IF_ERROR(s);
    }
    return Status::Ok();
  }

  Status AddProperty(const Node* property, const std::vector<std::string>& path,
                     TransformerConfig& out) {
    std::string joined;
    for (const std::string& p : path) joined += (joined.empty() ? "" : "/") + p;
    if (StringExtension(property, "x-kubernetes-annotation") != nullptr) {
      SKIFF_RETURN_IF_ERROR(Add(out.common_annotations, FieldSpec::Make("", "", kind_, joined)));
    }
    if (StringExtension(property, "x-kubernetes-label-selector") != nullptr) {
      SKIFF_RETURN_IF_ERROR(Add(out.common_labels, FieldSpec::Make("", "", kind_, joined)));
    }
    if (StringExtension(property, "x-kubernetes-identity") != nullptr) {
      SKIFF_RETURN_IF_ERROR(Add(out.name_prefix, FieldSpec::Make("", "", kind_, joined)));
    }
    const Node* version = StringExtension(property, "x-kubernetes-object-ref-api-version");
    const Node* kind = StringExtension(property, "x-kubernetes-object-ref-kind");
    if (version != nullptr && kind != nullptr) {
      const Node* name_key = StringExtension(property, "x-kubernetes-object-ref-name-key");
      std::string leaf = name_key != nullptr ? std::string(name_key->scalar()) : "name";
      TransformerConfig rule_config;
      NameReferenceRule rule;
      rule.referee.version = std::string(version->scalar());
      rule.referee.kind = std::string(kind->scalar());
      rule.referrers.push_back(FieldSpec::Make("", "", kind_, joined + "/" + leaf));
      rule_config.name_reference.push_back(std::move(rule));
      SKIFF_RETURN_IF_ERROR(MergeTransformerConfig(out, rule_config));
    }
    return Status::Ok();
  }

  static Status Add(std::vector<FieldSpec>& table, const FieldSpec& spec) {
    return MergeFieldSpec(table, spec);
  }

  const Node* definitions_;
  const std::string& file_;
  std::string kind_;
};

bool LooksLikeKind(const Node* props) {
  return props != nullptr && props->Get("kind") != nullptr &&
         props->Get("apiVersion") != nullptr && props->Get("metadata") != nullptr;
}

}  // namespace

Result<TransformerConfig> ParseCrdConfig(std::string_view text, const std::string& file) {
  TransformerConfig config;
  Arena arena;
  auto docs = ParseYamlStream(text, file, arena);
  if (!docs.ok()) return docs.error().Wrap("unable to parse open API definition from " + file);
  if (docs->empty() || IsNullish(docs->front().root)) return config;
  const Node* root = docs->front().root;
  if (!root->IsMap()) {
    return MakeError(file + ": unable to parse open API definition: expected a map from type "
                     "names to OpenAPI definitions (not a CustomResourceDefinition object)");
  }
  // Validate every definition first: the decoder rejects the file as a whole.
  for (const MapEntry& e : root->entries()) {
    SKIFF_ASSIGN_OR_RETURN(const Node* props, PropertiesOf(e.value, file + ": " + std::string(e.key)));
    (void)props;
  }
  CrdWalker walker(root, file);
  for (const MapEntry& e : root->entries()) {
    SKIFF_ASSIGN_OR_RETURN(const Node* props, PropertiesOf(e.value, file));
    if (!LooksLikeKind(props)) continue;
    SKIFF_RETURN_IF_ERROR(walker.AddKind(e.key, config));
  }
  return config;
}

Result<TransformerConfig> LoadCrdConfig(const Node* crds, const FileLoader& loader,
                                        const std::string& kustomization_file) {
  TransformerConfig config;
  if (crds == nullptr || !crds->IsSeq()) return config;
  for (size_t i = 0; i < crds->items().size(); ++i) {
    const Node* entry = crds->items()[i];
    std::string field = "crds[" + std::to_string(i) + "]";
    std::string where = kustomization_file + ":" + std::to_string(entry->pos().line) + ": " + field;
    Result<std::string> text = loader.ReadFile(entry->scalar(), field);
    if (!text.ok()) return text.error().Wrap(kustomization_file + ":" + std::to_string(entry->pos().line));
    std::string file = loader.root() + "/" + std::string(entry->scalar());
    Result<TransformerConfig> parsed = ParseCrdConfig(*text, file);
    if (!parsed.ok()) return parsed.error().Wrap(where);
    Status s = MergeTransformerConfig(config, *parsed);
    if (!s.ok()) return s.error().Wrap(where);
  }
  return config;
}

}  // namespace skiff
