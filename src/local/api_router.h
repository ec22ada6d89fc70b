// Entry point of the request pipeline: fault rules, the admin endpoint for
// them, discovery, then resource paths → ResourceHandler.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "local/control_plane.h"
#include "local/fault_injector.h"
#include "local/http_types.h"
#include "local/openapi_v3.h"
#include "local/resource_handler.h"

namespace skiff::local {

class ApiRouter {
 public:
  ApiRouter(ControlPlane& cp, FaultInjector& faults) : cp_(cp), faults_(faults), handler_(cp) {}

  void set_server_address(std::string address) { server_address_ = std::move(address); }

  // The fault to inject for this request, if a rule says so.
  std::optional<FaultAction> FaultFor(const HttpRequest& req) { return faults_.Match(req.method, req.path); }

  HttpResponse Handle(const HttpRequest& req);

 private:
  HttpResponse HandleFaultAdmin(const HttpRequest& req);
  HttpResponse HandleOpenApiV3(const HttpRequest& req);
  ControlPlane& cp_;
  FaultInjector& faults_;
  ResourceHandler handler_;
  std::string server_address_ = "127.0.0.1:443";
  std::once_flag openapi_v3_once_;
  std::unique_ptr<OpenApiV3> openapi_v3_;  // built on first request
};

// Splits a resource path into group/version and the segments after it.
// Exposed for tests.
std::optional<ResourceTarget> ResolveResourcePath(const ControlPlane& cp, const std::string& path);

}  // namespace skiff::local
