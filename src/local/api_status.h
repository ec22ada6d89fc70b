// metav1.Status failure bodies, as the Kubernetes API answers errors:
// {kind: Status, apiVersion: v1, status: Failure, message, reason,
//  details: {name, group, kind, causes}, code}.
#pragma once

#include <string>
#include <vector>

#include "local/http_types.h"

namespace skiff::local {

struct StatusCause {
  std::string reason;  // e.g. FieldValueInvalid
  std::string message;
  std::string field;   // e.g. metadata.name
};

struct StatusDetails {
  std::string name;
  std::string group;
  std::string kind;
  std::vector<StatusCause> causes;
};

// The Status object as JSON text.
std::string StatusJson(int code, const std::string& reason, const std::string& message,
                       const StatusDetails& details = {});

HttpResponse StatusResponse(int code, const std::string& reason, const std::string& message,
                            const StatusDetails& details = {});

// The common failures, with the messages the real API server uses.
// `resource` is the plural ("pods"), `group` may be empty.
HttpResponse NotFound(const std::string& group, const std::string& resource, const std::string& name);
HttpResponse AlreadyExists(const std::string& group, const std::string& resource, const std::string& name);
HttpResponse Conflict(const std::string& group, const std::string& resource, const std::string& name);
HttpResponse BadRequest(const std::string& message);
// 422 for `kind` "name" with one field cause.
HttpResponse Invalid(const std::string& group, const std::string& kind, const std::string& name,
                     const StatusCause& cause);

// JSON string literal of `s` (quotes included).
std::string JsonQuote(std::string_view s);

}  // namespace skiff::local
