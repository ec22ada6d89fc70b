#include "local/protobuf_body.h"

#include <openssl/evp.h>

#include <cstdint>
#include <functional>

#include "local/json_codec.h"
#include "model/node.h"

namespace skiff::local {
namespace {

enum WireType { kVarint = 0, kFixed64 = 1, kBytes = 2, kFixed32 = 5 };

struct WireField {
  uint32_t number = 0;
  int wire_type = 0;
  uint64_t varint = 0;
  std::string_view bytes;
};

// Reads the fields of one protobuf message in order.
class WireReader {
 public:
  explicit WireReader(std::string_view data) : data_(data) {}

  // False at the end or on malformed input (then failed() is true).
  bool Next(WireField& f) {
    if (pos_ >= data_.size() || failed_) return false;
    uint64_t key = 0;
    if (!Varint(key)) return Fail();
    f.number = static_cast<uint32_t>(key >> 3);
    f.wire_type = static_cast<int>(key & 7);
    switch (f.wire_type) {
      case kVarint:
        return Varint(f.varint) || Fail();
      case kFixed64:
        return Skip(8);
      case kFixed32:
        return Skip(4);
      case kBytes: {
        uint64_t len = 0;
        if (!Varint(len) || len > data_.size() - pos_) return Fail();
        f.bytes = data_.substr(pos_, len);
        pos_ += len;
        return true;
      }
      default:
        return Fail();
    }
  }
  bool failed() const { return failed_; }

 private:
  bool Varint(uint64_t& v) {
    v = 0;
    for (int shift = 0; shift < 64 && pos_ < data_.size(); shift += 7) {
      auto byte = static_cast<unsigned char>(data_[pos_++]);
      v |= static_cast<uint64_t>(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) return true;
    }
    return false;
  }
  bool Skip(size_t n) {
    if (n > data_.size() - pos_) return Fail();
    pos_ += n;
    return true;
  }
  bool Fail() {
    failed_ = true;
    return false;
  }

  std::string_view data_;
  size_t pos_ = 0;
  bool failed_ = false;
};

std::string Base64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

// Decodes `message`, handing each field to `on_field`; false if malformed.
bool ForEachField(std::string_view message, const std::function<void(const WireField&)>& on_field) {
  WireReader reader(message);
  WireField f;
  while (reader.Next(f)) on_field(f);
  return !reader.failed();
}

// A map<string, string|bytes> entry (key = 1, value = 2) added to `map`.
bool AddMapEntry(Node* map, std::string_view entry, bool bytes_value, Arena& arena) {
  std::string_view key, value;
  bool ok = ForEachField(entry, [&](const WireField& f) {
    if (f.number == 1) key = f.bytes;
    if (f.number == 2) value = f.bytes;
  });
  map->Set(arena.Str(key), arena.NewString(arena.Str(bytes_value ? Base64(value) : std::string(value))));
  return ok;
}

// Sets `parent[key]` to `child` unless the child came out empty (gogo
// protobuf encodes unset strings and messages as empty fields).
void SetIfNotEmpty(Node* parent, std::string_view key, Node* child) {
  bool empty = child->IsMap() ? child->entries().empty() : child->IsSeq() ? child->items().empty() : child->scalar().empty();
  if (!empty) parent->Set(key, child);
}

bool DecodeObjectMeta(std::string_view message, Node* meta, Arena& arena) {
  Node* labels = arena.NewMap();
  Node* annotations = arena.NewMap();
  Node* finalizers = arena.NewSeq();
  bool ok = true;
  ok = ForEachField(message, [&](const WireField& f) {
         if (f.wire_type != kBytes) return;
         switch (f.number) {
           case 1: SetIfNotEmpty(meta, "name", arena.NewString(arena.Str(f.bytes))); break;
           case 2: SetIfNotEmpty(meta, "generateName", arena.NewString(arena.Str(f.bytes))); break;
           case 3: SetIfNotEmpty(meta, "namespace", arena.NewString(arena.Str(f.bytes))); break;
           case 11: ok = AddMapEntry(labels, f.bytes, false, arena) && ok; break;
           case 12: ok = AddMapEntry(annotations, f.bytes, false, arena) && ok; break;
           case 14: finalizers->Append(arena.NewString(arena.Str(f.bytes))); break;
           default: break;  // server-owned or not sent by creates
         }
       }) && ok;
  SetIfNotEmpty(meta, "labels", labels);
  SetIfNotEmpty(meta, "annotations", annotations);
  SetIfNotEmpty(meta, "finalizers", finalizers);
  return ok;
}

// How the fields (after metadata = 1) of a supported kind map to JSON.
struct KindFields {
  enum Type { kString, kBool, kStringMap, kBytesMap, kNamespaceSpec };
  uint32_t number;
  const char* json_name;
  Type type;
};

const std::vector<KindFields>* FieldsOf(std::string_view api_version, std::string_view kind) {
  static const std::vector<KindFields> kNamespace = {{2, "spec", KindFields::kNamespaceSpec}};
  static const std::vector<KindFields> kConfigMap = {
      {2, "data", KindFields::kStringMap}, {3, "binaryData", KindFields::kBytesMap}, {4, "immutable", KindFields::kBool}};
  static const std::vector<KindFields> kSecret = {{2, "data", KindFields::kBytesMap},
                                                  {3, "type", KindFields::kString},
                                                  {4, "stringData", KindFields::kStringMap},
                                                  {5, "immutable", KindFields::kBool}};
  static const std::vector<KindFields> kServiceAccount = {{4, "automountServiceAccountToken", KindFields::kBool}};
  if (api_version != "v1") return nullptr;
  if (kind == "Namespace") return &kNamespace;
  if (kind == "ConfigMap") return &kConfigMap;
  if (kind == "Secret") return &kSecret;
  if (kind == "ServiceAccount") return &kServiceAccount;
  return nullptr;
}

bool DecodeField(const KindFields& spec, const WireField& f, Node* root, Arena& arena) {
  switch (spec.type) {
    case KindFields::kString:
      SetIfNotEmpty(root, spec.json_name, arena.NewString(arena.Str(f.bytes)));
      return true;
    case KindFields::kBool:
      root->Set(spec.json_name, arena.NewBool(f.varint != 0));
      return true;
    case KindFields::kStringMap:
    case KindFields::kBytesMap:
      return AddMapEntry(arena.GetOrCreateMap(root, spec.json_name), f.bytes, spec.type == KindFields::kBytesMap,
                         arena);
    case KindFields::kNamespaceSpec: {
      Node* finalizers = arena.NewSeq();
      bool ok = ForEachField(f.bytes, [&](const WireField& g) {
        if (g.number == 1) finalizers->Append(arena.NewString(arena.Str(g.bytes)));
      });
      if (!finalizers->items().empty()) arena.GetOrCreateMap(root, "spec")->Set("finalizers", finalizers);
      return ok;
    }
  }
  return false;
}

}  // namespace

Result<std::string> ProtobufBodyToJson(std::string_view body) {
  constexpr std::string_view kMagic("k8s\0", 4);
  if (body.substr(0, kMagic.size()) != kMagic) return Error{"protobuf body without the k8s envelope prefix"};
  std::string_view api_version, kind, raw;
  bool ok = ForEachField(body.substr(kMagic.size()), [&](const WireField& f) {
    if (f.number == 1) {
      ForEachField(f.bytes, [&](const WireField& t) {
        if (t.number == 1) api_version = t.bytes;
        if (t.number == 2) kind = t.bytes;
      });
    }
    if (f.number == 2) raw = f.bytes;
  });
  if (!ok) return Error{"malformed protobuf envelope"};
  const std::vector<KindFields>* fields = FieldsOf(api_version, kind);
  if (fields == nullptr) {
    return Error{"protobuf bodies are read for v1 Namespace, ConfigMap, Secret and ServiceAccount only, not " +
                 std::string(api_version) + " " + std::string(kind) + "; send JSON"};
  }
  Arena arena;
  Node* root = arena.NewMap();
  root->Set("apiVersion", arena.NewString(arena.Str(api_version)));
  root->Set("kind", arena.NewString(arena.Str(kind)));
  Node* meta = arena.NewMap();
  root->Set("metadata", meta);
  ok = ForEachField(raw, [&](const WireField& f) {
    if (f.number == 1 && f.wire_type == kBytes) {
      ok = DecodeObjectMeta(f.bytes, meta, arena) && ok;
      return;
    }
    for (const KindFields& spec : *fields) {
      if (spec.number == f.number) ok = DecodeField(spec, f, root, arena) && ok;
    }
  }) && ok;
  if (!ok) return Error{"malformed protobuf " + std::string(kind)};
  std::string json;
  EmitJsonText(root, json);
  return json;
}

}  // namespace skiff::local
