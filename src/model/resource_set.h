// An ordered set of objects indexed by identity, so lookups stay O(1) and no
// stage is quadratic in the number of objects.
#pragma once

#include <memory>
#include <unordered_map>
#include <vector>

#include "base/result.h"
#include "model/resource.h"

namespace skiff {

class ResourceSet {
 public:
  // Adds `r` at the end. Fails, naming both origins, when an object with the
  // same identity is already present; a set with duplicates would apply one object twice.
  Status Add(Resource r);
  // Adds `r` at the end without the identity check (for callers that merge).
  void AddUnchecked(Resource r);

  size_t size() const { return items_.size(); }
  bool empty() const { return items_.empty(); }
  Resource& operator[](size_t i) { return items_[i]; }
  const Resource& operator[](size_t i) const { return items_[i]; }
  std::vector<Resource>& items() { return items_; }
  const std::vector<Resource>& items() const { return items_; }
  auto begin() { return items_.begin(); }
  auto end() { return items_.end(); }
  auto begin() const { return items_.begin(); }
  auto end() const { return items_.end(); }

  // Index of the object with identity `id`, or -1.
  long Find(const ResId& id) const;
  // Removes the objects at the given positions, keeping the others' order.
  void Erase(const std::vector<size_t>& positions);
  // Moves every object of `other` to the end of this set, checking identity.
  Status Append(ResourceSet&& other);

  // Marks the identity index stale; call after a stage renamed objects. It is
  // rebuilt by the next Add or Find, so a stage that renames and is followed
  // only by stages that never look objects up pays nothing.
  void Reindex() { index_stale_ = true; }

 private:
  void RebuildIndex();

  std::vector<Resource> items_;
  std::unordered_map<ResId, size_t, ResIdHash> index_;
  bool index_stale_ = false;
};

}  // namespace skiff
