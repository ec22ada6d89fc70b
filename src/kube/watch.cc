// Client::Watch: list, then stream events, resuming from the last version
// seen after a drop and relisting when the server says that version is gone.
#include <memory>

#include "kube/client.h"
#include "kube/credentials.h"
#include "kube/query.h"
#include "yaml/yaml.h"

namespace skiff::kube {

namespace {

std::string ResourceVersionOf(const Node* object) {
  const Node* rv = object != nullptr ? object->GetPath({"metadata", "resourceVersion"}) : nullptr;
  return rv != nullptr && rv->IsScalar() ? std::string(rv->scalar()) : std::string();
}

bool EventTypeFrom(std::string_view text, WatchEventType* type) {
  if (text == "ADDED") *type = WatchEventType::kAdded;
  else if (text == "MODIFIED") *type = WatchEventType::kModified;
  else if (text == "DELETED") *type = WatchEventType::kDeleted;
  else if (text == "BOOKMARK") *type = WatchEventType::kBookmark;
  else return false;
  return true;
}

// Splits a streamed body into lines and hands each complete event over.
// Invariant: `pending_` holds at most one partial line.
class EventDecoder {
 public:
  // Returns false when `on_line` asked to stop.
  template <typename F>
  bool Feed(std::string_view chunk, F&& on_line) {
    pending_.append(chunk);
    size_t start = 0;
    while (true) {
      size_t nl = pending_.find('\n', start);
      if (nl == std::string::npos) break;
      std::string_view line(pending_.data() + start, nl - start);
      start = nl + 1;
      if (line.find_first_not_of(" \r\t") == std::string_view::npos) continue;
      if (!on_line(line)) {
        pending_.erase(0, start);
        return false;
      }
    }
    pending_.erase(0, start);
    return true;
  }

 private:
  std::string pending_;
};

}  // namespace

ApiStatus Client::Relist(const Gvk& gvk, std::string_view ns, const WatchOptions& options,
                         std::string& resource_version, const WatchHandler& handler, bool* stop) {
  Arena arena;
  ListOptions list_options;
  list_options.label_selector = options.label_selector;
  list_options.field_selector = options.field_selector;
  auto all = ListAll(gvk, ns, list_options, arena);
  if (!all.ok()) return all.error();
  resource_version = all->resource_version;
  WatchEvent event{WatchEventType::kResync, nullptr, all->items, resource_version};
  *stop = !handler(event);
  return ApiStatus();
}

// One watch request. Returns ok when the stream ended (timeout, drop) or
// the handler stopped; an error with code 410 asks the caller to relist.
ApiStatus Client::RunWatchStream(const RestMapping& mapping, std::string_view ns,
                                 const WatchOptions& options, std::string& resource_version,
                                 const WatchHandler& handler, bool* stop, bool* got_events) {
  Query q;
  q.Add("watch", "1");
  q.Add("resourceVersion", resource_version);
  if (options.allow_bookmarks) q.Add("allowWatchBookmarks", "true");
  q.Add("labelSelector", options.label_selector);
  q.Add("fieldSelector", options.field_selector);
  if (options.timeout_seconds > 0) q.Add("timeoutSeconds", std::to_string(options.timeout_seconds));
  HttpRequest request;
  request.path = mapping.CollectionPath(ns) + q.String();
  request.headers.emplace_back("Accept", "application/json");
  request.headers.emplace_back("User-Agent", options_.user_agent);
  // The server ends the stream at timeoutSeconds; leave it room to do so.
  request.timeout = std::chrono::seconds(options.timeout_seconds > 0 ? options.timeout_seconds + 30 : 0);
  ApiStatus auth = auth_->Authorize(request);
  if (!auth.ok()) return auth.error();

  ApiError stream_error;
  bool failed = false;
  EventDecoder decoder;
  auto on_line = [&](std::string_view line) {
    Arena arena;
    auto parsed = ParseJson(line, arena);
    if (!parsed.ok() || !(*parsed)->IsMap()) {
      stream_error = LocalError("watch: an event is not a JSON object");
      failed = true;
      return false;
    }
    Node* object = (*parsed)->Get("object");
    std::string type_text((*parsed)->GetString("type"));
    if (type_text == "ERROR") {
      std::string body;
      if (object != nullptr) EmitJson(object, body);
      stream_error = ErrorFromResponse(500, body);
      failed = true;
      return false;
    }
    WatchEventType type;
    if (!EventTypeFrom(type_text, &type)) return true;  // unknown types are skipped
    std::string rv = ResourceVersionOf(object);
    if (!rv.empty()) resource_version = rv;
    *got_events = true;
    WatchEvent event{type, object, {}, resource_version};
    if (!handler(event)) {
      *stop = true;
      return false;
    }
    return true;
  };
  bool stopped_by_sink = false;
  auto response = transport_->Stream(
      request, [&](std::string_view chunk) { return decoder.Feed(chunk, on_line); },
      &stopped_by_sink);
  if (failed) return stream_error;
  if (*stop) return ApiStatus();
  if (!response.ok()) return response.error();
  if (response->status < 200 || response->status >= 300) {
    ApiError e = ErrorFromResponse(response->status, response->body);
    return e;
  }
  return ApiStatus();
}

ApiStatus Client::Watch(const Gvk& gvk, std::string_view ns, const WatchOptions& options,
                        const WatchHandler& handler) {
  auto mapping = discovery_.Mapping(gvk);
  if (!mapping.ok()) return mapping.error();
  std::string target_ns = mapping->namespaced ? std::string(ns) : std::string();
  std::string resource_version = options.resource_version;
  bool stop = false;
  if (resource_version.empty()) {
    ApiStatus listed = Relist(gvk, target_ns, options, resource_version, handler, &stop);
    if (!listed.ok() || stop) return listed;
  }
  int failures = 0;
  bool refreshed_credentials = false;
  while (true) {
    bool got_events = false;
    ApiStatus s = RunWatchStream(*mapping, target_ns, options, resource_version, handler, &stop,
                                 &got_events);
    if (stop) return ApiStatus();
    if (options.keep_watching && !options.keep_watching()) return ApiStatus();
    if (got_events) failures = 0;
    if (s.ok()) {
      // A clean end (server timeout or a drop): resume where we were. An
      // empty stream waits a little first, so a broken server is not
      // hammered.
      if (!got_events) clock_.Sleep(Backoff(1, ApiError{}));
      continue;
    }
    const ApiError& e = s.error();
    if (IsGone(e)) {
      ApiStatus listed = Relist(gvk, target_ns, options, resource_version, handler, &stop);
      if (!listed.ok() || stop) return listed;
      continue;
    }
    if (IsUnauthorized(e) && !refreshed_credentials && auth_->Refresh()) {
      refreshed_credentials = true;
      continue;
    }
    if (!IsRetryable(e) || ++failures >= options_.max_attempts) return e;
    clock_.Sleep(Backoff(failures, e));
  }
}

}  // namespace skiff::kube
