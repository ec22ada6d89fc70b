// Waiting until a set of live objects is healthy, driven by watch events.
//
// One watch per (GVK, namespace), narrowed by a metadata.name field selector
// when it covers a single object. Degraded is not final (a rollout can
// recover): the wait goes on until everything is Healthy or the timeout.
#pragma once

#include <chrono>
#include <cstdio>
#include <utility>
#include <vector>

#include "base/result.h"
#include "kube/client.h"
#include "model/resource.h"
#include "sync/health.h"

namespace skiff::sync {

struct WaitOptions {
  std::chrono::milliseconds timeout{300000};
  // On a terminal: redraw one line per object and a summary line in place.
  // Otherwise (or when `out` is not a terminal) one line per state change.
  bool live_progress = false;
  std::FILE* out = stderr;  // nullptr: print nothing
};

// The last health seen for every requested object, in request order.
struct WaitOutcome {
  std::vector<std::pair<ResId, HealthStatus>> objects;
  bool all_healthy = false;
  bool timed_out = false;
};

// Watches `ids` until all are Healthy or `options.timeout` passes. An error
// only when the API cannot be watched at all (unknown kind, forbidden).
Result<WaitOutcome> WaitForHealthy(kube::Client& client, const std::vector<ResId>& ids,
                                   const WaitOptions& options);

}  // namespace skiff::sync
