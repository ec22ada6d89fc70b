// The background work the API server's own controllers do: finishing the
// deletion of namespaces (their contents first) and garbage-collecting
// objects whose ownerReferences all point to objects that are gone.
//
// Runs on its own thread; each pass takes ControlPlane::write_mu per change,
// so it interleaves with requests. Passes run when the store changed; the
// orphan scan only after deletions or writes of objects with owners.
#pragma once

#include <atomic>
#include <thread>

#include "local/control_plane.h"

namespace skiff::local {

class LifecycleController {
 public:
  explicit LifecycleController(ControlPlane& cp) : cp_(cp) {}
  ~LifecycleController() { Stop(); }

  void Start();
  // Returns after the thread finished (the store must be shut down, or
  // Stop wakes it within half a second).
  void Stop();

  // One pass; returns whether it changed anything. Exposed for tests.
  bool RunOnce();

 private:
  bool FinishNamespaces();
  bool CollectOrphans();

  ControlPlane& cp_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace skiff::local
