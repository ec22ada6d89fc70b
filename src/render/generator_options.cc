#include "render/generator_options.h"

#include <algorithm>

namespace skiff {

std::string WhereIs(std::string_view file, const Node* node) {
  std::string s(file);
  if (node != nullptr && node->pos().line > 0) s += ":" + std::to_string(node->pos().line);
  return s + ": ";
}

Result<std::vector<std::pair<std::string, std::string>>> ParseStringMap(
    const Node* value, std::string_view file, std::string_view field) {
  std::vector<std::pair<std::string, std::string>> out;
  if (value == nullptr || value->IsNull()) return out;
  if (!value->IsMap()) return MakeError(WhereIs(file, value) + std::string(field) + ": expected a map");
  for (const MapEntry& e : value->entries()) {
    if (!e.value->IsString()) {
      return MakeError(WhereIs(file, e.value) + std::string(field) + "." + std::string(e.key) +
                       ": expected a string value (quote it)");
    }
    std::string key(e.key);
    auto it = std::find_if(out.begin(), out.end(), [&](const auto& kv) { return kv.first == key; });
    // Duplicate keys: the last one wins, as for any YAML map kustomize reads.
    if (it != out.end()) {
      it->second = std::string(e.value->scalar());
    } else {
      out.emplace_back(std::move(key), std::string(e.value->scalar()));
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

Result<bool> ParseBool(const Node* value, std::string_view file, std::string_view field) {
  if (value == nullptr || value->IsNull()) return false;
  if (value->kind() != NodeKind::kBool) {
    return MakeError(WhereIs(file, value) + std::string(field) + ": expected true or false");
  }
  // The reader already resolved the YAML 1.1 spellings; anything not false is true.
  std::string_view t = value->scalar();
  for (std::string_view f : {"false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF", "n", "N"}) {
    if (t == f) return false;
  }
  return true;
}

Result<GeneratorOptions> ParseGeneratorOptions(const Node* value, std::string_view file) {
  GeneratorOptions opts;
  if (value == nullptr || value->IsNull()) return opts;
  if (!value->IsMap()) return MakeError(WhereIs(file, value) + "options: expected a map");
  for (const MapEntry& e : value->entries()) {
    if (e.key == "labels") {
      SKIFF_ASSIGN_OR_RETURN(opts.labels, ParseStringMap(e.value, file, "labels"));
    } else if (e.key == "annotations") {
      SKIFF_ASSIGN_OR_RETURN(opts.annotations, ParseStringMap(e.value, file, "annotations"));
    } else if (e.key == "disableNameSuffixHash") {
      SKIFF_ASSIGN_OR_RETURN(opts.disable_name_suffix_hash,
                             ParseBool(e.value, file, "disableNameSuffixHash"));
    } else if (e.key == "immutable") {
      SKIFF_ASSIGN_OR_RETURN(opts.immutable, ParseBool(e.value, file, "immutable"));
    } else {
      return MakeError(WhereIs(file, e.value) + "options: unknown field \"" + std::string(e.key) +
                       "\"");
    }
  }
  return opts;
}

namespace {

void FoldIn(std::vector<std::pair<std::string, std::string>>& local,
            const std::vector<std::pair<std::string, std::string>>& global) {
  for (const auto& kv : global) {
    auto it = std::lower_bound(local.begin(), local.end(), kv,
                               [](const auto& a, const auto& b) { return a.first < b.first; });
    if (it == local.end() || it->first != kv.first) local.insert(it, kv);
  }
}

}  // namespace

GeneratorOptions MergeGeneratorOptions(GeneratorOptions local, const GeneratorOptions& global) {
  FoldIn(local.labels, global.labels);
  FoldIn(local.annotations, global.annotations);
  local.disable_name_suffix_hash = local.disable_name_suffix_hash || global.disable_name_suffix_hash;
  local.immutable = local.immutable || global.immutable;
  return local;
}

}  // namespace skiff
