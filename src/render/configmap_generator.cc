#include "render/configmap_generator.h"

#include <algorithm>
#include <unordered_set>

#include "render/file_loader.h"
#include "yaml/utf8.h"

namespace skiff {

namespace {

std::string EntryError(std::string_view file, const Node* node, std::string_view msg) {
  return WhereIs(file, node) + std::string(msg);
}

Result<std::string> ParseString(const Node* value, std::string_view file, std::string_view field) {
  if (value == nullptr || value->IsNull()) return std::string();
  if (!value->IsScalar()) return MakeError(EntryError(file, value, std::string(field) + ": expected a string"));
  return std::string(value->scalar());
}

Result<std::vector<std::string>> ParseStringList(const Node* value, std::string_view file,
                                                 std::string_view field) {
  std::vector<std::string> out;
  if (value == nullptr || value->IsNull()) return out;
  if (!value->IsSeq()) return MakeError(EntryError(file, value, std::string(field) + ": expected a list"));
  for (const Node* item : value->items()) {
    if (!item->IsScalar() || item->IsNull()) {
      return MakeError(EntryError(file, item, std::string(field) + ": expected a string item"));
    }
    out.emplace_back(item->scalar());
  }
  return out;
}

Resource::Behavior ParseBehavior(std::string_view text) {
  if (text == "merge") return Resource::Behavior::kMerge;
  if (text == "replace") return Resource::Behavior::kReplace;
  return Resource::Behavior::kCreate;
}

Status ParseEntryField(const MapEntry& e, std::string_view file, GeneratorArgs& args,
                       std::string& deprecated_env) {
  std::string_view k = e.key;
  if (k == "name") {
    SKIFF_ASSIGN_OR_RETURN(args.name, ParseString(e.value, file, k));
  } else if (k == "namespace") {
    SKIFF_ASSIGN_OR_RETURN(args.ns, ParseString(e.value, file, k));
  } else if (k == "behavior") {
    SKIFF_ASSIGN_OR_RETURN(std::string b, ParseString(e.value, file, k));
    args.behavior = ParseBehavior(b);
  } else if (k == "envs") {
    SKIFF_ASSIGN_OR_RETURN(args.sources.env_files, ParseStringList(e.value, file, k));
  } else if (k == "env") {
    SKIFF_ASSIGN_OR_RETURN(deprecated_env, ParseString(e.value, file, k));
  } else if (k == "literals") {
    SKIFF_ASSIGN_OR_RETURN(args.sources.literals, ParseStringList(e.value, file, k));
  } else if (k == "files") {
    SKIFF_ASSIGN_OR_RETURN(args.sources.files, ParseStringList(e.value, file, k));
  } else if (k == "options") {
    SKIFF_ASSIGN_OR_RETURN(args.options, ParseGeneratorOptions(e.value, file));
  } else if (k == "type" && args.secret) {
    SKIFF_ASSIGN_OR_RETURN(args.type, ParseString(e.value, file, k));
  } else {
    return MakeError(EntryError(file, e.value, "unknown field \"" + std::string(k) + "\""));
  }
  return Status::Ok();
}

}  // namespace

Result<GeneratorArgs> ParseGeneratorArgs(const Node* entry, bool secret, std::string_view file) {
  const char* field = secret ? "secretGenerator" : "configMapGenerator";
  if (entry == nullptr || !entry->IsMap()) {
    return MakeError(EntryError(file, entry, std::string(field) + ": each entry must be a map"));
  }
  GeneratorArgs args;
  args.secret = secret;
  args.origin = Origin{std::string(file), entry->pos().line};
  std::string deprecated_env;
  for (const MapEntry& e : entry->entries()) {
    Status s = ParseEntryField(e, file, args, deprecated_env);
    if (!s.ok()) return s.error().Wrap(field);
  }
  if (!deprecated_env.empty()) args.sources.env_files.push_back(std::move(deprecated_env));
  if (args.name.empty()) {
    return MakeError(EntryError(file, entry, std::string(field) + ": a " +
                                                 (secret ? "secret" : "configmap") +
                                                 " must have a name"));
  }
  return args;
}

std::string EncodeBase64Lines(std::string_view data) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string enc;
  enc.reserve((data.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < data.size(); i += 3) {
    uint32_t v = (static_cast<unsigned char>(data[i]) << 16) |
                 (static_cast<unsigned char>(data[i + 1]) << 8) | static_cast<unsigned char>(data[i + 2]);
    enc += kAlphabet[(v >> 18) & 63];
    enc += kAlphabet[(v >> 12) & 63];
    enc += kAlphabet[(v >> 6) & 63];
    enc += kAlphabet[v & 63];
  }
  if (i < data.size()) {
    uint32_t v = static_cast<unsigned char>(data[i]) << 16;
    if (i + 1 < data.size()) v |= static_cast<unsigned char>(data[i + 1]) << 8;
    enc += kAlphabet[(v >> 18) & 63];
    enc += kAlphabet[(v >> 12) & 63];
    enc += i + 1 < data.size() ? kAlphabet[(v >> 6) & 63] : '=';
    enc += '=';
  }
  constexpr size_t kLineLen = 70;
  if (enc.size() < kLineLen) return enc;
  std::string out;
  out.reserve(enc.size() + enc.size() / kLineLen + 1);
  for (size_t pos = 0; pos < enc.size(); pos += kLineLen) {
    out.append(enc, pos, kLineLen);
    out += '\n';
  }
  return out;
}

namespace {

Node* ValueNode(Arena& arena, std::string_view text) {
  bool multiline = text.find('\n') != std::string_view::npos;
  return arena.NewScalar(NodeKind::kString, arena.Str(text),
                         multiline ? ScalarStyle::kLiteral : ScalarStyle::kPlain);
}

Node* StringMap(Arena& arena, const std::vector<std::pair<std::string, std::string>>& kvs) {
  Node* m = arena.NewMap();
  for (const auto& [k, v] : kvs) m->Set(InternKey(k), ValueNode(arena, v));
  return m;
}

// Fills data/binaryData (sorted by key, as kustomize writes them) from pairs.
void SetData(Node* root, std::vector<KvPair> pairs, bool secret, Arena& arena) {
  std::sort(pairs.begin(), pairs.end(), [](const KvPair& a, const KvPair& b) { return a.key < b.key; });
  Node* data = secret ? arena.GetOrCreateMap(root, "data") : nullptr;
  Node* binary = nullptr;
  for (const KvPair& kv : pairs) {
    if (secret) {
      data->Set(InternKey(kv.key), ValueNode(arena, EncodeBase64Lines(kv.value)));
    } else if (IsValidUtf8(kv.value)) {
      if (data == nullptr) data = arena.GetOrCreateMap(root, "data");
      data->Set(InternKey(kv.key), ValueNode(arena, kv.value));
    } else {
      if (binary == nullptr) binary = arena.GetOrCreateMap(root, "binaryData");
      binary->Set(InternKey(kv.key), ValueNode(arena, EncodeBase64Lines(kv.value)));
    }
  }
}

}  // namespace

Result<Resource> MakeGeneratedObject(const GeneratorArgs& args, const GeneratorOptions& options,
                                     const FileLoader& loader, Arena& arena) {
  const char* what = args.secret ? "secret" : "configmap";
  auto fail = [&](const Error& e) {
    return e.Wrap(args.origin.String() + ": " + what + " " + args.name);
  };
  auto pairs = LoadKvPairs(args.sources, loader);
  if (!pairs.ok()) return fail(pairs.error());
  std::unordered_set<std::string_view> seen;
  for (const KvPair& kv : *pairs) {
    if (!seen.insert(kv.key).second) {
      return fail(MakeError("illegally repeats the key `" + kv.key + "`"));
    }
  }
  Node* root = arena.NewMap();
  root->Set("apiVersion", arena.NewString("v1"));
  root->Set("kind", arena.NewString(args.secret ? "Secret" : "ConfigMap"));
  Node* md = arena.GetOrCreateMap(root, "metadata");
  md->Set("name", arena.NewString(arena.Str(args.name)));
  if (!args.ns.empty()) md->Set("namespace", arena.NewString(arena.Str(args.ns)));
  if (args.secret) {
    root->Set("type", arena.NewString(arena.Str(args.type.empty() ? "Opaque" : args.type)));
  }
  SetData(root, std::move(pairs).value(), args.secret, arena);
  if (!options.labels.empty()) md->Set("labels", StringMap(arena, options.labels));
  if (!options.annotations.empty()) md->Set("annotations", StringMap(arena, options.annotations));
  if (options.immutable) root->Set("immutable", arena.NewBool(true));

  Resource r;
  r.root = root;
  r.origin = args.origin;
  r.behavior = args.behavior;
  r.needs_hash_suffix = !options.disable_name_suffix_hash;
  return r;
}

}  // namespace skiff
