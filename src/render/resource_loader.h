// Turns the text of one resource file into objects, as kustomize's resource
// factory does: empty documents are skipped, every object must have a kind
// and (unless it is a *List) a metadata.name, and a *List with `items` is
// replaced by its items, which go to the end of the file's objects.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "model/node.h"
#include "model/resource.h"
#include "yaml/yaml.h"

namespace skiff {

// Parses `text`, read from `file` (the path shown in messages and kept as
// each object's origin), into objects whose nodes live in `arena`.
Result<std::vector<Resource>> LoadResources(std::string_view text, const std::string& file,
                                            Arena& arena);

// The parse LoadResources makes: YAML stream, map keys required to be strings.
ParseLimits ResourceParseLimits();

// LoadResources after the parse: the objects of parsed documents (lists
// unpacked, identity fields checked).
Result<std::vector<Resource>> ResourcesFromDocuments(const std::vector<YamlDocument>& docs,
                                                     const std::string& file);

// Checks the identity fields kustomize requires of one object; the error
// names `file` and the object's line.
Status ValidateResourceMetadata(const Node* root, const std::string& file);

}  // namespace skiff
