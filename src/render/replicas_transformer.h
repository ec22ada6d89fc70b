// The `replicas` field.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "render/transformer.h"

namespace skiff {

// One `replicas` entry: the object name (current or any previous) and count.
struct ReplicaRule {
  std::string name;
  int64_t count = 0;  // a missing count is 0, as in kustomize
};

// Sets the replica count field (spec.replicas of Deployment, ReplicaSet,
// ReplicationController, StatefulSet of any group by default) of the objects
// each rule names. A rule that names no such object is an error.
class ReplicasTransformer : public Transformer {
 public:
  ReplicasTransformer(std::vector<ReplicaRule> rules, std::vector<FieldSpec> specs)
      : rules_(std::move(rules)), specs_(std::move(specs)) {}

  Status Apply(ResourceSet& set, RenderContext& ctx) override;

 private:
  Status ApplyRule(const ReplicaRule& rule, ResourceSet& set, Arena& arena) const;

  std::vector<ReplicaRule> rules_;
  std::vector<FieldSpec> specs_;
};

}  // namespace skiff
