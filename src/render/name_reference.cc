#include "render/name_reference.h"

#include <algorithm>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "model/schema.h"
#include "render/generators.h"
#include "render/ordered_jobs.h"

namespace skiff {

namespace {

// What the fix-up needs to know about one object, computed once.
struct ObjectFacts {
  Resource* r;
  ResId cur;
  ResId org;  // oldest known id
  bool cluster_scoped;
  std::string effective_ns;  // "" for cluster-scoped, "default" for unset
};

std::string EffectiveNs(const ResId& id, bool cluster_scoped) {
  if (cluster_scoped) return "";
  return id.ns.empty() ? "default" : id.ns;
}

// kustomize's Gvk.IsSelected: empty selector parts match anything.
bool Selects(const Gvk& selector, const Gvk& gvk) {
  return (selector.group.empty() || selector.group == gvk.group) &&
         (selector.version.empty() || selector.version == gvk.version) &&
         (selector.kind.empty() || selector.kind == gvk.kind);
}

// True when the shorter list is the tail of the longer; two empty lists
// agree, an empty and a non-empty one do not.
bool SameEnding(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  const auto& shorter = a.size() <= b.size() ? a : b;
  const auto& longer = a.size() <= b.size() ? b : a;
  if (shorter.empty()) return longer.empty();
  return std::equal(shorter.begin(), shorter.end(), longer.end() - shorter.size());
}

class NameReferenceFixer {
 public:
  NameReferenceFixer(ResourceSet& set, const std::vector<NameReferenceRule>& rules, Arena& arena)
      : rules_(rules), arena_(arena) {
    // Each object's facts depend on it alone: worked out on all threads,
    // then indexed in set order.
    facts_.resize(set.size());
    std::vector<std::string> org_ns(set.size());
    Status computed = ParallelChunks(set.size(), 256, RenderThreads(),
                                     [&](size_t begin, size_t end) -> Status {
      for (size_t i = begin; i < end; ++i) {
        Resource& r = set[i];
        ObjectFacts& f = facts_[i];
        f.r = &r;
        f.cur = r.Id();
        f.org = r.previous_ids.empty() ? f.cur : r.previous_ids.front();
        f.cluster_scoped = IsClusterScoped(f.cur.gvk);
        f.effective_ns = EffectiveNs(f.cur, f.cluster_scoped);
        // Original namespaces, for subjects naming one (kustomize groups the
        // candidates by original namespace first).
        org_ns[i] = EffectiveNs(f.org, IsClusterScoped(f.org.gvk));
      }
      return Status::Ok();
    });
    (void)computed;  // the computation cannot fail
    by_previous_name_.reserve(set.size());
    for (size_t i = 0; i < facts_.size(); ++i) {
      const std::vector<ResId>& previous = facts_[i].r->previous_ids;
      for (size_t k = 0; k < previous.size(); ++k) {
        // Each name once per object: previous ids are few, a scan is enough.
        bool repeated = false;
        for (size_t j = 0; j < k && !repeated; ++j) repeated = previous[j].name == previous[k].name;
        if (!repeated) by_previous_name_[previous[k].name].Add(i, facts_[i]);
      }
      if (!org_ns[i].empty()) by_original_ns_[org_ns[i]].push_back(i);
    }
    // Objects were added in set order: a stable sort by namespace keeps it
    // within each namespace.
    for (auto& [name, bucket] : by_previous_name_) {
      std::stable_sort(bucket.by_namespace.begin(), bucket.by_namespace.end(), ByNamespace);
    }
    IndexSpecsByKind();
  }

  // Referrers are first planned on all threads (a plan reads the tree and
  // records the changes), then the plans are applied in set order, so errors
  // and changes are those of fixing the referrers one by one. That holds
  // because fixing one referrer reads only its own fields and the other
  // objects' names and namespaces, and changes only its own fields; a
  // referrer whose own changes would alter what it reads next is fixed
  // directly instead, and so is every referrer when the tables could write
  // elsewhere (specs on metadata, specs that create fields).
  Status Run() {
    constexpr size_t kMinForThreads = 256;
    size_t threads = RenderThreads();
    if (threads <= 1 || facts_.size() < kMinForThreads || !PlansAreSafe()) {
      for (size_t i = 0; i < facts_.size(); ++i) SKIFF_RETURN_IF_ERROR(FixReferrer(i));
      return Status::Ok();
    }
    std::vector<Plan> plans(facts_.size());
    Status planned = ParallelChunks(facts_.size(), 64, threads,
                                    [&](size_t begin, size_t end) -> Status {
      for (size_t i = begin; i < end; ++i) plans[i].status = FixReferrer(i, &plans[i]);
      return Status::Ok();
    });
    (void)planned;  // errors are kept per referrer, reported in order below
    for (size_t i = 0; i < facts_.size(); ++i) {
      if (plans[i].direct) {
        SKIFF_RETURN_IF_ERROR(FixReferrer(i));
        continue;
      }
      for (const Edit& e : plans[i].edits) Apply(e);
      SKIFF_RETURN_IF_ERROR(plans[i].status);
    }
    return Status::Ok();
  }

 private:
  // One change a plan records: a scalar renamed, or a map's name (and
  // namespace, when not empty) set.
  struct Edit {
    Node* node;
    std::string_view name;  // the referral's text, owned by its arena
    std::string_view ns;
    bool mapping;
  };

  struct Plan {
    Status status = Status::Ok();
    std::vector<Edit> edits;
    bool direct = false;  // an edit would change a node the plan reads later
  };

  // Plans read other objects' names and namespaces as they are before any
  // referrer is fixed, and walk without writing: unsafe are specs that could
  // change a name or namespace (metadata, metadata/name, metadata/namespace;
  // annotations such as Ingress's auth-secret are fine) and specs whose walk
  // creates fields.
  bool PlansAreSafe() const {
    for (const NameReferenceRule& rule : rules_) {
      for (const FieldSpec& spec : rule.referrers) {
        if (spec.create || spec.path.empty()) return false;
        if (spec.path[0] == "metadata" &&
            (spec.path.size() == 1 || spec.path[1] == "name" || spec.path[1] == "namespace")) {
          return false;
        }
        for (const std::string& seg : spec.path) {
          if (seg.size() >= 2 && seg.compare(seg.size() - 2, 2, "[]") == 0) return false;
        }
      }
    }
    return true;
  }

  // Records `e` in `plan`, or applies it when there is no plan.
  void Change(Plan* plan, const Edit& e) {
    if (plan == nullptr) {
      Apply(e);
      return;
    }
    plan->edits.push_back(e);
  }

  void Apply(const Edit& e) {
    if (!e.mapping) {
      e.node->SetScalar(NodeKind::kString, arena_.Str(e.name));
      e.node->set_style(ScalarStyle::kPlain);
      return;
    }
    e.node->Set("name", NewString(e.name));
    if (!e.ns.empty()) e.node->Set("namespace", NewString(e.ns));
  }

  // A plan must not read a node it has already decided to change (a map
  // edit replaces the map's name and namespace nodes too).
  static void NoteRead(Plan* plan, const Node* node) {
    if (plan == nullptr || node == nullptr) return;
    for (const Edit& e : plan->edits) {
      bool changed = e.node == node ||
                     (e.mapping && (e.node->Get("name") == node || e.node->Get("namespace") == node));
      if (changed) plan->direct = true;
    }
  }
  struct SpecRef {
    size_t rule;
    size_t spec;
  };

  using NamespaceEntry = std::pair<std::string_view, size_t>;  // (namespace, object)
  static bool ByNamespace(const NamespaceEntry& a, const NamespaceEntry& b) {
    return a.first < b.first;
  }

  // The objects that once had one name, split so a namespaced referrer only
  // looks at its own namespace (many apps reuse names like "config").
  struct NameBucket {
    std::vector<size_t> all;
    std::vector<size_t> cluster_scoped;
    std::vector<size_t> service_accounts;  // namespaced; RoleBindings reach across
    // (namespace, object) pairs, sorted once the index is built: a bucket
    // per name of the set, so a small sorted vector instead of a hash map
    // each (thousands of allocations at 300 apps). Namespaces view
    // ObjectFacts::effective_ns (facts_ never grows once built).
    std::vector<NamespaceEntry> by_namespace;

    void Add(size_t i, const ObjectFacts& f) {
      all.push_back(i);
      if (f.cluster_scoped) {
        cluster_scoped.push_back(i);
        return;
      }
      by_namespace.emplace_back(f.effective_ns, i);
      if (f.cur.gvk.kind == "ServiceAccount") service_accounts.push_back(i);
    }
  };

  // The per-referrer state of one field spec visit.
  struct Visit {
    const ObjectFacts* referrer;
    const NameReferenceRule* rule;
    const FieldSpec* spec;
    Plan* plan = nullptr;  // set: record changes instead of making them
    std::unordered_set<std::string> role_binding_ns;  // SA subject namespaces
    bool is_role_binding = false;
    bool has_role_ref_gvk = false;
    Gvk role_ref_gvk;
  };

  void IndexSpecsByKind() {
    for (size_t ri = 0; ri < rules_.size(); ++ri) {
      for (size_t si = 0; si < rules_[ri].referrers.size(); ++si) {
        const std::string& kind = rules_[ri].referrers[si].kind;
        if (kind.empty()) {
          any_kind_specs_.push_back({ri, si});
        } else {
          specs_by_kind_[kind].push_back({ri, si});
        }
      }
    }
  }

  // Specs that select the referrer's original kind, in table order.
  std::vector<SpecRef> SpecsFor(const Gvk& gvk) const {
    std::vector<SpecRef> out = any_kind_specs_;
    auto it = specs_by_kind_.find(gvk.kind);
    if (it != specs_by_kind_.end()) out.insert(out.end(), it->second.begin(), it->second.end());
    if (!any_kind_specs_.empty()) {
      std::sort(out.begin(), out.end(), [](const SpecRef& a, const SpecRef& b) {
        return a.rule != b.rule ? a.rule < b.rule : a.spec < b.spec;
      });
    }
    std::erase_if(out, [&](const SpecRef& s) { return !rules_[s.rule].referrers[s.spec].Selects(gvk); });
    return out;
  }

  Status FixReferrer(size_t i, Plan* plan = nullptr) {
    const ObjectFacts& referrer = facts_[i];
    std::vector<SpecRef> specs = SpecsFor(referrer.org.gvk);
    if (specs.empty()) return Status::Ok();
    Visit v;
    v.plan = plan;
    v.referrer = &referrer;
    ReadRoleBindingFacts(referrer, v);
    for (const SpecRef& s : specs) {
      v.rule = &rules_[s.rule];
      v.spec = &v.rule->referrers[s.spec];
      Status st = VisitFields(arena_, referrer.r->root, *v.spec,
                              [&](FieldLeaf& leaf) { return FixLeaf(v, leaf); });
      if (!st.ok()) {
        return st.error().Wrap("updating name reference in '" + v.spec->PathString() +
                               "' field of '" + referrer.cur.String() + "' (" +
                               referrer.r->origin.String() + ")");
      }
    }
    return Status::Ok();
  }

  static void ReadRoleBindingFacts(const ObjectFacts& referrer, Visit& v) {
    const Node* root = referrer.r->root;
    v.is_role_binding = referrer.cur.gvk.kind == "RoleBinding";
    if (v.is_role_binding) {
      const Node* subjects = root->Get("subjects");
      if (subjects != nullptr && subjects->IsSeq()) {
        for (const Node* s : subjects->items()) {
          if (!s->IsMap() || s->GetString("kind") != "ServiceAccount") continue;
          const Node* ns = s->Get("namespace");
          if (ns != nullptr && ns->IsScalar()) v.role_binding_ns.insert(std::string(ns->scalar()));
        }
      }
    }
    const Node* role_ref = root->Get("roleRef");
    if (role_ref != nullptr && role_ref->IsMap()) {
      const Node* group = role_ref->Get("apiGroup");
      const Node* kind = role_ref->Get("kind");
      if (group != nullptr && kind != nullptr && group->IsScalar() && kind->IsScalar()) {
        v.has_role_ref_gvk = true;
        v.role_ref_gvk = Gvk{std::string(group->scalar()), "", std::string(kind->scalar())};
      }
    }
  }

  Status FixLeaf(const Visit& v, FieldLeaf& leaf) {
    Node* value = leaf.value;
    if (value == nullptr || value->IsNull()) return Status::Ok();
    if (value->IsSeq()) {
      for (Node* item : value->items()) {
        if (item->IsNull()) continue;
        if (item->IsSeq()) return MakeError("expected a string or a map in the list");
        SKIFF_RETURN_IF_ERROR(item->IsMap() ? FixMapping(v, item) : FixScalar(v, item));
      }
      return Status::Ok();
    }
    return value->IsMap() ? FixMapping(v, value) : FixScalar(v, value);
  }

  Status FixScalar(const Visit& v, Node* node) {
    NoteRead(v.plan, node);
    std::string old_name(node->scalar());
    SKIFF_ASSIGN_OR_RETURN(const ObjectFacts* referral, SelectReferral(v, old_name, nullptr, false));
    if (referral == nullptr) return Status::Ok();
    std::string_view new_name = referral->r->Name();
    if (new_name == old_name) return Status::Ok();
    Change(v.plan, Edit{node, new_name, {}, false});
    return Status::Ok();
  }

  // A map holding `name` and maybe `namespace` (subjects, webhook services).
  Status FixMapping(const Visit& v, Node* node) {
    NoteRead(v.plan, node);
    const Node* name = node->Get("name");
    if (name == nullptr) return MakeError("path config error; no 'name' field in node");
    const Node* ns = node->Get("namespace");
    NoteRead(v.plan, name);
    NoteRead(v.plan, ns);
    std::string ns_text = ns != nullptr ? std::string(ns->scalar()) : std::string();
    std::string old_name(name->scalar());
    SKIFF_ASSIGN_OR_RETURN(const ObjectFacts* referral,
                           SelectReferral(v, old_name, ns != nullptr ? &ns_text : nullptr, true));
    if (referral == nullptr) return Status::Ok();
    std::string_view new_name = referral->r->Name();
    std::string_view new_ns = referral->r->Namespace();
    if (new_name == old_name && new_ns.empty()) return Status::Ok();
    Change(v.plan, Edit{node, new_name, new_ns, true});
    return Status::Ok();
  }

  Node* NewString(std::string_view text) { return arena_.NewString(arena_.Str(text)); }

  // kustomize's SubsetThatCouldBeReferencedByResource and
  // sameCurrentNamespaceAsReferrer, combined.
  bool Reachable(const Visit& v, const ObjectFacts& target) const {
    const ObjectFacts& referrer = *v.referrer;
    if (referrer.cluster_scoped || target.cluster_scoped) return true;
    if (target.effective_ns == referrer.effective_ns) return true;
    return v.is_role_binding && target.cur.gvk.kind == "ServiceAccount" &&
           v.role_binding_ns.count(std::string(target.r->Namespace())) > 0;
  }

  bool AnyPreviousSelected(const ObjectFacts& f, const Gvk& selector) const {
    for (const ResId& id : f.r->previous_ids) {
      if (Selects(selector, id.gvk)) return true;
    }
    return false;
  }

  bool PassesRoleRef(const Visit& v, const ObjectFacts& f) const {
    const std::string& path = v.spec->PathString();
    constexpr std::string_view kRoleRef = "roleRef/name";
    bool is_role_ref = path.size() >= kRoleRef.size() &&
                       path.compare(path.size() - kRoleRef.size(), kRoleRef.size(), kRoleRef) == 0;
    if (!is_role_ref || !v.has_role_ref_gvk) return true;
    return AnyPreviousSelected(f, v.role_ref_gvk);
  }

  // For a reference that names a namespace: kustomize looks among the
  // reachable objects originally in that namespace, else currently in it.
  bool InNamespace(const Visit& v, const ObjectFacts& f, const std::string& ns) const {
    return OriginalNamespaceKnown(v, ns) ? EffectiveNs(f.org, IsClusterScoped(f.org.gvk)) == ns
                                         : f.effective_ns == ns && !f.cluster_scoped;
  }

  bool OriginalNamespaceKnown(const Visit& v, const std::string& ns) const {
    auto it = by_original_ns_.find(ns);
    if (it == by_original_ns_.end()) return false;
    for (size_t i : it->second) {
      if (Reachable(v, facts_[i])) return true;
    }
    return false;
  }

  // The bucket's objects the referrer can reach, each once.
  std::vector<size_t> ReachableWithName(const Visit& v, const NameBucket& bucket) const {
    if (v.referrer->cluster_scoped) return bucket.all;
    std::vector<size_t> out = bucket.cluster_scoped;
    auto [first, last] = std::equal_range(bucket.by_namespace.begin(), bucket.by_namespace.end(),
                                          NamespaceEntry(v.referrer->effective_ns, 0), ByNamespace);
    for (auto it = first; it != last; ++it) out.push_back(it->second);
    if (v.is_role_binding) {
      for (size_t i : bucket.service_accounts) {
        if (facts_[i].effective_ns != v.referrer->effective_ns && Reachable(v, facts_[i])) {
          out.push_back(i);
        }
      }
    }
    return out;
  }

  Result<const ObjectFacts*> SelectReferral(const Visit& v, const std::string& old_name,
                                            const std::string* ns, bool compare_namespaces) const {
    auto it = by_previous_name_.find(old_name);
    if (it == by_previous_name_.end()) return static_cast<const ObjectFacts*>(nullptr);
    std::vector<const ObjectFacts*> candidates;
    for (size_t i : ReachableWithName(v, it->second)) {
      const ObjectFacts& f = facts_[i];
      if (ns != nullptr && !InNamespace(v, f, *ns)) continue;
      if (!AnyPreviousSelected(f, v.rule->referee) || !PassesRoleRef(v, f)) continue;
      candidates.push_back(&f);
    }
    if (candidates.size() == 1) return candidates.front();
    const Resource& referrer = *v.referrer->r;
    std::erase_if(candidates, [&](const ObjectFacts* f) {
      return !SameEnding(f->r->name_prefixes, referrer.name_prefixes) ||
             !SameEnding(f->r->name_suffixes, referrer.name_suffixes);
    });
    if (candidates.empty()) return static_cast<const ObjectFacts*>(nullptr);
    bool identical = std::all_of(candidates.begin(), candidates.end(), [&](const ObjectFacts* f) {
      const Resource& first = *candidates.front()->r;
      return f->r->Name() == first.Name() &&
             (!compare_namespaces || f->r->Namespace() == first.Namespace());
    });
    if (identical) return candidates.front();
    std::string ids;
    for (const ObjectFacts* f : candidates) ids += (ids.empty() ? "" : ", ") + f->cur.String();
    return MakeError("found multiple possible referrals for name \"" + old_name + "\": " + ids);
  }

  const std::vector<NameReferenceRule>& rules_;
  Arena& arena_;  // owns the rewritten scalars
  std::vector<ObjectFacts> facts_;
  std::unordered_map<std::string_view, NameBucket> by_previous_name_;
  std::unordered_map<std::string, std::vector<size_t>> by_original_ns_;
  std::unordered_map<std::string, std::vector<SpecRef>> specs_by_kind_;
  std::vector<SpecRef> any_kind_specs_;
};

}  // namespace

Status FixNameReferencesWithRules(ResourceSet& set, const std::vector<NameReferenceRule>& rules,
                                  Arena& arena) {
  NameReferenceFixer fixer(set, rules, arena);
  return fixer.Run();
}

Status FixNameReferences(ResourceSet& set, RenderContext& ctx) {
  return FixNameReferencesWithRules(set, ctx.config.name_reference, ctx.arena);
}

}  // namespace skiff
