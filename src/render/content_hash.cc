// OpenSSL 3 routes EVP digests through its provider machinery, whose first use
// loads the configuration and fetches algorithms: about 5 M instructions,
// a third of a one-app render. The direct SHA-256 functions (deprecated in
// 3.0, still shipped, same assembly) skip that.
#define OPENSSL_API_COMPAT 0x10101000L
#include "render/content_hash.h"

#include <openssl/sha.h>

#include <memory>
#include <vector>

#include "yaml/yaml.h"

namespace skiff {

std::string Sha256Hex(std::string_view data) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  constexpr unsigned int len = SHA256_DIGEST_LENGTH;
  SHA256_CTX ctx;
  SHA256_Init(&ctx);
  SHA256_Update(&ctx, data.data(), data.size());
  SHA256_Final(digest, &ctx);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(len * 2);
  for (unsigned int i = 0; i < len; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 0xf];
  }
  return out;
}

std::string EncodeHashSuffix(std::string_view sha256_hex) {
  std::string out(sha256_hex.substr(0, 10));
  for (char& c : out) {
    switch (c) {
      case '0': c = 'g'; break;
      case '1': c = 'h'; break;
      case '3': c = 'k'; break;
      case 'a': c = 'm'; break;
      case 'e': c = 't'; break;
      default: break;
    }
  }
  return out;
}

namespace {

// A field's hashed value: maps and sequences as JSON, a missing field as "",
// a scalar as its text (a string, whatever its YAML type).
void AppendFieldValue(const Node* value, Arena& arena, std::string& out) {
  if (value == nullptr || value->IsScalar()) {
    EmitJson(arena.NewString(value == nullptr ? std::string_view() : value->scalar()), out, true);
  } else {
    EmitJson(value, out, true);
  }
}

// Keys must be given in byte order, as encoding/json sorts them.
struct HashField {
  std::string_view key;
  const Node* value;   // used when !literal
  std::string_view literal;
  bool is_literal;
};

std::string JoinFields(const std::vector<HashField>& fields) {
  Arena arena(4096);
  std::string out = "{";
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out += ',';
    EmitJson(arena.NewString(fields[i].key), out, true);
    out += ':';
    if (fields[i].is_literal) {
      EmitJson(arena.NewString(fields[i].literal), out, true);
    } else {
      AppendFieldValue(fields[i].value, arena, out);
    }
  }
  out += '}';
  return out;
}

bool IsMapField(const Node* object, std::string_view key) {
  const Node* v = object->Get(key);
  return v != nullptr && v->IsMap();
}

}  // namespace

std::string HashInputJson(const Node* object) {
  std::string_view kind = object->GetString("kind");
  std::vector<HashField> fields;
  if (kind == "ConfigMap") {
    if (IsMapField(object, "binaryData")) {
      fields.push_back({"binaryData", object->Get("binaryData"), {}, false});
    }
    fields.push_back({"data", object->Get("data"), {}, false});
    fields.push_back({"kind", nullptr, "ConfigMap", true});
    fields.push_back({"name", nullptr, "", true});
    return JoinFields(fields);
  }
  if (kind == "Secret") {
    fields.push_back({"data", object->Get("data"), {}, false});
    fields.push_back({"kind", nullptr, "Secret", true});
    fields.push_back({"name", nullptr, "", true});
    if (IsMapField(object, "stringData")) {
      fields.push_back({"stringData", object->Get("stringData"), {}, false});
    }
    fields.push_back({"type", object->Get("type"), {}, false});
    return JoinFields(fields);
  }
  std::string out;
  EmitJson(object, out, true);
  return out;
}

std::string ContentHashSuffix(const Node* object) {
  return EncodeHashSuffix(Sha256Hex(HashInputJson(object)));
}

}  // namespace skiff
