// One configMapGenerator or secretGenerator entry: its parsed arguments and
// the object it makes.
#pragma once

#include <string>
#include <string_view>

#include "base/result.h"
#include "model/resource.h"
#include "render/generator_options.h"
#include "render/kv_sources.h"

namespace skiff {

class FileLoader;

// The arguments of one generator entry, validated.
struct GeneratorArgs {
  bool secret = false;     // secretGenerator entry
  std::string name;        // never empty
  std::string ns;          // empty: no metadata.namespace
  Resource::Behavior behavior = Resource::Behavior::kCreate;
  KvSources sources;
  std::string type;        // Secret type; empty means Opaque
  GeneratorOptions options;  // the entry's own options (not yet merged)
  Origin origin;           // kustomization file and line of the entry
};

// Parses one entry of configMapGenerator (`secret` false) or
// secretGenerator. Unknown fields, a missing name and ill-typed values are
// errors naming `file`:line. An unknown behavior means create, as in
// kustomize; the deprecated `env` is appended to `envs`.
Result<GeneratorArgs> ParseGeneratorArgs(const Node* entry, bool secret, std::string_view file);

// Makes the ConfigMap or Secret for `args` with `options` already merged
// with generatorOptions. Keys may not repeat. ConfigMap values that are not
// UTF-8 go to binaryData; Secret values are all base64. The object carries
// behavior and needs_hash_suffix; the suffix itself is added at the top level.
Result<Resource> MakeGeneratedObject(const GeneratorArgs& args, const GeneratorOptions& options,
                                     const FileLoader& loader, Arena& arena);

// Standard base64 broken into 70-character lines, each ending in '\n', when
// the encoding is 70 characters or longer (kustomize's layout).
std::string EncodeBase64Lines(std::string_view data);

}  // namespace skiff
