#include "kube/client.h"

#include <algorithm>
#include <charconv>

#include "kube/credentials.h"
#include "kube/curl_transport.h"
#include "kube/query.h"
#include "yaml/yaml.h"

namespace skiff::kube {

struct Client::Target {
  RestMapping mapping;
  std::string ns;
  std::string name;
};

namespace {

std::string Scalar(const Node* map, std::string_view key) {
  if (map == nullptr || !map->IsMap()) return {};
  const Node* v = map->Get(key);
  return v != nullptr && v->IsScalar() && !v->IsNull() ? std::string(v->scalar()) : std::string();
}

std::string_view ContentType(PatchType type) {
  switch (type) {
    case PatchType::kMerge: return "application/merge-patch+json";
    case PatchType::kJson: return "application/json-patch+json";
    case PatchType::kStrategic: return "application/strategic-merge-patch+json";
    case PatchType::kApply: return "application/apply-patch+yaml";
  }
  return "application/merge-patch+json";
}

HttpRequest JsonRequest(std::string method, std::string path, std::string body = {},
                        std::string_view content_type = "application/json") {
  HttpRequest r;
  r.method = std::move(method);
  r.path = std::move(path);
  r.headers.emplace_back("Accept", "application/json");
  if (!body.empty()) r.headers.emplace_back("Content-Type", std::string(content_type));
  r.body = std::move(body);
  return r;
}

void AddWriteQuery(Query& q, bool dry_run, const std::string& field_manager) {
  if (dry_run) q.Add("dryRun", "All");
  q.Add("fieldManager", field_manager);
}

int RetryAfterSeconds(std::string_view header) {
  int seconds = -1;
  auto [p, ec] = std::from_chars(header.data(), header.data() + header.size(), seconds);
  return ec == std::errc() && p == header.data() + header.size() ? seconds : -1;
}

}  // namespace

std::unique_ptr<Client> Client::Create(const RestConfig& config, ClientOptions options) {
  return std::make_unique<Client>(config, NewCurlTransport(config.endpoint), options);
}

Client::Client(const RestConfig& config, std::unique_ptr<Transport> transport, ClientOptions options)
    : transport_(std::move(transport)),
      options_(std::move(options)),
      clock_(options_.clock != nullptr ? *options_.clock : SystemClock()),
      auth_(std::make_unique<Authenticator>(
          config, options_.runner != nullptr ? *options_.runner : SystemProcessRunner(), clock_)),
      discovery_([this](const std::string& path) -> ApiResult<std::string> {
        auto r = Execute(JsonRequest("GET", path));
        if (!r.ok()) return r.error();
        return std::move(r->body);
      }),
      default_ns_(config.ns.empty() ? "default" : config.ns) {
  options_.max_attempts = std::max(1, options_.max_attempts);
}

Client::~Client() = default;

std::chrono::milliseconds Client::Backoff(int attempt, const ApiError& error) {
  using std::chrono::milliseconds;
  if (error.retry_after_seconds >= 0) {
    auto wait = std::min<std::chrono::seconds>(std::chrono::seconds(error.retry_after_seconds),
                                               options_.max_retry_after);
    return std::chrono::duration_cast<milliseconds>(wait);
  }
  auto base = options_.initial_backoff.count();
  long long ceiling = options_.max_backoff.count();
  long long d = base;
  for (int i = 1; i < attempt && d < ceiling; ++i) d *= 2;
  d = std::min(d, ceiling);
  // Half fixed, half random: spreads clients that failed together.
  return milliseconds(d / 2 + static_cast<long long>(clock_.Random() * static_cast<double>(d - d / 2)));
}

ApiResult<HttpResponse> Client::Execute(HttpRequest request) {
  request.headers.emplace_back("User-Agent", options_.user_agent);
  bool refreshed_credentials = false;
  for (int attempt = 1;; ++attempt) {
    HttpRequest authorized = request;
    ApiStatus auth = auth_->Authorize(authorized);
    if (!auth.ok()) return auth.error();
    auto response = transport_->Send(authorized);
    ApiError error;
    if (response.ok()) {
      if (response->status >= 200 && response->status < 300) return response;
      error = ErrorFromResponse(response->status, response->body);
      error.retry_after_seconds = RetryAfterSeconds(response->Header("retry-after"));
    } else {
      error = response.error();
    }
    if (IsUnauthorized(error) && !refreshed_credentials && auth_->Refresh()) {
      refreshed_credentials = true;
      --attempt;  // a credential refresh is not a retry of a failure
      continue;
    }
    if (!IsRetryable(error) || attempt >= options_.max_attempts) return error;
    clock_.Sleep(Backoff(attempt, error));
  }
}

ApiResult<Client::Target> Client::Resolve(const ResId& id) {
  auto mapping = discovery_.Mapping(id.gvk);
  if (!mapping.ok()) return mapping.error();
  Target t{*mapping, mapping->namespaced ? (id.ns.empty() ? default_ns_ : id.ns) : "", id.name};
  return t;
}

ApiResult<Client::Target> Client::ResolveObject(const Node* object) {
  if (object == nullptr || !object->IsMap()) return LocalError("the object is not a map");
  Resource r;
  r.root = const_cast<Node*>(object);
  ResId id = r.Id();
  if (id.gvk.kind.empty() || id.gvk.version.empty()) {
    return LocalError("the object has no apiVersion or kind");
  }
  if (id.name.empty()) return LocalError(id.gvk.kind + ": the object has no metadata.name");
  return Resolve(id);
}

ApiResult<Node*> Client::SendForObject(HttpRequest request, Arena& arena) {
  auto response = Execute(std::move(request));
  if (!response.ok()) return response.error();
  auto parsed = ParseJson(response->body, arena);
  if (!parsed.ok()) return LocalError("the server's answer is not JSON: " + parsed.error().message);
  return *parsed;
}

ApiResult<Node*> Client::Get(const ResId& id, Arena& arena, std::string_view subresource) {
  auto t = Resolve(id);
  if (!t.ok()) return t.error();
  return SendForObject(JsonRequest("GET", t->mapping.ObjectPath(t->ns, t->name, subresource)), arena);
}

ApiResult<ListPage> Client::List(const Gvk& gvk, std::string_view ns, const ListOptions& options,
                                 Arena& arena) {
  auto mapping = discovery_.Mapping(gvk);
  if (!mapping.ok()) return mapping.error();
  Query q;
  q.Add("labelSelector", options.label_selector);
  q.Add("fieldSelector", options.field_selector);
  if (options.limit > 0) q.Add("limit", std::to_string(options.limit));
  q.Add("continue", options.continue_token);
  q.Add("resourceVersion", options.resource_version);
  auto list = SendForObject(JsonRequest("GET", mapping->CollectionPath(ns) + q.String()), arena);
  if (!list.ok()) return list.error();
  ListPage page;
  page.list = *list;
  page.resource_version = Scalar((*list)->Get("metadata"), "resourceVersion");
  page.continue_token = Scalar((*list)->Get("metadata"), "continue");
  Node* items = (*list)->Get("items");
  if (items == nullptr || !items->IsSeq()) return page;
  Node* api_version = arena.NewString(arena.Str(gvk.ApiVersion()));
  Node* kind = arena.NewString(arena.Str(gvk.kind));
  for (Node* item : items->items()) {
    if (!item->IsMap()) continue;
    if (item->Get("apiVersion") == nullptr) item->Set("apiVersion", api_version);
    if (item->Get("kind") == nullptr) item->Set("kind", kind);
    page.items.push_back(item);
  }
  return page;
}

ApiResult<ListPage> Client::ListAll(const Gvk& gvk, std::string_view ns, const ListOptions& options,
                                    Arena& arena) {
  ListOptions page_options = options;
  ListPage all;
  bool restarted = false;
  while (true) {
    auto page = List(gvk, ns, page_options, arena);
    if (!page.ok()) {
      if (IsGone(page.error()) && !page_options.continue_token.empty() && !restarted) {
        // The snapshot behind the token expired: take one unpaged list.
        restarted = true;
        all = ListPage{};
        page_options = options;
        page_options.limit = 0;
        page_options.continue_token.clear();
        continue;
      }
      return page.error();
    }
    if (all.list == nullptr) {
      all.list = page->list;
      all.resource_version = page->resource_version;
    }
    all.items.insert(all.items.end(), page->items.begin(), page->items.end());
    if (page->continue_token.empty()) return all;
    page_options.continue_token = page->continue_token;
  }
}

ApiResult<Node*> Client::Create(const Node* object, const WriteOptions& options, Arena& arena) {
  auto t = ResolveObject(object);
  if (!t.ok()) return t.error();
  Query q;
  AddWriteQuery(q, options.dry_run, options.field_manager);
  std::string body;
  EmitJson(object, body);
  std::string path = options.subresource.empty()
                         ? t->mapping.CollectionPath(t->ns)
                         : t->mapping.ObjectPath(t->ns, t->name, options.subresource);
  return SendForObject(JsonRequest("POST", path + q.String(), std::move(body)), arena);
}

ApiResult<Node*> Client::Update(const Node* object, const WriteOptions& options, Arena& arena) {
  auto t = ResolveObject(object);
  if (!t.ok()) return t.error();
  Query q;
  AddWriteQuery(q, options.dry_run, options.field_manager);
  std::string body;
  EmitJson(object, body);
  std::string path = t->mapping.ObjectPath(t->ns, t->name, options.subresource);
  return SendForObject(JsonRequest("PUT", path + q.String(), std::move(body)), arena);
}

ApiResult<Node*> Client::Patch(const ResId& id, PatchType type, std::string_view patch,
                               const WriteOptions& options, Arena& arena) {
  auto t = Resolve(id);
  if (!t.ok()) return t.error();
  Query q;
  AddWriteQuery(q, options.dry_run, options.field_manager);
  std::string path = t->mapping.ObjectPath(t->ns, t->name, options.subresource);
  return SendForObject(JsonRequest("PATCH", path + q.String(), std::string(patch), ContentType(type)),
                       arena);
}

ApiResult<Node*> Client::Apply(const Node* object, const ApplyOptions& options, Arena& arena) {
  auto t = ResolveObject(object);
  if (!t.ok()) return t.error();
  if (options.field_manager.empty()) return LocalError("server-side apply needs a field manager");
  Query q;
  AddWriteQuery(q, options.dry_run, options.field_manager);
  if (options.force) q.Add("force", "true");
  std::string body;
  EmitJson(object, body);  // JSON is YAML: the apply content type accepts it
  std::string path = t->mapping.ObjectPath(t->ns, t->name, options.subresource);
  return SendForObject(
      JsonRequest("PATCH", path + q.String(), std::move(body), ContentType(PatchType::kApply)), arena);
}

ApiResult<Node*> Client::Delete(const ResId& id, const DeleteOptions& options, Arena& arena) {
  auto t = Resolve(id);
  if (!t.ok()) return t.error();
  Arena scratch(1024);
  Node* body = scratch.NewMap();
  body->Set("apiVersion", scratch.NewString("v1"));
  body->Set("kind", scratch.NewString("DeleteOptions"));
  if (!options.propagation_policy.empty()) {
    body->Set("propagationPolicy", scratch.NewString(options.propagation_policy));
  }
  if (!options.precondition_uid.empty() || !options.precondition_resource_version.empty()) {
    Node* pre = scratch.GetOrCreateMap(body, "preconditions");
    if (!options.precondition_uid.empty()) pre->Set("uid", scratch.NewString(options.precondition_uid));
    if (!options.precondition_resource_version.empty()) {
      pre->Set("resourceVersion", scratch.NewString(options.precondition_resource_version));
    }
  }
  if (options.dry_run) {
    Node* dry = scratch.NewSeq();
    dry->Append(scratch.NewString("All"));
    body->Set("dryRun", dry);
  }
  std::string json;
  EmitJson(body, json);
  Query q;
  if (options.dry_run) q.Add("dryRun", "All");
  return SendForObject(
      JsonRequest("DELETE", t->mapping.ObjectPath(t->ns, t->name) + q.String(), std::move(json)), arena);
}

}  // namespace skiff::kube
