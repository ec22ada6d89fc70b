// Simulated controllers for the kinds whose status clients wait on, since
// `skiff local` runs no pods: Deployments, StatefulSets, DaemonSets and
// ReplicaSets roll out after a delay; Jobs complete; PersistentVolumeClaims
// bind; LoadBalancer Services get an address; Namespaces are Active; Pods
// run and are Ready.
//
// A rollout starts when the controller first sees an object's generation
// and finishes `delay` later (the --rollout-delay, or the object's
// `local.skiff.dev/rollout-delay` annotation). The annotation
// `local.skiff.dev/simulate: fail-rollout` makes it fail instead.
//
// Invariants: only `status` is ever written, through the same store path as
// clients' writes (resourceVersion bump, MODIFIED event); a write is made
// only when the status would change, and only if the object is still at the
// resourceVersion the status was computed from (otherwise the next pass
// retries).
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include "local/control_plane.h"

namespace skiff::local {

inline constexpr std::string_view kRolloutDelayAnnotation = "local.skiff.dev/rollout-delay";
inline constexpr std::string_view kSimulateAnnotation = "local.skiff.dev/simulate";

// "500ms", "2s", "1.5s", "1m", "0" → duration; nullopt when malformed.
std::optional<std::chrono::milliseconds> ParseRolloutDelay(std::string_view text);

class WorkloadController {
 public:
  using Clock = std::chrono::steady_clock;

  WorkloadController(ControlPlane& cp, std::chrono::milliseconds default_delay)
      : cp_(cp), default_delay_(default_delay) {}
  ~WorkloadController() { Stop(); }

  void Start();
  // Returns after the thread finished.
  void Stop();

  // One pass over every simulated kind as of `now`; returns when the next
  // pending rollout finishes (Clock::time_point::max() when none is).
  // Exposed for tests, which drive time themselves.
  Clock::time_point RunOnce(Clock::time_point now);

 private:
  // A rollout in progress or done, of one generation of one object.
  struct Rollout {
    std::string uid;
    long long generation = 0;
    Clock::time_point finishes;
  };
  struct Pass;

  void Reconcile(Pass& pass, std::string_view group, std::string_view plural);

  ControlPlane& cp_;
  std::chrono::milliseconds default_delay_;
  std::map<std::string, Rollout> rollouts_;  // by ObjectKey::Encode()
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace skiff::local
