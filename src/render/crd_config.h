// A kustomization's `crds:` files. Despite the name, each file is not a
// CustomResourceDefinition object but a map from OpenAPI type names to
// definitions (`{"com.example.v1.MyKind": {"Schema": {...}}}`, JSON or YAML),
// as kustomize v5.5 reads them. They never change how patches merge; they
// extend the transformer tables for custom kinds:
//  - a definition whose properties include kind, apiVersion and metadata is a
//    kind, named by the last dot-separated part of its type name (any group
//    and version);
//  - its properties are walked, following `$ref` (the referenced type's
//    name, exactly as a key of the file), and each property marked with
//    `x-kubernetes-annotation` joins commonAnnotations, with
//    `x-kubernetes-label-selector` commonLabels, with `x-kubernetes-identity`
//    namePrefix, and with `x-kubernetes-object-ref-api-version` plus
//    `x-kubernetes-object-ref-kind` the name references (the referrer field
//    is `<property>/<x-kubernetes-object-ref-name-key, default name>`).
// Marker values must be strings; list items are not walked.
#pragma once

#include <string>

#include "base/result.h"
#include "model/node.h"
#include "render/transformer.h"

namespace skiff {

class FileLoader;

// Reads every file of `crds` (a kustomization's field; may be null) through
// `loader` and returns the tables they add. `kustomization_file` names the
// listing file in messages.
Result<TransformerConfig> LoadCrdConfig(const Node* crds, const FileLoader& loader,
                                        const std::string& kustomization_file);

// The tables one file's text adds; `file` names it in messages.
Result<TransformerConfig> ParseCrdConfig(std::string_view text, const std::string& file);

}  // namespace skiff
