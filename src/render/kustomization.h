// A kustomization file read and checked, its fields kept as nodes of the
// document model so every later step can name the file and line it uses.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "model/node.h"

namespace skiff {

// The fields of one kustomization (kind Kustomization or Component).
// Invariant: every non-null field pointer has the shape kustomize's schema
// gives it (string, sequence or map; sequences of strings hold only
// strings); fields that were absent or null are nullptr.
struct Kustomization {
  std::string file;  // path of the kustomization file, as shown in messages
  std::string dir;   // resolved directory holding it
  bool is_component = false;

  const Node* open_api = nullptr;
  const Node* name_prefix = nullptr;
  const Node* name_suffix = nullptr;
  const Node* name_space = nullptr;
  const Node* common_labels = nullptr;
  const Node* labels = nullptr;
  const Node* common_annotations = nullptr;
  const Node* patches_strategic_merge = nullptr;
  const Node* patches_json6902 = nullptr;
  const Node* patches = nullptr;
  const Node* images = nullptr;
  const Node* image_tags = nullptr;
  const Node* replacements = nullptr;
  const Node* replicas = nullptr;
  const Node* vars = nullptr;
  const Node* sort_options = nullptr;
  const Node* resources = nullptr;
  const Node* components = nullptr;
  const Node* crds = nullptr;
  const Node* bases = nullptr;
  const Node* config_map_generator = nullptr;
  const Node* secret_generator = nullptr;
  const Node* helm_globals = nullptr;
  const Node* helm_charts = nullptr;
  const Node* helm_chart_inflation_generator = nullptr;
  const Node* generator_options = nullptr;
  const Node* configurations = nullptr;
  const Node* generators = nullptr;
  const Node* transformers = nullptr;
  const Node* validators = nullptr;
  const Node* build_metadata = nullptr;
  const Node* metadata = nullptr;

  // "file:line" of `node` (the file alone when the node has no position).
  std::string Where(const Node* node) const;
};

// The kustomization file names kustomize accepts, in its lookup order.
const std::vector<std::string_view>& KustomizationFileNames();

// Finds the kustomization file in `dir` (resolved): exactly one of
// KustomizationFileNames() must exist.
Result<std::string> FindKustomizationFile(const std::string& dir);

// Parses `text` (the content of `file`, in `dir`) as kustomize does: the
// first document only, unknown fields are errors, a repeated key's last value
// wins, an empty kustomization is an error, kind and apiVersion must agree.
// Deprecated fields add kustomize's warning text to `warnings`.
Result<Kustomization> ParseKustomization(std::string_view text, std::string file, std::string dir,
                                         Arena& arena, std::vector<std::string>& warnings);

// Reads and parses the kustomization file of `dir` (resolved).
Result<Kustomization> LoadKustomization(const std::string& dir, Arena& arena,
                                        std::vector<std::string>& warnings);

}  // namespace skiff
