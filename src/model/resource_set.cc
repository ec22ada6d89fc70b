#include "model/resource_set.h"

#include <algorithm>

namespace skiff {
namespace {

// kustomize treats an empty namespace and "default" as the same namespace
// when it compares identities, so they share one index key.
ResId IndexKey(ResId id) {
  if (id.ns == "default") id.ns.clear();
  return id;
}

}  // namespace

Status ResourceSet::Add(Resource r) {
  if (index_stale_) RebuildIndex();
  ResId id = r.Id();
  auto [it, inserted] = index_.emplace(IndexKey(id), items_.size());
  if (!inserted) {
    return MakeError("may not add resource with an already registered id: " + id.String() +
                     " (declared at " + items_[it->second].origin.String() + " and at " +
                     r.origin.String() + ")");
  }
  items_.push_back(std::move(r));
  return Status::Ok();
}

void ResourceSet::AddUnchecked(Resource r) {
  items_.push_back(std::move(r));
  index_stale_ = true;
}

long ResourceSet::Find(const ResId& id) const {
  if (index_stale_) const_cast<ResourceSet*>(this)->RebuildIndex();
  auto it = index_.find(IndexKey(id));
  return it == index_.end() ? -1 : static_cast<long>(it->second);
}

void ResourceSet::Erase(const std::vector<size_t>& positions) {
  if (positions.empty()) return;
  std::vector<bool> drop(items_.size(), false);
  for (size_t p : positions) drop[p] = true;
  size_t out = 0;
  for (size_t i = 0; i < items_.size(); ++i) {
    if (!drop[i]) {
      if (out != i) items_[out] = std::move(items_[i]);
      ++out;
    }
  }
  items_.resize(out);
  index_stale_ = true;
}

Status ResourceSet::Append(ResourceSet&& other) {
  for (Resource& r : other.items_) SKIFF_RETURN_IF_ERROR(Add(std::move(r)));
  other.items_.clear();
  other.index_.clear();
  return Status::Ok();
}

void ResourceSet::RebuildIndex() {
  index_.clear();
  index_.reserve(items_.size());
  for (size_t i = 0; i < items_.size(); ++i) index_.emplace(IndexKey(items_[i].Id()), i);
  index_stale_ = false;
}

}  // namespace skiff
