// The Kubernetes API client the sync engine uses: typed verbs over REST,
// discovery-backed mapping, retries with backoff, and watch streams that
// survive drops and expired versions.
//
// Objects come back as trees in the caller's Arena (no copies between
// stages). Every call returns an ApiResult whose error keeps the server's
// metav1.Status, so callers branch on IsNotFound/IsConflict/IsInvalid.
// Retries: 429 (after Retry-After when given), 5xx and connection failures,
// a bounded number of times with exponential backoff and jitter; 409 and 422
// are always returned to the caller. A 401 refreshes exec or file
// credentials once and tries again.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "kube/api_error.h"
#include "kube/clock.h"
#include "kube/discovery.h"
#include "kube/kubeconfig.h"
#include "kube/process_runner.h"
#include "kube/transport.h"
#include "model/node.h"
#include "model/resource.h"

namespace skiff::kube {

class Authenticator;

struct ClientOptions {
  int max_attempts = 5;  // per request, counting the first
  std::chrono::milliseconds initial_backoff{200};
  std::chrono::milliseconds max_backoff{10000};
  std::chrono::seconds max_retry_after{300};  // a larger Retry-After is capped
  std::string user_agent = "skiff";
  Clock* clock = nullptr;           // default: SystemClock()
  ProcessRunner* runner = nullptr;  // default: SystemProcessRunner()
};

struct ListOptions {
  std::string label_selector;
  std::string field_selector;
  int64_t limit = 0;  // page size; 0 = server default (no paging)
  std::string continue_token;
  std::string resource_version;
};

// One page of a list. `items` point into `list` (in the caller's arena) and
// carry apiVersion and kind even where the server left them out.
struct ListPage {
  Node* list = nullptr;
  std::vector<Node*> items;
  std::string resource_version;
  std::string continue_token;
};

struct WriteOptions {
  bool dry_run = false;        // dryRun=All: validated and admitted, not stored
  std::string field_manager;
  std::string subresource;     // e.g. "status"
};

enum class PatchType { kMerge, kJson, kStrategic, kApply };

// Server-side apply.
struct ApplyOptions {
  std::string field_manager = "skiff";
  bool force = false;  // take over conflicting fields
  bool dry_run = false;
  std::string subresource;
};

struct DeleteOptions {
  std::string propagation_policy;  // Foreground, Background, Orphan; "" = server default
  std::string precondition_uid;
  std::string precondition_resource_version;
  bool dry_run = false;
};

enum class WatchEventType { kAdded, kModified, kDeleted, kBookmark, kResync };

// One event. `object` lives only for the handler call. kResync carries the
// complete current set in `items` (after the first list and after a 410):
// the handler should replace what it knows.
struct WatchEvent {
  WatchEventType type;
  Node* object = nullptr;
  std::vector<Node*> items;
  std::string resource_version;  // the stream position after this event
};

struct WatchOptions {
  std::string label_selector;
  std::string field_selector;
  // Where to resume; empty: list first (a kResync event), then watch.
  std::string resource_version;
  bool allow_bookmarks = true;
  int timeout_seconds = 300;  // per watch request; the client reconnects after
  // Asked before each reconnect; returning false ends the watch. Lets a
  // caller with a deadline stop a watch that receives no events.
  std::function<bool()> keep_watching;
};

// Returns false to end the watch.
using WatchHandler = std::function<bool(const WatchEvent&)>;

class Client {
 public:
  // A client over libcurl for `config`.
  static std::unique_ptr<Client> Create(const RestConfig& config, ClientOptions options = {});
  // A client over any transport (tests, other HTTP stacks).
  Client(const RestConfig& config, std::unique_ptr<Transport> transport, ClientOptions options);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // The namespace used for namespaced objects that name none.
  const std::string& default_namespace() const { return default_ns_; }
  Discovery& discovery() { return discovery_; }
  ApiResult<RestMapping> Mapping(const Gvk& gvk) { return discovery_.Mapping(gvk); }

  ApiResult<Node*> Get(const ResId& id, Arena& arena, std::string_view subresource = {});
  ApiResult<ListPage> List(const Gvk& gvk, std::string_view ns, const ListOptions& options,
                           Arena& arena);
  // Follows continue tokens to the end; restarts once without paging if a
  // token expires (410) midway.
  ApiResult<ListPage> ListAll(const Gvk& gvk, std::string_view ns, const ListOptions& options,
                              Arena& arena);

  ApiResult<Node*> Create(const Node* object, const WriteOptions& options, Arena& arena);
  ApiResult<Node*> Update(const Node* object, const WriteOptions& options, Arena& arena);
  ApiResult<Node*> Patch(const ResId& id, PatchType type, std::string_view patch,
                         const WriteOptions& options, Arena& arena);
  ApiResult<Node*> Apply(const Node* object, const ApplyOptions& options, Arena& arena);
  // The answer is the deleted object, or a Status when the server sends one.
  ApiResult<Node*> Delete(const ResId& id, const DeleteOptions& options, Arena& arena);

  // Streams events until the handler returns false or an error that a
  // reconnect or relist cannot fix.
  ApiStatus Watch(const Gvk& gvk, std::string_view ns, const WatchOptions& options,
                  const WatchHandler& handler);

  // A raw request through the same auth and retry path (for callers that
  // need an endpoint not covered above).
  ApiResult<HttpResponse> Execute(HttpRequest request);

 private:
  struct Target;
  ApiResult<Target> Resolve(const ResId& id);
  ApiResult<Target> ResolveObject(const Node* object);
  ApiResult<Node*> SendForObject(HttpRequest request, Arena& arena);
  std::chrono::milliseconds Backoff(int attempt, const ApiError& error);
  ApiStatus RunWatchStream(const RestMapping& mapping, std::string_view ns,
                           const WatchOptions& options, std::string& resource_version,
                           const WatchHandler& handler, bool* stop, bool* got_events);
  ApiStatus Relist(const Gvk& gvk, std::string_view ns, const WatchOptions& options,
                   std::string& resource_version, const WatchHandler& handler, bool* stop);

  std::unique_ptr<Transport> transport_;
  ClientOptions options_;
  Clock& clock_;
  std::unique_ptr<Authenticator> auth_;
  Discovery discovery_;
  std::string default_ns_;
};

}  // namespace skiff::kube
