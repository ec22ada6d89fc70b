#include "policy/checker.h"

#include <algorithm>
#include <cstdint>
#include <ctime>
#include <map>
#include <set>
#include <unordered_map>

#include "model/schema.h"
#include "policy/platform_rules.h"
#include "policy/pod_spec.h"
#include "policy/pss_baseline.h"
#include "policy/pss_restricted.h"
#include "policy/report.h"

namespace skiff::policy {
namespace {

// Kinds the render itself declares cluster-scoped through CRDs.
std::set<std::pair<std::string, std::string>> ClusterScopedCrdKinds(const ResourceSet& set) {
  std::set<std::pair<std::string, std::string>> out;
  for (const Resource& r : set) {
    if (r.Kind() != "CustomResourceDefinition") continue;
    const Node* spec = r.root->Get("spec");
    if (spec == nullptr || !spec->IsMap() || spec->GetString("scope") != "Cluster") continue;
    const Node* names = spec->Get("names");
    if (names == nullptr || !names->IsMap()) continue;
    out.insert({std::string(spec->GetString("group")), std::string(names->GetString("kind"))});
  }
  return out;
}

// The settings that apply to one object after merging matching rule sets.
struct Effective {
  PssLevel pss = PssLevel::kBaseline;
  bool platform = true;
  std::vector<std::string> disabled;
  std::vector<std::pair<std::string, Severity>> severities;  // later entries win
};

void Merge(const RuleSet& rs, Effective& e) {
  if (rs.pss) e.pss = *rs.pss;
  if (rs.platform) e.platform = *rs.platform;
  e.disabled.insert(e.disabled.end(), rs.disabled.begin(), rs.disabled.end());
  for (const auto& [rule, sev] : rs.severities) e.severities.push_back({rule, sev});
}

bool RuleSetSelects(const RuleSet& rs, const std::string& rel_path, std::string_view ns) {
  if (!rs.paths.empty() &&
      std::none_of(rs.paths.begin(), rs.paths.end(),
                   [&](const std::string& g) { return PathGlobMatch(g, rel_path); })) {
    return false;
  }
  if (!rs.namespaces.empty() &&
      std::none_of(rs.namespaces.begin(), rs.namespaces.end(),
                   [&](const std::string& g) { return NameMatch(g, ns); })) {
    return false;
  }
  return true;
}

Effective EffectiveFor(const PolicyFile& policy, const Resource& r, const CheckOptions& options,
                       std::unordered_map<std::string, std::string>& rel_cache) {
  Effective e;
  Merge(policy.defaults, e);
  if (policy.rule_sets.empty() && !options.pss_override) return e;
  auto [it, fresh] = rel_cache.try_emplace(r.origin.file);
  if (fresh) it->second = RelativePath(policy.root, r.origin.file);  // path math is costly per object
  const std::string& rel = it->second;
  for (const RuleSet& rs : policy.rule_sets) {
    if (RuleSetSelects(rs, rel, r.Namespace())) Merge(rs, e);
  }
  if (options.pss_override) e.pss = *options.pss_override;
  return e;
}

// Whether `f` survives the object's settings; adjusts its severity.
bool Apply(const Effective& e, Finding& f) {
  std::string_view rule = f.rule;
  if (rule.starts_with("pss-baseline/") && e.pss < PssLevel::kBaseline) return false;
  if (rule.starts_with("pss-restricted/") && e.pss < PssLevel::kRestricted) return false;
  if (rule.starts_with("platform/") && !e.platform) return false;
  for (const std::string& d : e.disabled) {
    if (NameMatch(d, rule)) return false;
  }
  for (const auto& [pattern, sev] : e.severities) {
    if (NameMatch(pattern, rule)) f.severity = sev;
  }
  return true;
}

bool ExceptionCovers(const PolicyException& ex, const Finding& f) {
  return NameMatch(ex.rule, f.rule) && (ex.kind.empty() || NameMatch(ex.kind, f.object.gvk.kind)) &&
         (ex.ns.empty() || NameMatch(ex.ns, f.object.ns)) &&
         (ex.name.empty() || NameMatch(ex.name, f.object.name));
}

Finding ExpiredFinding(const PolicyFile& policy, const PolicyException& ex) {
  Finding f;
  f.rule = "policy/exception-expired";
  f.severity = Severity::kError;
  f.object.gvk.kind = ex.kind;
  f.object.ns = ex.ns;
  f.object.name = ex.name;
  f.origin = Origin{policy.path, ex.line};
  f.field = "exceptions[rule=" + ex.rule + "].expires";
  f.message = "the exception for " + ex.rule + " expired on " + ex.expires;
  f.fix = "renew the exception with a new expires date, or fix the object and remove it";
  return f;
}

}  // namespace

size_t CheckResult::Count(Severity s) const {
  return static_cast<size_t>(
      std::count_if(findings.begin(), findings.end(), [s](const Finding& f) { return f.severity == s; }));
}

std::string TodayUtc() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

namespace {

// RunAllRules, optionally without the Restricted profile: Check drops every
// Restricted finding when no object can reach that level, so producing them
// would only be work thrown away.
std::vector<Finding> RunRules(const ResourceSet& set, const PlatformSettings& settings,
                              bool restricted) {
  std::vector<Finding> out;
  auto crd_cluster = ClusterScopedCrdKinds(set);
  SetIndex index = IndexSet(set);
  std::vector<ContainerRef> containers;  // one walk per pod, shared by every rule family
  for (const Resource& r : set) {
    if (r.root == nullptr || !r.root->IsMap()) continue;
    FindingSink sink(r, out);
    Gvk gvk = r.GetGvk();
    bool cluster_scoped = IsClusterScoped(gvk) || crd_cluster.count({gvk.group, gvk.kind}) > 0;
    CheckObjectRules(r, cluster_scoped, sink);
    if (std::optional<PodSpecRef> pod = FindPodSpec(r)) {
      Containers(*pod, containers);
      CheckPssBaseline(*pod, containers, sink);
      if (restricted) CheckPssRestricted(*pod, containers, sink);
      CheckWorkloadRules(r, *pod, containers, index, settings, sink);
    }
  }
  CheckSetRules(set, out);
  return out;
}

// Whether any object's settings can reach the Restricted level (see Merge
// and EffectiveFor).
bool AnyRestricted(const PolicyFile& policy, const CheckOptions& options) {
  if (options.pss_override) return *options.pss_override >= PssLevel::kRestricted;
  if (policy.defaults.pss && *policy.defaults.pss >= PssLevel::kRestricted) return true;
  return std::any_of(policy.rule_sets.begin(), policy.rule_sets.end(), [](const RuleSet& rs) {
    return rs.pss && *rs.pss >= PssLevel::kRestricted;
  });
}

}  // namespace

std::vector<Finding> RunAllRules(const ResourceSet& set, const PlatformSettings& settings) {
  return RunRules(set, settings, /*restricted=*/true);
}

CheckResult Check(const ResourceSet& set, const PolicyFile& policy, const CheckOptions& options,
                  std::vector<Finding> extra) {
  CheckResult result;
  result.objects_checked = set.size();
  std::vector<Finding> raw = RunRules(set, policy.platform, AnyRestricted(policy, options));
  for (Finding& f : extra) raw.push_back(std::move(f));
  // Settings depend only on the object's file and namespace, so objects that
  // share both share one merged copy instead of each copying the rule lists.
  // The keys view strings of `set`, which outlives this function's maps.
  std::map<std::pair<std::string_view, std::string_view>, Effective> distinct;
  std::unordered_map<ResId, const Effective*, ResIdHash> settings;
  settings.reserve(set.size());
  std::unordered_map<std::string, std::string> rel_cache;
  for (const Resource& r : set) {
    auto [it, fresh] = distinct.try_emplace({r.origin.file, r.Namespace()});
    if (fresh) it->second = EffectiveFor(policy, r, options, rel_cache);
    settings.emplace(r.Id(), &it->second);
  }
  std::string today = options.today.empty() ? TodayUtc() : options.today;
  std::vector<const PolicyException*> live;
  for (const PolicyException& ex : policy.exceptions) {
    if (!ex.expires.empty() && ex.expires < today) {
      result.findings.push_back(ExpiredFinding(policy, ex));
    } else {
      live.push_back(&ex);
    }
  }
  for (Finding& f : raw) {
    auto it = settings.find(f.object);
    if (it != settings.end() && !Apply(*it->second, f)) continue;
    if (std::any_of(live.begin(), live.end(), [&](const PolicyException* ex) { return ExceptionCovers(*ex, f); })) {
      ++result.suppressed;
      continue;
    }
    result.findings.push_back(std::move(f));
  }
  // Sorting indices and moving each finding once is cheaper than letting the
  // stable sort shuffle whole findings (seven strings each) through its buffer.
  std::vector<uint32_t> order(result.findings.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  const std::vector<Finding>& fs = result.findings;
  std::stable_sort(order.begin(), order.end(), [&](uint32_t ia, uint32_t ib) {
    const Finding& a = fs[ia];
    const Finding& b = fs[ib];
    return std::tie(a.origin.file, a.origin.line, a.rule) < std::tie(b.origin.file, b.origin.line, b.rule);
  });
  std::vector<Finding> sorted;
  sorted.reserve(order.size());
  for (uint32_t i : order) sorted.push_back(std::move(result.findings[i]));
  result.findings = std::move(sorted);
  return result;
}

Result<CheckResult> CheckWithRepositoryPolicy(const ResourceSet& set, const std::string& dir) {
  std::string path = FindPolicyFile(dir);
  PolicyFile policy = DefaultPolicy(dir);
  if (!path.empty()) {
    SKIFF_ASSIGN_OR_RETURN(policy, LoadPolicyFile(path));
  }
  return Check(set, policy, CheckOptions{});
}

}  // namespace skiff::policy
