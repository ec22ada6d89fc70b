// Key/value sources of configMapGenerator and secretGenerator: env files,
// literals and files, parsed as kustomize does.
//
// Quirks kept on purpose (they are what `kustomize build` does): keys are not
// validated (spaces, slashes pass), an env line without '=' gives an empty
// value, an env line "=x" (empty key) is silently skipped, values keep
// trailing spaces, and only a literal's matching outer quotes are removed.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace skiff {

class FileLoader;

struct KvPair {
  std::string key;
  std::string value;
};

// The three source lists of one generator entry, in kustomize's order.
struct KvSources {
  std::vector<std::string> env_files;
  std::vector<std::string> literals;
  std::vector<std::string> files;
};

// Parses an env file: lines split on '\n' (a trailing '\r' dropped), a UTF-8
// BOM stripped from the first line, leading white space trimmed, blank and
// '#' lines skipped, split on the first '='. `file` names errors.
Result<std::vector<KvPair>> ParseEnvFile(std::string_view content, std::string_view file);

// "key=value", quotes around value removed when both ends match.
Result<KvPair> ParseLiteralSource(std::string_view source);

// "key=path" or "path" (key = the path's base name). Returns {key, path}.
Result<KvPair> ParseFileSource(std::string_view source);

// All pairs of `sources` in order envs, literals, files, reading files
// through `loader` (root-restricted). Duplicate keys are left to the caller.
Result<std::vector<KvPair>> LoadKvPairs(const KvSources& sources, const FileLoader& loader);

}  // namespace skiff
