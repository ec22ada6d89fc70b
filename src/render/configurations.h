// A kustomization's `configurations`: files of field-spec tables (namePrefix,
// nameSuffix, namespace, commonLabels, templateLabels, commonAnnotations,
// images, replicas, varReference, nameReference) that extend the built-in
// tables. They apply to the kustomization that lists them and, because a
// base's tables join its parent's, to every kustomization above it.
#pragma once

#include <memory>
#include <string>

#include "base/result.h"
#include "model/node.h"
#include "render/transformer.h"

namespace skiff {

class FileLoader;
struct TransformerConfig;
Status MergeTransformerConfig(TransformerConfig& config, const TransformerConfig& extra);

// The tables in force for one accumulated set. Invariant: while no
// configuration file has been met, it shares the built-in tables instead of
// copying them, so trees without configurations pay nothing.
class ConfigurationScope {
 public:
  const TransformerConfig& config() const {
    return custom_ ? *custom_ : TransformerConfig::Builtin();
  }

  // Reads each file named in `configurations` (a kustomization's field; may
  // be null) through `loader` and merges its tables in. `kustomization_file`
  // names the listing file in messages.
  Status AddFiles(const Node* configurations, const FileLoader& loader, Arena& arena,
                  const std::string& kustomization_file);

  // Merges the tables of a base built with its own scope.
  Status MergeFrom(const ConfigurationScope& base);

  // Merges tables made elsewhere (those of a kustomization's `crds`).
  Status Add(const TransformerConfig& extra) { return MergeTransformerConfig(Custom(), extra); }

 private:
  TransformerConfig& Custom();

  std::shared_ptr<TransformerConfig> custom_;
};

// Merges every table of `extra` into `config`: a field spec already present
// is kept once (a twin differing only in `create` is an error); nameReference
// referrers join the rule for the same kind.
Status MergeTransformerConfig(TransformerConfig& config, const TransformerConfig& extra);

// Parses one configuration document. `ctx` names the file in messages.
Result<TransformerConfig> ParseTransformerConfig(const Node* root, const RenderContext& ctx);

}  // namespace skiff
