#include "render/kustomization.h"

#include <sys/stat.h>

#include <array>

#include "render/file_loader.h"
#include "render/path_cache.h"
#include "yaml/yaml.h"

namespace skiff {
namespace {

// The JSON shape kustomize's schema gives a field; a value of another shape
// fails to unmarshal there.
enum class Shape { kString, kStringMap, kStringList, kList, kMap };

struct FieldDef {
  std::string_view name;
  Shape shape;
  const Node* Kustomization::*member;  // nullptr for apiVersion and kind
};

// Every field of kustomize v5.5.0's Kustomization type.
constexpr std::array kFields = {
    FieldDef{"apiVersion", Shape::kString, nullptr},
    FieldDef{"kind", Shape::kString, nullptr},
    FieldDef{"metadata", Shape::kMap, &Kustomization::metadata},
    FieldDef{"openapi", Shape::kStringMap, &Kustomization::open_api},
    FieldDef{"namePrefix", Shape::kString, &Kustomization::name_prefix},
    FieldDef{"nameSuffix", Shape::kString, &Kustomization::name_suffix},
    FieldDef{"namespace", Shape::kString, &Kustomization::name_space},
    FieldDef{"commonLabels", Shape::kStringMap, &Kustomization::common_labels},
    FieldDef{"labels", Shape::kList, &Kustomization::labels},
    FieldDef{"commonAnnotations", Shape::kStringMap, &Kustomization::common_annotations},
    FieldDef{"patchesStrategicMerge", Shape::kStringList, &Kustomization::patches_strategic_merge},
    FieldDef{"patchesJson6902", Shape::kList, &Kustomization::patches_json6902},
    FieldDef{"patches", Shape::kList, &Kustomization::patches},
    FieldDef{"images", Shape::kList, &Kustomization::images},
    FieldDef{"imageTags", Shape::kList, &Kustomization::image_tags},
    FieldDef{"replacements", Shape::kList, &Kustomization::replacements},
    FieldDef{"replicas", Shape::kList, &Kustomization::replicas},
    FieldDef{"vars", Shape::kList, &Kustomization::vars},
    FieldDef{"sortOptions", Shape::kMap, &Kustomization::sort_options},
    FieldDef{"resources", Shape::kStringList, &Kustomization::resources},
    FieldDef{"components", Shape::kStringList, &Kustomization::components},
    FieldDef{"crds", Shape::kStringList, &Kustomization::crds},
    FieldDef{"bases", Shape::kStringList, &Kustomization::bases},
    FieldDef{"configMapGenerator", Shape::kList, &Kustomization::config_map_generator},
    FieldDef{"secretGenerator", Shape::kList, &Kustomization::secret_generator},
    FieldDef{"helmGlobals", Shape::kMap, &Kustomization::helm_globals},
    FieldDef{"helmCharts", Shape::kList, &Kustomization::helm_charts},
    FieldDef{"helmChartInflationGenerator", Shape::kList,
             &Kustomization::helm_chart_inflation_generator},
    FieldDef{"generatorOptions", Shape::kMap, &Kustomization::generator_options},
    FieldDef{"configurations", Shape::kStringList, &Kustomization::configurations},
    FieldDef{"generators", Shape::kStringList, &Kustomization::generators},
    FieldDef{"transformers", Shape::kStringList, &Kustomization::transformers},
    FieldDef{"validators", Shape::kStringList, &Kustomization::validators},
    FieldDef{"buildMetadata", Shape::kStringList, &Kustomization::build_metadata},
};

// Deprecated fields in the order kustomize reports them, with its advice.
struct Deprecation {
  const Node* Kustomization::*member;
  std::string_view name;
  std::string_view replacement;
};
constexpr std::array kDeprecations = {
    Deprecation{&Kustomization::bases, "bases", "resources"},
    Deprecation{&Kustomization::common_labels, "commonLabels", "labels"},
    Deprecation{&Kustomization::image_tags, "imageTags", "images"},
    Deprecation{&Kustomization::patches_json6902, "patchesJson6902", "patches"},
    Deprecation{&Kustomization::patches_strategic_merge, "patchesStrategicMerge", "patches"},
    Deprecation{&Kustomization::vars, "vars", "replacements [EXPERIMENTAL]"},
};

constexpr std::string_view kKustomizationApiVersion = "kustomize.config.k8s.io/v1beta1";
constexpr std::string_view kComponentApiVersion = "kustomize.config.k8s.io/v1alpha1";

std::string_view ShapeName(Shape shape) {
  switch (shape) {
    case Shape::kString: return "a string";
    case Shape::kStringMap: return "a map of strings";
    case Shape::kStringList: return "a list of strings";
    case Shape::kList: return "a list";
    case Shape::kMap: return "a map";
  }
  return "";
}

bool StringOrNull(const Node* n) { return n->IsString() || n->IsNull(); }

bool HasShape(const Node* value, Shape shape) {
  switch (shape) {
    case Shape::kString: return value->IsString();
    case Shape::kMap: return value->IsMap();
    case Shape::kList: return value->IsSeq();
    case Shape::kStringList:
      if (!value->IsSeq()) return false;
      for (const Node* item : value->items()) {
        if (!item->IsString()) return false;
      }
      return true;
    case Shape::kStringMap:
      if (!value->IsMap()) return false;
      for (const MapEntry& e : value->entries()) {
        if (!StringOrNull(e.value)) return false;
      }
      return true;
  }
  return false;
}

// Whether a field makes the kustomization non-empty, as kustomize's
// comparison with the zero value decides: an empty string is unset, an empty
// list or map is set, except `bases`, whose entries move into resources, and
// `metadata`, a struct compared field by field.
bool CountsAsSet(const FieldDef& def, const Node* value) {
  if (def.name == "bases") return !value->items().empty();
  if (def.name == "metadata") return !value->entries().empty();
  if (def.shape == Shape::kString) return !value->scalar().empty();
  return true;
}

std::string Where(const std::string& file, const Node* node) {
  if (node == nullptr || node->pos().line == 0) return file;
  return file + ":" + std::to_string(node->pos().line);
}

Status CheckKindAndVersion(const Node* kind, const Node* api_version, const std::string& file,
                           bool& is_component) {
  std::string_view kind_text = kind != nullptr ? kind->scalar() : std::string_view();
  std::string_view version = api_version != nullptr ? api_version->scalar() : std::string_view();
  if (kind_text.empty() || kind_text == "Kustomization") {
    is_component = false;
    if (!version.empty() && version != kKustomizationApiVersion) {
      return MakeError(Where(file, api_version) + ": apiVersion for Kustomization should be " +
                       std::string(kKustomizationApiVersion));
    }
    return Status::Ok();
  }
  if (kind_text == "Component") {
    is_component = true;
    if (!version.empty() && version != kComponentApiVersion) {
      return MakeError(Where(file, api_version) + ": apiVersion for Component should be " +
                       std::string(kComponentApiVersion));
    }
    return Status::Ok();
  }
  return MakeError(Where(file, kind) + ": kind should be Kustomization or Component, not '" +
                   std::string(kind_text) + "'");
}

}  // namespace

std::string Kustomization::Where(const Node* node) const { return skiff::Where(file, node); }

const std::vector<std::string_view>& KustomizationFileNames() {
  static const std::vector<std::string_view> names = {"kustomization.yaml", "kustomization.yml",
                                                      "Kustomization"};
  return names;
}

Result<std::string> FindKustomizationFile(const std::string& dir) {
  std::string found;
  for (std::string_view name : KustomizationFileNames()) {
    std::string candidate = dir + "/" + std::string(name);
    mode_t mode = 0;
    if (!PathMode(candidate, &mode)) continue;
    if (!found.empty()) {
      return MakeError("found multiple kustomization files under: " + dir);
    }
    found = std::move(candidate);
  }
  if (found.empty()) {
    return MakeError(
        "unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in "
        "directory '" + dir + "'");
  }
  return found;
}

Result<Kustomization> ParseKustomization(std::string_view text, std::string file, std::string dir,
                                         Arena& arena, std::vector<std::string>& warnings) {
  ParseLimits limits;
  limits.duplicate_keys_last_wins = true;
  Result<std::vector<YamlDocument>> docs = ParseYamlStream(text, file, arena, limits);
  if (!docs.ok()) return docs.error().Wrap("invalid Kustomization");
  Kustomization k;
  k.file = std::move(file);
  k.dir = std::move(dir);
  const Node* root = docs->empty() ? nullptr : docs->front().root;
  if (root != nullptr && !root->IsNull() && !root->IsMap()) {
    return MakeError(Where(k.file, root) + ": invalid Kustomization: expected a map of fields");
  }

  const Node* kind = nullptr;
  const Node* api_version = nullptr;
  bool any_set = false;
  if (root != nullptr && root->IsMap()) {
    for (const MapEntry& entry : root->entries()) {
      const FieldDef* def = nullptr;
      for (const FieldDef& candidate : kFields) {
        if (candidate.name == entry.key) def = &candidate;
      }
      std::string where = k.file + ":" + std::to_string(entry.key_pos.line);
      if (def == nullptr) {
        return MakeError(where + ": invalid Kustomization: unknown field \"" +
                         std::string(entry.key) + "\"");
      }
      const Node* value = entry.value->IsNull() ? nullptr : entry.value;
      if (value != nullptr && !HasShape(value, def->shape)) {
        return MakeError(where + ": invalid Kustomization: field '" + std::string(def->name) +
                         "' must be " + std::string(ShapeName(def->shape)));
      }
      if (def->name == "kind") {
        kind = value;
      } else if (def->name == "apiVersion") {
        api_version = value;
      } else {
        k.*(def->member) = value;
      }
    }
    for (const FieldDef& def : kFields) {
      if (def.member != nullptr && k.*(def.member) != nullptr && CountsAsSet(def, k.*(def.member)))
        any_set = true;
    }
  }

  for (const Deprecation& d : kDeprecations) {
    if (k.*(d.member) == nullptr) continue;
    std::string_view replacement = d.replacement;
    std::string_view experimental;
    if (size_t sp = replacement.find(' '); sp != std::string_view::npos) {
      experimental = replacement.substr(sp);
      replacement = replacement.substr(0, sp);
    }
    warnings.push_back("# Warning: '" + std::string(d.name) + "' is deprecated. Please use '" +
                       std::string(replacement) + "' instead." + std::string(experimental) +
                       " Run 'kustomize edit fix' to update your Kustomization automatically.");
  }
  if (!any_set) return MakeError(k.file + ": kustomization is empty");
  SKIFF_RETURN_IF_ERROR(CheckKindAndVersion(kind, api_version, k.file, k.is_component));
  return k;
}

Result<Kustomization> LoadKustomization(const std::string& dir, Arena& arena,
                                        std::vector<std::string>& warnings) {
  SKIFF_ASSIGN_OR_RETURN(std::string file, FindKustomizationFile(dir));
  Result<std::string> text = ReadKustomizationFile(file);
  if (!text.ok()) return text.error();
  return ParseKustomization(*text, std::move(file), dir, arena, warnings);
}

}  // namespace skiff
