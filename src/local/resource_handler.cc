#include "local/resource_handler.h"

#include <algorithm>
#include <map>
#include <mutex>

#include "local/admission.h"
#include "local/api_status.h"
#include "local/crd_schema_validation.h"
#include "local/field_validation.h"
#include "local/object_meta.h"
#include "local/object_writes.h"
#include "local/patch.h"
#include "local/patch_schema.h"
#include "local/protobuf_body.h"
#include "local/scale_subresource.h"
#include "local/selectors.h"
#include "local/server_side_apply.h"
#include "local/json_codec.h"

namespace skiff::local {
namespace {

HttpResponse Json(int status, std::string body) {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

HttpResponse InternalError(const Error& e) { return StatusResponse(500, "InternalError", e.message); }

bool DryRun(const HttpRequest& req) { return req.Param("dryRun") == "All"; }

HttpResponse NotFoundFor(const ResourceTarget& t) { return NotFound(t.res.group, t.res.plural, t.name); }

// The namespace of a namespaced write must exist and not be terminating.
std::optional<HttpResponse> CheckNamespace(ControlPlane& cp, const ResourceTarget& t) {
  if (!t.res.namespaced) return std::nullopt;
  auto ns = cp.store().Get(ObjectKey{"/namespaces", "", t.ns});
  if (!ns) return NotFound("", "namespaces", t.ns);
  if (IsBeingDeleted(ns->json)) {
    return StatusResponse(403, "Forbidden",
                          t.res.plural + " \"" + t.name + "\" is forbidden: unable to create new content in namespace " +
                              t.ns + " because it is being terminated",
                          {t.name, t.res.group, t.res.plural, {}});
  }
  return std::nullopt;
}

// Checks the body's kind/apiVersion/namespace/name against the URL.
std::optional<HttpResponse> CheckIdentity(Node* obj, const ResourceTarget& t, Arena& arena) {
  if (!obj->IsMap()) return BadRequest("the request body must be a JSON object");
  std::string_view kind = obj->GetString("kind");
  if (!kind.empty() && kind != t.res.kind) {
    return BadRequest("the kind of the provided object (" + std::string(kind) + ") does not match the resource (" +
                      t.res.kind + ")");
  }
  std::string_view api_version = obj->GetString("apiVersion");
  if (!api_version.empty() && api_version != t.res.ApiVersion()) {
    return BadRequest("the API version in the data (" + std::string(api_version) +
                      ") does not match the expected API version (" + t.res.ApiVersion() + ")");
  }
  obj->Set("apiVersion", arena.NewString(arena.Str(t.res.ApiVersion())));
  obj->Set("kind", arena.NewString(arena.Str(t.res.kind)));
  std::string_view ns = MetaString(obj, "namespace");
  if (t.res.namespaced) {
    if (!ns.empty() && ns != t.ns) {
      return BadRequest("the namespace of the provided object does not match the namespace sent on the request");
    }
    SetMetaString(obj, "namespace", t.ns, arena);
  }
  std::string_view name = MetaString(obj, "name");
  if (!t.name.empty() && !name.empty() && name != t.name) {
    return BadRequest("the name of the object (" + std::string(name) + ") does not match the name on the URL (" +
                      t.name + ")");
  }
  if (!t.name.empty()) SetMetaString(obj, "name", t.name, arena);
  return std::nullopt;
}

// Fields of `obj` the kind's schema does not declare, when the request asks
// for field validation.
std::vector<std::string> UnknownFieldsFor(const ControlPlane& cp, const HttpRequest& req, const ResourceTarget& t,
                                          const Node* obj) {
  if (ParseFieldValidation(req.Param("fieldValidation")) == FieldValidation::kIgnore) return {};
  if (t.res.custom) return UndeclaredCustomFields(cp, t.res, obj);
  const Node* definitions = cp.openapi() != nullptr ? cp.openapi()->Get("definitions") : nullptr;
  SchemaType schema = SchemaType::ForKind(cp.openapi(), t.res.group, t.res.version, t.res.kind);
  if (!schema.valid()) return {};
  return UnknownFields(obj, schema.node, definitions);
}

// Strict: the 400 the API server's strict decoder answers. Warn: nothing
// here; AddFieldWarnings reports the fields on the response.
std::optional<HttpResponse> RejectUnknownFields(const HttpRequest& req, const ResourceTarget& t,
                                                const std::vector<std::string>& unknown, bool decoding_body) {
  if (unknown.empty() || ParseFieldValidation(req.Param("fieldValidation")) != FieldValidation::kStrict) {
    return std::nullopt;
  }
  std::string prefix = decoding_body ? t.res.kind + " in version \"" + t.res.version + "\" cannot be handled as a " +
                                           t.res.kind + ": "
                                     : "";
  return BadRequest(prefix + StrictDecodingMessage(unknown));
}

HttpResponse AddFieldWarnings(HttpResponse r, const std::vector<std::string>& unknown) {
  if (r.status >= 300) return r;
  for (const std::string& field : unknown) r.headers.emplace_back("Warning", "299 - \"unknown field \\\"" + field + "\\\"\"");
  return r;
}

// The kind's definition, looked up once per kind: every write needs it and
// the lookup scans all definitions. The OpenAPI document never changes.
SchemaType KindSchema(const ControlPlane& cp, const ApiResource& res) {
  static std::mutex mu;
  static std::map<std::string, SchemaType> cache;
  std::string key = res.group + "/" + res.version + "/" + res.kind;
  std::lock_guard<std::mutex> lock(mu);
  auto it = cache.find(key);
  if (it == cache.end()) {
    it = cache.emplace(key, SchemaType::ForKind(cp.openapi(), res.group, res.version, res.kind)).first;
  }
  return it->second;
}

// How writes through `t` record field ownership.
OwnershipContext OwnershipFor(const ControlPlane& cp, const ResourceTarget& t) {
  OwnershipContext ctx;
  if (!t.res.custom) ctx.schema = KindSchema(cp, t.res);
  ctx.api_version = t.res.ApiVersion();
  ctx.subresource = t.subresource;
  ctx.has_status = t.res.has_status;
  ctx.now = NowRfc3339();
  return ctx;
}

std::string UpdateManager(const HttpRequest& req) {
  return UpdateManagerName(req.Param("fieldManager"), req.user_agent);
}

// PatchOptions the API server rejects before looking at the object.
std::optional<HttpResponse> InvalidPatchOptions(const HttpRequest& req, bool apply) {
  auto invalid = [](const std::string& field, const std::string& reason, const std::string& message) {
    return StatusResponse(422, "Invalid", "PatchOptions.meta.k8s.io \"\" is invalid: " + field + ": " + message,
                          {"", "meta.k8s.io", "PatchOptions", {{reason, message, field}}});
  };
  if (apply && req.Param("fieldManager").empty()) {
    return invalid("fieldManager", "FieldValueRequired", "Required value: is required for apply patch");
  }
  if (!apply && !req.Param("force").empty()) {
    return invalid("force", "FieldValueForbidden", "Forbidden: may not be specified for non-apply patch");
  }
  return std::nullopt;
}

std::string ListJson(const ApiResource& res, int64_t rv, const std::string& cont, const std::string& items) {
  std::string s = "{\"apiVersion\":" + JsonQuote(res.ApiVersion()) + ",\"kind\":" + JsonQuote(res.kind + "List") +
                  ",\"metadata\":{\"resourceVersion\":" + JsonQuote(std::to_string(rv));
  if (!cont.empty()) s += ",\"continue\":" + JsonQuote(cont);
  s += "},\"items\":[" + items + "]}";
  return s;
}

}  // namespace

HttpResponse ResourceHandler::Handle(const HttpRequest& req, const ResourceTarget& t) {
  const std::string& m = req.method;
  // kubectl's typed creates send protobuf whatever the server prefers.
  if (m == "POST" && req.content_type.rfind(kProtobufContentType, 0) == 0) {
    auto json = ProtobufBodyToJson(req.body);
    if (!json.ok()) return StatusResponse(415, "UnsupportedMediaType", json.error().message);
    HttpRequest converted = req;
    converted.body = std::move(*json);
    converted.content_type = "application/json";
    return Handle(converted, t);
  }
  // Otherwise JSON (or YAML) bodies only.
  if (!req.body.empty() && req.content_type.find("json") == std::string::npos &&
      req.content_type.find("yaml") == std::string::npos) {
    return StatusResponse(415, "UnsupportedMediaType",
                          "the body of the request was in an unknown format - accepted media types include: "
                          "application/json");
  }
  if (t.subresource == "scale" && HasScaleSubresource(t.res) && !t.name.empty()) return Scale(req, t);
  if (!t.subresource.empty() && t.subresource != "status") {
    return StatusResponse(404, "NotFound", "the server could not find the requested resource");
  }
  if (t.name.empty()) {
    if (m == "GET") return req.Param("watch") == "true" || req.Param("watch") == "1" ? Watch(req, t) : List(req, t);
    if (m == "POST") return Create(req, t);
    if (m == "DELETE") return DeleteCollection(req, t);
  } else {
    if (m == "GET") return Get(t);
    if (m == "PUT") return Update(req, t);
    if (m == "PATCH") return Patch(req, t);
    if (m == "DELETE" && t.subresource.empty()) return Delete(req, t);
  }
  return StatusResponse(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
}

HttpResponse ResourceHandler::Get(const ResourceTarget& t) {
  auto o = cp_.store().Get(KeyOf(t.res, t.ns, t.name));
  if (!o) return NotFoundFor(t);
  return Json(200, AsVersion(o->json, t.res));
}

HttpResponse ResourceHandler::List(const HttpRequest& req, const ResourceTarget& t) {
  auto labels = Selector::ParseLabels(req.Param("labelSelector"));
  if (!labels.ok()) return BadRequest("unable to parse requirement: " + labels.error().message);
  auto fields = Selector::ParseFields(req.Param("fieldSelector"));
  if (!fields.ok()) return BadRequest(fields.error().message);
  long limit = 0;
  if (!req.Param("limit").empty()) limit = std::atol(std::string(req.Param("limit")).c_str());
  std::string after(req.Param("continue"));
  int64_t rv = cp_.store().CurrentRv();
  std::string items, cont, last;
  long count = 0;
  bool filter = !labels->empty() || !fields->empty();
  cp_.store().List(t.res.StorageKind(), t.ns, after, [&](const StoredObject& o) {
    if (limit > 0 && count == limit) {
      cont = last;  // List resumes after the last object returned
      return false;
    }
    if (filter) {
      Arena arena(4096);
      auto root = ParseJsonText(o.json, arena);
      if (!root.ok()) return true;
      if (!labels->MatchesLabels((*root)->GetPath({"metadata", "labels"})) || !fields->MatchesFields(*root)) {
        return true;
      }
    }
    if (count > 0) items += ',';
    items += AsVersion(o.json, t.res);
    last = ObjectStore::PositionOf(o);
    ++count;
    return true;
  });
  return Json(200, ListJson(t.res, rv, cont, items));
}

HttpResponse ResourceHandler::Create(const HttpRequest& req, const ResourceTarget& t) {
  Arena arena;
  auto parsed = ParseJsonText(req.body, arena);
  if (!parsed.ok()) return BadRequest("invalid JSON body: " + parsed.error().message);
  Node* obj = *parsed;
  std::vector<std::string> unknown = UnknownFieldsFor(cp_, req, t, obj);
  if (auto bad = RejectUnknownFields(req, t, unknown, true)) return *bad;
  if (auto bad = CheckIdentity(obj, t, arena)) return *bad;
  RecordUpdate(nullptr, obj, UpdateManager(req), OwnershipFor(cp_, t), arena);
  std::lock_guard<std::mutex> lock(cp_.write_mu());
  return AddFieldWarnings(CreateParsed(t, obj, arena, DryRun(req)), unknown);
}

HttpResponse ResourceHandler::CreateParsed(const ResourceTarget& target, Node* obj, Arena& arena, bool dry_run) {
  ResourceTarget t = target;
  std::string name(MetaString(obj, "name"));
  std::string_view generate = MetaString(obj, "generateName");
  if (name.empty() && !generate.empty()) {
    name = std::string(generate) + RandomSuffix(5);
    SetMetaString(obj, "name", name, arena);
  }
  t.name = name;
  if (auto cause = ValidateName(name, NameRuleFor(t.res.group, t.res.kind))) {
    return Invalid(t.res.group, t.res.kind, name, *cause);
  }
  if (auto bad = CheckNamespace(cp_, t)) return *bad;
  if (cp_.store().Get(KeyOf(t.res, t.ns, name))) return AlreadyExists(t.res.group, t.res.plural, name);
  if (auto bad = AdmitObject(cp_, t.res, obj, arena)) return *bad;
  auto json = StoreNew(cp_, t.res, obj, arena, dry_run);
  if (!json.ok()) return InternalError(json.error());
  return Json(201, std::move(*json));
}

HttpResponse ResourceHandler::Update(const HttpRequest& req, const ResourceTarget& t) {
  Arena arena;
  auto parsed = ParseJsonText(req.body, arena);
  if (!parsed.ok()) return BadRequest("invalid JSON body: " + parsed.error().message);
  Node* obj = *parsed;
  std::vector<std::string> unknown = UnknownFieldsFor(cp_, req, t, obj);
  if (auto bad = RejectUnknownFields(req, t, unknown, true)) return *bad;
  if (auto bad = CheckIdentity(obj, t, arena)) return *bad;
  std::lock_guard<std::mutex> lock(cp_.write_mu());
  return AddFieldWarnings(Replace(t, obj, arena, DryRun(req), UpdateManager(req)), unknown);
}

HttpResponse ResourceHandler::Replace(const ResourceTarget& t, Node* updated, Arena& arena, bool dry_run,
                                      std::string_view update_manager) {
  auto stored = cp_.store().Get(KeyOf(t.res, t.ns, t.name));
  if (!stored) return NotFoundFor(t);
  auto old = ParseStored(stored->json, t.res, arena);
  if (!old.ok()) return InternalError(old.error());
  std::string_view want_rv = MetaString(updated, "resourceVersion");
  if (!want_rv.empty() && want_rv != std::to_string(stored->rv)) return Conflict(t.res.group, t.res.plural, t.name);
  Node* next = updated;
  if (t.subresource == "status") {
    // Only status changes through /status; the rest stays as stored.
    next = arena.Clone(*old);
    const Node* status = updated->Get("status");
    if (status != nullptr) {
      next->Set("status", arena.Clone(status));
    } else {
      next->Remove("status");
    }
    // Ownership is the request's to state (apply computed it already).
    Node* meta = arena.GetOrCreateMap(next, "metadata");
    if (const Node* managed = updated->GetPath({"metadata", "managedFields"})) {
      meta->Set("managedFields", arena.Clone(managed));
    } else {
      meta->Remove("managedFields");
    }
  }
  if (!update_manager.empty()) RecordUpdate(*old, next, update_manager, OwnershipFor(cp_, t), arena);
  bool keep_status = t.res.has_status && t.subresource != "status";
  if (auto bad = AdmitObject(cp_, t.res, next, arena)) return *bad;
  auto json = StoreUpdate(cp_, t.res, *old, next, keep_status, arena, dry_run);
  if (!json.ok()) return InternalError(json.error());
  return Json(200, std::move(*json));
}

HttpResponse ResourceHandler::Patch(const HttpRequest& req, const ResourceTarget& t) {
  Arena arena;
  auto patch = ParseJsonText(req.body, arena);
  if (!patch.ok()) return BadRequest("invalid JSON patch body: " + patch.error().message);
  std::string_view type = req.content_type;
  type = type.substr(0, type.find(';'));
  bool apply = type == "application/apply-patch+yaml";
  bool strategic = type == "application/strategic-merge-patch+json";
  if (type != "application/merge-patch+json" && type != "application/json-patch+json" && !strategic && !apply) {
    return StatusResponse(415, "UnsupportedMediaType", "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml");
  }
  if (strategic && t.res.custom) {
    return StatusResponse(415, "UnsupportedMediaType", "strategic merge patch is not supported for custom resources");
  }
  if (auto bad = InvalidPatchOptions(req, apply)) return *bad;
  if (apply && (*patch)->IsMap() && (*patch)->GetPath({"metadata", "managedFields"}) != nullptr) {
    return BadRequest("metadata.managedFields must be nil");
  }
  std::string field_manager(req.Param("fieldManager"));
  OwnershipContext ownership = OwnershipFor(cp_, t);
  std::lock_guard<std::mutex> lock(cp_.write_mu());
  auto stored = cp_.store().Get(KeyOf(t.res, t.ns, t.name));
  if (!stored) {
    // Server-side apply creates what does not exist yet.
    if (apply && (*patch)->IsMap() && t.subresource.empty()) {
      std::vector<std::string> unknown = UnknownFieldsFor(cp_, req, t, *patch);
      if (auto bad = RejectUnknownFields(req, t, unknown, false)) return *bad;
      if (auto bad = CheckIdentity(*patch, t, arena)) return *bad;
      auto applied = ServerSideApply(nullptr, *patch, field_manager, false, ownership, arena);
      if (!applied.ok()) {
        return Invalid(t.res.group, t.res.kind, t.name, {"FieldValueInvalid", applied.error().message, "patch"});
      }
      return AddFieldWarnings(CreateParsed(t, applied->object, arena, DryRun(req)), unknown);
    }
    return NotFoundFor(t);
  }
  auto current = ParseStored(stored->json, t.res, arena);
  if (!current.ok()) return InternalError(current.error());
  Node* target = arena.Clone(*current);
  Result<Node*> patched = target;
  if (apply) {
    if (!(*patch)->IsMap()) return BadRequest("an apply configuration must be a JSON object");
    if (auto bad = CheckIdentity(*patch, t, arena)) return *bad;
    bool force = req.Param("force") == "true";
    auto applied = ServerSideApply(*current, *patch, field_manager, force, ownership, arena);
    if (!applied.ok()) {
      return Invalid(t.res.group, t.res.kind, t.name, {"FieldValueInvalid", applied.error().message, "patch"});
    }
    if (!applied->conflicts.empty()) return ApplyConflictResponse(applied->conflicts);
    patched = applied->object;
  } else if (type == "application/json-patch+json") {
    patched = ApplyJsonPatch(target, *patch, arena);
  } else if (type == "application/merge-patch+json" || t.res.custom) {
    if (!(*patch)->IsMap()) return BadRequest("a merge patch must be a JSON object");
    patched = ApplyMergePatch(target, *patch, arena);
  } else {
    SchemaType schema = SchemaType::ForKind(cp_.openapi(), t.res.group, t.res.version, t.res.kind);
    patched = ApplyStrategicMergePatch(target, *patch, schema, arena);
  }
  if (!patched.ok()) {
    return Invalid(t.res.group, t.res.kind, t.name, {"FieldValueInvalid", patched.error().message, "patch"});
  }
  // Only what the patch adds counts: fields stored before (without
  // validation) are not the patch's fault.
  std::vector<std::string> unknown = UnknownFieldsFor(cp_, req, t, *patched);
  std::vector<std::string> already = UnknownFieldsFor(cp_, req, t, *current);
  std::erase_if(unknown,
                [&](const std::string& f) { return std::find(already.begin(), already.end(), f) != already.end(); });
  if (auto bad = RejectUnknownFields(req, t, unknown, false)) return *bad;
  if (auto bad = CheckIdentity(*patched, t, arena)) return *bad;
  std::string update_manager = apply ? std::string() : UpdateManager(req);
  return AddFieldWarnings(Replace(t, *patched, arena, DryRun(req), update_manager), unknown);
}

HttpResponse ResourceHandler::Scale(const HttpRequest& req, const ResourceTarget& t) {
  Arena arena;
  auto as_scale = [&](const std::string& parent_json) -> HttpResponse {
    auto parent = ParseJsonText(parent_json, arena);
    if (!parent.ok()) return InternalError(parent.error());
    return Json(200, ScaleJson(*parent));
  };
  if (req.method == "GET") {
    auto o = cp_.store().Get(KeyOf(t.res, t.ns, t.name));
    if (!o) return NotFoundFor(t);
    return as_scale(o->json);
  }
  if (req.method != "PUT" && req.method != "PATCH") {
    return StatusResponse(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
  }
  auto body = ParseJsonText(req.body, arena);
  if (!body.ok()) return BadRequest("invalid JSON body: " + body.error().message);
  std::string_view type = req.content_type;
  type = type.substr(0, type.find(';'));
  std::lock_guard<std::mutex> lock(cp_.write_mu());
  auto stored = cp_.store().Get(KeyOf(t.res, t.ns, t.name));
  if (!stored) return NotFoundFor(t);
  auto current = ParseStored(stored->json, t.res, arena);
  if (!current.ok()) return InternalError(current.error());
  Result<Node*> wanted = *body;
  if (req.method == "PATCH") {
    auto scale = ParseJsonText(ScaleJson(*current), arena);
    if (!scale.ok()) return InternalError(scale.error());
    if (type == "application/json-patch+json") {
      wanted = ApplyJsonPatch(*scale, *body, arena);
    } else if (type == "application/merge-patch+json" || type == "application/strategic-merge-patch+json") {
      wanted = ApplyMergePatch(*scale, *body, arena);  // Scale has no lists: both merge alike
    } else {
      return StatusResponse(415, "UnsupportedMediaType", "the body of the request was in an unknown format - "
                            "accepted media types include: application/json-patch+json, application/merge-patch+json, "
                            "application/strategic-merge-patch+json");
    }
    if (!wanted.ok()) return Invalid("autoscaling", "Scale", t.name, {"FieldValueInvalid", wanted.error().message, "patch"});
  } else if (std::string_view rv = MetaString(*body, "resourceVersion"); !rv.empty() && rv != std::to_string(stored->rv)) {
    return Conflict(t.res.group, t.res.plural, t.name);
  }
  std::optional<long long> replicas = ScaleReplicas(*wanted);
  if (!replicas || *replicas < 0) {
    return Invalid("autoscaling", "Scale", t.name,
                   {"FieldValueInvalid", "Invalid value: must be a non-negative integer", "spec.replicas"});
  }
  Node* updated = arena.Clone(*current);
  arena.GetOrCreateMap(updated, "spec")->Set("replicas", arena.NewInt(*replicas));
  HttpResponse r = Replace(t, updated, arena, DryRun(req), UpdateManager(req));
  return r.status == 200 ? as_scale(r.body) : r;
}

HttpResponse ResourceHandler::Delete(const HttpRequest& req, const ResourceTarget& t) {
  Arena arena;
  std::string_view want_rv;
  bool dry_run = DryRun(req);
  if (!req.body.empty()) {
    auto options = ParseJsonText(req.body, arena);
    if (!options.ok()) return BadRequest("invalid DeleteOptions: " + options.error().message);
    if (const Node* pre = (*options)->Get("preconditions"); pre != nullptr && pre->IsMap()) {
      want_rv = pre->GetString("resourceVersion");
    }
    // DeleteOptions carry dryRun in the body as well as in the query.
    if (const Node* d = (*options)->Get("dryRun"); d != nullptr && d->IsSeq()) {
      for (const Node* v : d->items()) dry_run = dry_run || v->scalar() == "All";
    }
  }
  std::lock_guard<std::mutex> lock(cp_.write_mu());
  auto stored = cp_.store().Get(KeyOf(t.res, t.ns, t.name));
  if (!stored) return NotFoundFor(t);
  if (!want_rv.empty() && want_rv != std::to_string(stored->rv)) return Conflict(t.res.group, t.res.plural, t.name);
  auto current = ParseStored(stored->json, t.res, arena);
  if (!current.ok()) return InternalError(current.error());
  auto json = StoreDelete(cp_, t.res, *current, arena, dry_run);
  if (!json.ok()) return InternalError(json.error());
  return Json(200, std::move(*json));
}

HttpResponse ResourceHandler::DeleteCollection(const HttpRequest& req, const ResourceTarget& t) {
  auto labels = Selector::ParseLabels(req.Param("labelSelector"));
  if (!labels.ok()) return BadRequest("unable to parse requirement: " + labels.error().message);
  auto fields = Selector::ParseFields(req.Param("fieldSelector"));
  if (!fields.ok()) return BadRequest(fields.error().message);
  std::lock_guard<std::mutex> lock(cp_.write_mu());
  std::vector<StoredObject> all;
  cp_.store().List(t.res.StorageKind(), t.ns, "", [&](const StoredObject& o) {
    all.push_back(o);
    return true;
  });
  std::string items;
  for (const StoredObject& o : all) {
    Arena arena;
    auto root = ParseStored(o.json, t.res, arena);
    if (!root.ok()) continue;
    if (!labels->MatchesLabels((*root)->GetPath({"metadata", "labels"})) || !fields->MatchesFields(*root)) continue;
    auto json = StoreDelete(cp_, t.res, *root, arena, DryRun(req));
    if (!json.ok()) return InternalError(json.error());
    if (!items.empty()) items += ',';
    items += *json;
  }
  return Json(200, ListJson(t.res, cp_.store().CurrentRv(), "", items));
}

}  // namespace skiff::local
