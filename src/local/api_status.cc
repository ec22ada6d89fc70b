#include "local/api_status.h"

#include "local/json_codec.h"

#include <cstdio>

namespace skiff::local {

std::string JsonQuote(std::string_view s) {
  std::string out;
  AppendJsonQuoted(s, out);
  return out;
}

std::string StatusJson(int code, const std::string& reason, const std::string& message,
                       const StatusDetails& details) {
  std::string s = R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":)";
  s += JsonQuote(message);
  s += R"(,"reason":)" + JsonQuote(reason);
  bool has_details = !details.name.empty() || !details.kind.empty() || !details.causes.empty();
  if (has_details) {
    s += R"(,"details":{)";
    std::string sep;
    if (!details.name.empty()) { s += R"("name":)" + JsonQuote(details.name); sep = ","; }
    if (!details.group.empty()) { s += sep + R"("group":)" + JsonQuote(details.group); sep = ","; }
    if (!details.kind.empty()) { s += sep + R"("kind":)" + JsonQuote(details.kind); sep = ","; }
    if (!details.causes.empty()) {
      s += sep + R"("causes":[)";
      for (size_t i = 0; i < details.causes.size(); ++i) {
        const StatusCause& c = details.causes[i];
        if (i > 0) s += ',';
        s += R"({"reason":)" + JsonQuote(c.reason) + R"(,"message":)" + JsonQuote(c.message) +
             R"(,"field":)" + JsonQuote(c.field) + "}";
      }
      s += ']';
    }
    s += '}';
  }
  s += R"(,"code":)" + std::to_string(code) + "}";
  return s;
}

HttpResponse StatusResponse(int code, const std::string& reason, const std::string& message,
                            const StatusDetails& details) {
  HttpResponse r;
  r.status = code;
  r.body = StatusJson(code, reason, message, details);
  return r;
}

namespace {

std::string Qualified(const std::string& group, const std::string& resource) {
  return group.empty() ? resource : resource + "." + group;
}

}  // namespace

HttpResponse NotFound(const std::string& group, const std::string& resource, const std::string& name) {
  return StatusResponse(404, "NotFound", Qualified(group, resource) + " \"" + name + "\" not found",
                        {name, group, resource, {}});
}

HttpResponse AlreadyExists(const std::string& group, const std::string& resource, const std::string& name) {
  return StatusResponse(409, "AlreadyExists", Qualified(group, resource) + " \"" + name + "\" already exists",
                        {name, group, resource, {}});
}

HttpResponse Conflict(const std::string& group, const std::string& resource, const std::string& name) {
  return StatusResponse(409, "Conflict",
                        "Operation cannot be fulfilled on " + Qualified(group, resource) + " \"" + name +
                            "\": the object has been modified; please apply your changes to the latest "
                            "version and try again",
                        {name, group, resource, {}});
}

HttpResponse BadRequest(const std::string& message) { return StatusResponse(400, "BadRequest", message); }

HttpResponse Invalid(const std::string& group, const std::string& kind, const std::string& name,
                     const StatusCause& cause) {
  std::string qualified = group.empty() ? kind : kind + "." + group;
  return StatusResponse(422, "Invalid",
                        qualified + " \"" + name + "\" is invalid: " + cause.field + ": " + cause.message,
                        {name, group, kind, {cause}});
}

}  // namespace skiff::local
