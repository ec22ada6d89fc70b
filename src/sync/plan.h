// The order in which a rendered set is applied: explicit sync waves first,
// then a kind order that creates what others depend on before them
// (namespaces and CRDs, then RBAC and classes, then configuration, services,
// workloads, everything else, admission webhooks last).
//
// Pure: it reads the set and never talks to a cluster, so the order can be
// checked offline and in CI.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "model/resource_set.h"

namespace skiff::sync {

// The annotation that puts an object into an explicit wave (an integer,
// negative allowed, default 0). Lower waves are applied first.
inline constexpr std::string_view kSyncWaveAnnotation = "skiff.dev/sync-wave";

// Rank of a kind inside a wave; lower ranks are applied first. Unknown kinds
// (custom resources included) share the "everything else" rank.
int KindRank(std::string_view group, std::string_view kind);

// One object's place in the plan.
struct PlannedObject {
  size_t index = 0;  // position in the rendered set
  int wave = 0;
  int rank = 0;
};

// The apply order. Invariant: sorted by (wave, rank), ties kept in render
// order, so the same set always yields the same plan.
struct ApplyPlan {
  std::vector<PlannedObject> steps;
};

// Orders `set`. Fails, naming the object's file:line, when a wave annotation
// is not an integer.
Result<ApplyPlan> PlanApply(const ResourceSet& set);

// The wave of one object (0 without the annotation).
Result<int> SyncWave(const Resource& object);

}  // namespace skiff::sync
