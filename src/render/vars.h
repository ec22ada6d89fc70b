// kustomize's deprecated `vars`: a name bound to a field of one object
// (objref + fieldref.fieldPath, default metadata.name), substituted for
// `$(NAME)` in string fields listed by the varReference field specs.
//
// Each kustomization binds its vars at the end of its own build, to the one
// object of its accumulated set whose current or previous identity its
// objref names; vars of bases and components join their parent's. The top
// level substitutes them after the name-reference fix-up, so a var names an
// object by its final name.
#pragma once

#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

#include "model/resource.h"
#include "render/field_path.h"
#include "render/transformer.h"

namespace skiff {

// Every var of one build. Invariant: var names are unique.
class VarSet {
 public:
  // Binds the vars listed in `vars` (a kustomization's field; may be null)
  // against `set`. A name already bound anywhere in the build is an error,
  // as is an objref that names several objects; one that names none stays
  // unbound and fails at Resolve.
  Status Merge(const Node* vars, const ResourceSet& set, const RenderContext& ctx);

  // Adds the vars a base bound in a build of its own (on another thread),
  // with the duplicate-name check Merge makes.
  Status Absorb(VarSet&& other);

  bool empty() const { return vars_.empty(); }
  // Vars bound to an object whose root moved (copied to another arena) follow it.
  void RebindRoots(const std::unordered_map<const Node*, Node*>& moved);

  // Replaces `$(NAME)` in the string scalars `specs` reach. A field that is
  // exactly `$(NAME)` takes the var's type (a number stays a number);
  // `$$` stands for `$`; unknown names are left as written. Vars never used
  // are reported in `warnings`.
  Status Resolve(ResourceSet& set, const std::vector<FieldSpec>& specs, Arena& arena,
                 std::vector<std::string>& warnings) const;

 private:
  struct Var {
    std::string name;
    std::string where;  // "file:line" of its declaration
    Gvk gvk;
    std::string object_name;
    std::string ns;
    FieldPath field_path;
    const Node* bound_root = nullptr;  // the object it was bound to
    ResId bound_id;                    // that object's identity when bound
  };

  Result<Var> ReadVar(const Node* entry, const RenderContext& ctx) const;
  Status Bind(Var& var, const ResourceSet& set) const;

  std::vector<Var> vars_;
};

// Kubernetes' `$(VAR)` expansion: `lookup(name)` returns nullptr for an
// unknown name (left as `$(name)`). Exposed for tests.
std::string ExpandVars(std::string_view input,
                       const std::function<const std::string*(std::string_view)>& lookup);

}  // namespace skiff
