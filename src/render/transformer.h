// The contract between the kustomization loader and the built-in
// transformers and generators: a transformer is made from its part of a
// kustomization (validated, with errors naming file:line and field) and then
// applied to the set accumulated so far.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "model/node.h"
#include "model/resource_set.h"
#include "render/field_spec.h"

namespace skiff {

class FileLoader;
struct SchemaSelection;

// "Objects of kind `referee` are referred to by name at `referrers`"
// (kustomize's nameReference table).
struct NameReferenceRule {
  Gvk referee;  // empty parts match any
  std::vector<FieldSpec> referrers;
};

// Where each transformer acts; the built-in tables, extended by a
// kustomization's `configurations`.
struct TransformerConfig {
  std::vector<FieldSpec> name_prefix;
  std::vector<FieldSpec> name_suffix;
  std::vector<FieldSpec> name_space;
  std::vector<FieldSpec> common_labels;    // labels incl. selectors
  std::vector<FieldSpec> template_labels;  // labels[].includeTemplates
  std::vector<FieldSpec> common_annotations;
  std::vector<FieldSpec> images;
  std::vector<FieldSpec> replicas;
  std::vector<FieldSpec> var_reference;
  std::vector<NameReferenceRule> name_reference;

  static const TransformerConfig& Builtin();
};

// Built-in nameReference rules (defined beside the name-reference fix-up).
std::vector<NameReferenceRule> BuiltinNameReferenceRules();

// What a transformer or generator may use while it works.
struct RenderContext {
  Arena& arena;
  const FileLoader& loader;           // root-restricted reads for this kustomization
  std::string kustomization_file;     // path shown in messages
  const TransformerConfig& config;
  std::vector<std::string>& warnings;  // printed on stderr by the CLI
  // The OpenAPI schema chosen for the build (`openapi:`); null: built-in.
  const SchemaSelection* schema = nullptr;
};

class Transformer {
 public:
  virtual ~Transformer() = default;
  virtual Status Apply(ResourceSet& set, RenderContext& ctx) = 0;
};

using TransformerPtr = std::unique_ptr<Transformer>;

}  // namespace skiff
