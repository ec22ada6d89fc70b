// Output order of a rendered set: kustomize's legacy kind order (the
// default of `kustomize build`) or declaration order (fifo), chosen by the
// top kustomization's sortOptions.
#pragma once

#include <string>
#include <vector>

#include "base/result.h"
#include "model/node.h"
#include "model/resource_set.h"

namespace skiff {

// What sortOptions asked for. Invariant: with kFifo the kind lists are
// empty; with kLegacy they hold the kinds to put first and last (defaults
// unless legacySortOptions replaced them).
struct SortOptions {
  enum class Order { kLegacy, kFifo };
  Order order = Order::kLegacy;
  std::vector<std::string> order_first;
  std::vector<std::string> order_last;

  static SortOptions Legacy();  // kustomize's default kind lists
};

// Reads a `sortOptions` value (nullptr: the legacy default). `where` is the
// "file:line" prefix used in error messages.
Result<SortOptions> ParseSortOptions(const Node* value, const std::string& where);

// Reorders `set` in place: legacy compares the kind's rank in the lists,
// then "group_version_kind" text, then "namespace|name"; fifo keeps it.
void SortResources(ResourceSet& set, const SortOptions& options);

}  // namespace skiff
