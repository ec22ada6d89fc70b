#include "render/configurations.h"

#include "render/file_loader.h"
#include "render/transformer_args.h"
#include "yaml/yaml.h"

namespace skiff {

namespace {

// The field-spec tables a configuration file may hold, by key.
struct SpecTable {
  std::string_view key;
  std::vector<FieldSpec> TransformerConfig::*specs;
};

constexpr SpecTable kSpecTables[] = {
    {"namePrefix", &TransformerConfig::name_prefix},
    {"nameSuffix", &TransformerConfig::name_suffix},
    {"namespace", &TransformerConfig::name_space},
    {"commonLabels", &TransformerConfig::common_labels},
    {"templateLabels", &TransformerConfig::template_labels},
    {"commonAnnotations", &TransformerConfig::common_annotations},
    {"images", &TransformerConfig::images},
    {"replicas", &TransformerConfig::replicas},
    {"varReference", &TransformerConfig::var_reference},
};

Status MergeSpecs(std::vector<FieldSpec>& into, const std::vector<FieldSpec>& extra,
                  std::string_view table) {
  for (const FieldSpec& spec : extra) {
    Status s = MergeFieldSpec(into, spec);
    if (!s.ok()) return s.error().Wrap(table);
  }
  return Status::Ok();
}

Result<NameReferenceRule> ParseNameReference(const Node* entry, const RenderContext& ctx) {
  if (!entry->IsMap()) return ArgError(ctx, entry, "nameReference", "expected a map");
  NameReferenceRule rule;
  std::string* parts[] = {&rule.referee.group, &rule.referee.version, &rule.referee.kind};
  const char* names[] = {"group", "version", "kind"};
  for (int i = 0; i < 3; ++i) {
    SKIFF_ASSIGN_OR_RETURN(*parts[i], ReadStringArg(entry->Get(names[i]),
                                                    std::string("nameReference.") + names[i],
                                                    ctx));
  }
  SKIFF_ASSIGN_OR_RETURN(rule.referrers, ReadFieldSpecsArg(entry->Get("fieldSpecs"),
                                                           "nameReference.fieldSpecs", ctx));
  return rule;
}

}  // namespace

Status MergeTransformerConfig(TransformerConfig& config, const TransformerConfig& extra) {
  for (const SpecTable& t : kSpecTables) {
    SKIFF_RETURN_IF_ERROR(MergeSpecs(config.*t.specs, extra.*t.specs, t.key));
  }
  for (const NameReferenceRule& rule : extra.name_reference) {
    NameReferenceRule* same = nullptr;
    for (NameReferenceRule& have : config.name_reference) {
      if (have.referee == rule.referee) same = &have;
    }
    if (same == nullptr) {
      config.name_reference.push_back(rule);
      continue;
    }
    SKIFF_RETURN_IF_ERROR(MergeSpecs(same->referrers, rule.referrers, "nameReference"));
  }
  return Status::Ok();
}

Result<TransformerConfig> ParseTransformerConfig(const Node* root, const RenderContext& ctx) {
  TransformerConfig config;
  if (root == nullptr || root->IsNull()) return config;
  if (!root->IsMap()) return ArgError(ctx, root, "configurations", "expected a map of tables");
  // Unknown keys are ignored, as kustomize's lenient reader does.
  for (const SpecTable& t : kSpecTables) {
    SKIFF_ASSIGN_OR_RETURN(config.*t.specs, ReadFieldSpecsArg(root->Get(t.key), t.key, ctx));
  }
  const Node* refs = root->Get("nameReference");
  if (refs != nullptr && !refs->IsNull()) {
    if (!refs->IsSeq()) return ArgError(ctx, refs, "nameReference", "expected a list");
    for (const Node* entry : refs->items()) {
      SKIFF_ASSIGN_OR_RETURN(NameReferenceRule rule, ParseNameReference(entry, ctx));
      config.name_reference.push_back(std::move(rule));
    }
  }
  return config;
}

TransformerConfig& ConfigurationScope::Custom() {
  if (!custom_) {
    custom_ = std::make_shared<TransformerConfig>(TransformerConfig::Builtin());
  } else if (custom_.use_count() > 1) {
    custom_ = std::make_shared<TransformerConfig>(*custom_);
  }
  return *custom_;
}

Status ConfigurationScope::AddFiles(const Node* configurations, const FileLoader& loader,
                                    Arena& arena, const std::string& kustomization_file) {
  if (configurations == nullptr || !configurations->IsSeq()) return Status::Ok();
  for (size_t i = 0; i < configurations->items().size(); ++i) {
    const Node* entry = configurations->items()[i];
    std::string field = "configurations[" + std::to_string(i) + "]";
    std::string where = kustomization_file + ":" + std::to_string(entry->pos().line);
    Result<std::string> text = loader.ReadFile(entry->scalar(), field);
    if (!text.ok()) return text.error().Wrap(where);
    std::string file = loader.root() + "/" + std::string(entry->scalar());
    Result<std::vector<YamlDocument>> docs = ParseYamlStream(*text, file, arena);
    if (!docs.ok()) return docs.error().Wrap(where + ": " + field);
    std::vector<std::string> no_warnings;
    RenderContext ctx{arena, loader, file, TransformerConfig::Builtin(), no_warnings};
    for (const YamlDocument& doc : *docs) {
      Result<TransformerConfig> parsed = ParseTransformerConfig(doc.root, ctx);
      if (!parsed.ok()) return parsed.error().Wrap(where + ": " + field);
      Status s = MergeTransformerConfig(Custom(), *parsed);
      if (!s.ok()) return s.error().Wrap(file);
    }
  }
  return Status::Ok();
}

Status ConfigurationScope::MergeFrom(const ConfigurationScope& base) {
  if (!base.custom_ || base.custom_ == custom_) return Status::Ok();
  if (!custom_) {
    // The base already holds the built-in tables plus its own.
    custom_ = base.custom_;
    return Status::Ok();
  }
  return MergeTransformerConfig(Custom(), *base.custom_);
}

}  // namespace skiff
