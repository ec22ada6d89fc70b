// The content hash kustomize appends to generated ConfigMap and Secret names
// ("app-config-9g67k2htb6"), so a change of content rolls the workloads that
// mount them.
//
// The hash is SHA-256 over Go-style compact JSON with sorted keys of the
// object's hashed view (see HashInputJson), reduced to 10 characters of an
// alphabet without vowels-like digits (0→g 1→h 3→k a→m e→t), so the suffix
// never spells words and stays a valid DNS label.
#pragma once

#include <string>
#include <string_view>

#include "model/node.h"

namespace skiff {

// Lowercase hex SHA-256 of `data` (OpenSSL EVP).
std::string Sha256Hex(std::string_view data);

// First 10 hex characters of `sha256_hex`, mapped to kustomize's alphabet.
std::string EncodeHashSuffix(std::string_view sha256_hex);

// The JSON text hashed for `object`. ConfigMap: {"binaryData"?,"data","kind",
// "name":""}; Secret: {"data","kind","name":"","stringData"?,"type"}; any
// other kind: the whole object. A missing or scalar data field hashes as its
// text (missing → ""); binaryData/stringData count only when they are maps.
// The name is always empty: renaming does not change the hash.
std::string HashInputJson(const Node* object);

// EncodeHashSuffix(Sha256Hex(HashInputJson(object))).
std::string ContentHashSuffix(const Node* object);

}  // namespace skiff
