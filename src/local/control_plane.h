// The state one `skiff local` instance serves: the object store, the
// resource catalog (built-ins plus served CRDs) and the OpenAPI document.
//
// Invariant: `write_mu` is held across every read-modify-write of objects
// and every change of the catalog, so resourceVersion checks, uniqueness and
// CRD registration are atomic with the writes that depend on them.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "base/result.h"
#include "local/api_catalog.h"
#include "local/object_store.h"
#include "model/node.h"

namespace skiff::local {

class ControlPlane {
 public:
  // Opens (or creates) the store at `data_dir`/store.db ("" for memory
  // only), derives the catalog from the embedded OpenAPI document, and
  // serves the CRDs found in the store.
  static Result<std::unique_ptr<ControlPlane>> Open(const std::string& data_dir);

  ObjectStore& store() { return *store_; }
  const ObjectStore& store() const { return *store_; }
  const Node* openapi() const { return openapi_; }
  std::mutex& write_mu() { return write_mu_; }

  // Catalog access; the copies keep callers safe from concurrent CRD changes.
  std::optional<ApiResource> Find(std::string_view group, std::string_view version,
                                  std::string_view plural) const;
  std::optional<ApiResource> FindKind(std::string_view group, std::string_view version,
                                      std::string_view kind) const;
  ApiCatalog CatalogSnapshot() const;

  // Serves the versions of a CustomResourceDefinition object (`crd` root) or
  // stops serving them. Callers hold write_mu.
  void ServeCrd(const Node* crd);
  void StopServingCrd(const Node* crd);

 private:
  ControlPlane() = default;

  std::unique_ptr<ObjectStore> store_;
  Arena openapi_arena_{1 << 20};
  const Node* openapi_ = nullptr;
  mutable std::mutex catalog_mu_;
  ApiCatalog catalog_;
  std::mutex write_mu_;
};

}  // namespace skiff::local
