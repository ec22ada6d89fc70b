// The OpenAPI v3 documents served under /openapi/v3, derived from the
// embedded v2 definitions: the index ({"paths": {"api/v1": {"serverRelativeURL":
// "/openapi/v3/api/v1?hash=..."}, ...}}) and one document per built-in
// group-version with its resources' paths and the definitions they reach
// (as components.schemas). kubectl reads them to learn that the server does
// field validation (the `fieldValidation` parameter of PATCH operations) and
// for `kubectl explain`.
//
// Invariant: immutable once built; each index hash is the SHA-512 of the
// document it points to, so clients may cache documents by URL.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "local/api_catalog.h"
#include "model/node.h"

namespace skiff::local {

class OpenApiV3 {
 public:
  // `spec` is the embedded document (definitions); custom resources in
  // `catalog` are skipped (clients fall back to the core group for them).
  static OpenApiV3 Build(const Node* spec, const ApiCatalog& catalog);

  const std::string& IndexJson() const { return index_; }
  // The document for "api/v1" or "apis/apps/v1", or nullptr.
  const std::string* Document(std::string_view gv_path) const;

 private:
  std::map<std::string, std::string, std::less<>> documents_;
  std::string index_;
};

}  // namespace skiff::local
