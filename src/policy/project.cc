#include "policy/project.h"

#include <algorithm>
#include <array>
#include <initializer_list>

#include "policy/image_ref.h"

namespace skiff::policy {
namespace {

constexpr std::array<std::string_view, 4> kReservedNamespaces = {
    "skiff-system", "kube-system", "kube-public", "kube-node-lease"};

bool HasWildcard(std::string_view s) { return s.find_first_of("*?") != std::string_view::npos; }

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// Repository URLs compare case-insensitively and without the decorations
// that do not change which repository is meant.
std::string NormalizeRepo(std::string_view url) {
  std::string s = Lower(url);
  while (!s.empty() && s.back() == '/') s.pop_back();
  if (s.size() > 4 && s.compare(s.size() - 4, 4, ".git") == 0) s.resize(s.size() - 4);
  return s;
}

bool AnyGroupKindMatches(const std::vector<GroupKind>& list, std::string_view group,
                         std::string_view kind) {
  return std::any_of(list.begin(), list.end(), [&](const GroupKind& gk) {
    return GlobMatch(gk.group, group) && GlobMatch(gk.kind, kind);
  });
}

// Reads the fields of one Project object and says where a problem is.
class ProjectParser {
 public:
  explicit ProjectParser(const Resource& r) : r_(r) {}

  Result<Project> Parse() {
    Project p;
    p.name = std::string(r_.Name());
    p.ns = std::string(r_.Namespace());
    p.origin = r_.origin;
    SKIFF_RETURN_IF_ERROR(CheckKnown(r_.root, "", {"apiVersion", "kind", "metadata", "spec",
                                                    "status"}));
    if (p.name.empty()) return Fail(r_.root, "metadata.name", "a Project needs a name");
    const Node* spec = r_.root->Get("spec");
    if (spec == nullptr || spec->IsNull()) return p;  // allows nothing
    if (!spec->IsMap()) return Fail(spec, "spec", "must be a map");
    SKIFF_RETURN_IF_ERROR(CheckKnown(spec, "spec.", {"description", "sourceRepos", "destinations",
                                                     "clusterResourceWhitelist",
                                                     "namespaceResourceBlacklist",
                                                     "allowedRegistries", "istio"}));
    if (const Node* d = spec->Get("description"); d != nullptr && !d->IsString()) {
      return Fail(d, "spec.description", "must be a string");
    }
    SKIFF_RETURN_IF_ERROR(ReadPatterns(spec, "sourceRepos", "spec.", p.source_repos));
    SKIFF_RETURN_IF_ERROR(ReadDestinations(spec, p.destinations));
    SKIFF_RETURN_IF_ERROR(ReadGroupKinds(spec, "clusterResourceWhitelist",
                                         p.cluster_resource_whitelist));
    SKIFF_RETURN_IF_ERROR(ReadGroupKinds(spec, "namespaceResourceBlacklist",
                                         p.namespace_resource_blacklist));
    SKIFF_RETURN_IF_ERROR(ReadRegistries(spec, p.allowed_registries));
    SKIFF_RETURN_IF_ERROR(ReadIstio(spec, p.istio));
    return p;
  }

 private:
  std::string Where(const Node* n) const {
    Origin o = r_.origin;
    if (n != nullptr && n->pos().line != 0) {
      if (!n->file().empty()) o.file = std::string(n->file());
      o.line = n->pos().line;
    }
    return o.String();
  }

  Error Fail(const Node* n, std::string_view field, std::string_view problem) const {
    return MakeError(Where(n) + ": Project \"" + std::string(r_.Name()) + "\": " +
                     std::string(field) + ": " + std::string(problem));
  }

  Status CheckKnown(const Node* map, std::string_view prefix,
                    std::initializer_list<std::string_view> known) const {
    for (const MapEntry& e : map->entries()) {
      if (std::find(known.begin(), known.end(), e.key) != known.end()) continue;
      std::string field = std::string(prefix) + std::string(e.key);
      Origin o = r_.origin;
      if (e.key_pos.line != 0) o.line = e.key_pos.line;
      if (!e.value->file().empty()) o.file = std::string(e.value->file());
      return MakeError(o.String() + ": Project \"" + std::string(r_.Name()) + "\": " + field +
                       ": unknown field");
    }
    return Status::Ok();
  }

  // A sequence under `key` (absent or null: empty), with its field name.
  Result<const Node*> Seq(const Node* parent, std::string_view key, const std::string& field) {
    const Node* n = parent->Get(key);
    if (n == nullptr || n->IsNull()) return static_cast<const Node*>(nullptr);
    if (!n->IsSeq()) return Fail(n, field, "must be a list");
    return n;
  }

  // Writes through `out` rather than returning Result<std::string>: g++ 12
  // misreports the moved-out string as maybe-uninitialized.
  Status NonEmptyString(const Node* n, const std::string& field, std::string& out) {
    if (n == nullptr || !n->IsScalar() || n->IsNull()) return Fail(n, field, "must be a string");
    out = std::string(n->scalar());
    if (out.empty() || out == "!") return Fail(n, field, "must not be empty");
    return Status::Ok();
  }

  Status ReadPatterns(const Node* parent, std::string_view key, std::string_view prefix,
                      std::vector<std::string>& out) {
    std::string field = std::string(prefix) + std::string(key);
    SKIFF_ASSIGN_OR_RETURN(const Node* seq, Seq(parent, key, field));
    if (seq == nullptr) return Status::Ok();
    for (size_t i = 0; i < seq->items().size(); ++i) {
      std::string s;
      SKIFF_RETURN_IF_ERROR(
          NonEmptyString(seq->items()[i], field + "[" + std::to_string(i) + "]", s));
      out.push_back(std::move(s));
    }
    return Status::Ok();
  }

  Status ReadDestinations(const Node* spec, std::vector<std::string>& out) {
    SKIFF_ASSIGN_OR_RETURN(const Node* seq, Seq(spec, "destinations", "spec.destinations"));
    if (seq == nullptr) return Status::Ok();
    for (size_t i = 0; i < seq->items().size(); ++i) {
      const Node* item = seq->items()[i];
      std::string field = "spec.destinations[" + std::to_string(i) + "]";
      if (!item->IsMap()) return Fail(item, field, "must be a map with a namespace");
      SKIFF_RETURN_IF_ERROR(CheckKnown(item, field + ".", {"namespace"}));
      std::string ns;
      SKIFF_RETURN_IF_ERROR(NonEmptyString(item->Get("namespace"), field + ".namespace", ns));
      std::string_view glob = ns;
      if (glob.starts_with('!')) glob.remove_prefix(1);
      if (glob.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-*?") !=
          std::string_view::npos) {
        return Fail(item->Get("namespace"), field + ".namespace",
                    "\"" + ns + "\" is not a namespace glob (lowercase letters, digits, '-', "
                    "'*', '?')");
      }
      out.push_back(std::move(ns));
    }
    return Status::Ok();
  }

  Status ReadGroupKinds(const Node* spec, std::string_view key, std::vector<GroupKind>& out) {
    std::string field = "spec." + std::string(key);
    SKIFF_ASSIGN_OR_RETURN(const Node* seq, Seq(spec, key, field));
    if (seq == nullptr) return Status::Ok();
    for (size_t i = 0; i < seq->items().size(); ++i) {
      const Node* item = seq->items()[i];
      std::string item_field = field + "[" + std::to_string(i) + "]";
      if (!item->IsMap()) return Fail(item, item_field, "must be a map with group and kind");
      SKIFF_RETURN_IF_ERROR(CheckKnown(item, item_field + ".", {"group", "kind"}));
      GroupKind gk;
      if (const Node* g = item->Get("group"); g != nullptr && !g->IsNull()) {
        if (!g->IsString()) return Fail(g, item_field + ".group", "must be a string");
        gk.group = std::string(g->scalar());
      }
      SKIFF_RETURN_IF_ERROR(NonEmptyString(item->Get("kind"), item_field + ".kind", gk.kind));
      out.push_back(std::move(gk));
    }
    return Status::Ok();
  }

  Status ReadRegistries(const Node* spec, std::vector<std::string>& out) {
    SKIFF_RETURN_IF_ERROR(ReadPatterns(spec, "allowedRegistries", "spec.", out));
    const Node* seq = spec->Get("allowedRegistries");
    for (size_t i = 0; i < out.size(); ++i) {
      if (Status s = ValidateRegistryPrefix(out[i]); !s.ok()) {
        return Fail(seq->items()[i], "spec.allowedRegistries[" + std::to_string(i) + "]",
                    s.error().message);
      }
    }
    return Status::Ok();
  }

  Status ReadIstio(const Node* spec, IstioPolicy& out) {
    const Node* istio = spec->Get("istio");
    if (istio == nullptr || istio->IsNull()) return Status::Ok();
    if (!istio->IsMap()) return Fail(istio, "spec.istio", "must be a map");
    SKIFF_RETURN_IF_ERROR(CheckKnown(istio, "spec.istio.", {"gateways", "hosts"}));
    SKIFF_RETURN_IF_ERROR(ReadPatterns(istio, "gateways", "spec.istio.", out.gateways));
    for (size_t i = 0; i < out.gateways.size(); ++i) {
      const std::string& g = out.gateways[i];
      size_t slash = g.find('/');
      if (g[0] == '!' || slash == 0 || slash == std::string::npos || slash + 1 == g.size() ||
          g.find('/', slash + 1) != std::string::npos) {
        return Fail(istio->Get("gateways")->items()[i],
                    "spec.istio.gateways[" + std::to_string(i) + "]",
                    "\"" + g + "\" must be \"namespace/name\" (globs allowed)");
      }
    }
    SKIFF_RETURN_IF_ERROR(ReadPatterns(istio, "hosts", "spec.istio.", out.hosts));
    for (size_t i = 0; i < out.hosts.size(); ++i) {
      const std::string& h = out.hosts[i];
      if (h[0] == '!' ||
          h.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-.*") != std::string::npos) {
        return Fail(istio->Get("hosts")->items()[i], "spec.istio.hosts[" + std::to_string(i) + "]",
                    "\"" + h + "\" is not a host glob (lowercase letters, digits, '-', '.', '*')");
      }
    }
    return Status::Ok();
  }

  const Resource& r_;
};

}  // namespace

bool GlobMatch(std::string_view pattern, std::string_view text) {
  // Iterative matcher with single-star backtracking: linear in practice and
  // never recursive, so hostile patterns cannot blow the stack.
  size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

bool MatchesPatternList(const std::vector<std::string>& patterns, std::string_view value) {
  bool allowed = false;
  for (const std::string& pat : patterns) {
    if (!pat.empty() && pat[0] == '!') {
      if (GlobMatch(std::string_view(pat).substr(1), value)) return false;
    } else if (GlobMatch(pat, value)) {
      allowed = true;
    }
  }
  return allowed;
}

bool ReservedNamespace(std::string_view ns) {
  return std::find(kReservedNamespaces.begin(), kReservedNamespaces.end(), ns) !=
         kReservedNamespaces.end();
}

bool Project::SourceRepoAllowed(std::string_view repo_url) const {
  std::string repo = NormalizeRepo(repo_url);
  bool allowed = false;
  for (const std::string& pat : source_repos) {
    bool negated = pat[0] == '!';
    std::string glob = NormalizeRepo(std::string_view(pat).substr(negated ? 1 : 0));
    if (!GlobMatch(glob, repo)) continue;
    if (negated) return false;
    allowed = true;
  }
  return allowed;
}

bool Project::DestinationAllowed(std::string_view ns) const {
  if (!MatchesPatternList(destinations, ns)) return false;
  if (!ReservedNamespace(ns)) return true;
  return std::any_of(destinations.begin(), destinations.end(),
                     [&](const std::string& d) { return d == ns && !HasWildcard(d); });
}

bool Project::ClusterKindAllowed(std::string_view group, std::string_view kind) const {
  return AnyGroupKindMatches(cluster_resource_whitelist, group, kind);
}

bool Project::NamespacedKindDenied(std::string_view group, std::string_view kind) const {
  return AnyGroupKindMatches(namespace_resource_blacklist, group, kind);
}

bool Project::GatewayAllowed(std::string_view gateway) const {
  return std::any_of(istio.gateways.begin(), istio.gateways.end(),
                     [&](const std::string& g) { return GlobMatch(g, gateway); });
}

bool Project::HostAllowed(std::string_view host) const {
  std::string h = Lower(host);
  return std::any_of(istio.hosts.begin(), istio.hosts.end(),
                     [&](const std::string& g) { return GlobMatch(g, h); });
}

Result<Project> ParseProject(const Resource& r) {
  Gvk gvk = r.GetGvk();
  if (gvk.group != kProjectGroup || gvk.kind != kProjectKind) {
    return MakeError(r.origin.String() + ": " + gvk.ApiVersion() + " " + gvk.kind +
                     " is not a " + std::string(kProjectGroup) + " Project");
  }
  if (gvk.version != kProjectVersion) {
    return MakeError(r.origin.String() + ": Project \"" + std::string(r.Name()) +
                     "\": apiVersion: unsupported version \"" + gvk.version + "\" (want " +
                     std::string(kProjectGroup) + "/" + std::string(kProjectVersion) + ")");
  }
  return ProjectParser(r).Parse();
}

Result<std::vector<Project>> LoadProjects(const ResourceSet& set) {
  std::vector<Project> projects;
  for (const Resource& r : set) {
    if (r.Kind() != kProjectKind || r.GetGvk().group != kProjectGroup) continue;
    SKIFF_ASSIGN_OR_RETURN(Project p, ParseProject(r));
    if (const Project* dup = FindProject(projects, p.name)) {
      return MakeError(p.origin.String() + ": Project \"" + p.name + "\" is also defined at " +
                       dup->origin.String());
    }
    projects.push_back(std::move(p));
  }
  return projects;
}

const Project* FindProject(const std::vector<Project>& projects, std::string_view name) {
  for (const Project& p : projects) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

}  // namespace skiff::policy
