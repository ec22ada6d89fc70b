// The verbs on API objects: get, list, create, update, patch, delete,
// deletecollection and watch, for one resource request at a time. Routing
// (path → ResourceTarget) happens before; storage rules live in
// object_writes.h.
#pragma once

#include <string>

#include "local/api_catalog.h"
#include "local/control_plane.h"
#include "local/http_types.h"

namespace skiff::local {

// What a resource path names: a collection (name empty) or one object,
// optionally a subresource of it.
struct ResourceTarget {
  ApiResource res;
  std::string ns;  // "" for cluster-scoped kinds and all-namespace lists
  std::string name;
  std::string subresource;
};

class ResourceHandler {
 public:
  explicit ResourceHandler(ControlPlane& cp) : cp_(cp) {}

  HttpResponse Handle(const HttpRequest& req, const ResourceTarget& target);

 private:
  HttpResponse Get(const ResourceTarget& t);
  HttpResponse List(const HttpRequest& req, const ResourceTarget& t);
  HttpResponse Create(const HttpRequest& req, const ResourceTarget& t);
  HttpResponse Update(const HttpRequest& req, const ResourceTarget& t);
  HttpResponse Patch(const HttpRequest& req, const ResourceTarget& t);
  HttpResponse Delete(const HttpRequest& req, const ResourceTarget& t);
  HttpResponse DeleteCollection(const HttpRequest& req, const ResourceTarget& t);
  HttpResponse Watch(const HttpRequest& req, const ResourceTarget& t);
  // GET, PUT and PATCH of the /scale subresource: spec.replicas of the parent.
  HttpResponse Scale(const HttpRequest& req, const ResourceTarget& t);
  // Shared by Update and Patch: `updated` replaces the stored object. A
  // non-empty `update_manager` records the write as that manager's Update
  // in metadata.managedFields (apply records its own before).
  HttpResponse Replace(const ResourceTarget& t, Node* updated, Arena& arena, bool dry_run,
                       std::string_view update_manager);
  // Create for a missing object (server-side apply of a new object).
  HttpResponse CreateParsed(const ResourceTarget& t, Node* obj, Arena& arena, bool dry_run);

  ControlPlane& cp_;
};

}  // namespace skiff::local
