#include "policy/tenancy.h"

#include <algorithm>
#include <array>
#include <string>

#include "model/schema.h"
#include "policy/image_ref.h"

namespace skiff::policy {
namespace {

constexpr std::string_view kIstioNetworking = "networking.istio.io";
constexpr std::array<std::string_view, 3> kContainerLists = {"containers", "initContainers",
                                                             "ephemeralContainers"};

// Cluster scope from the schema, in any version it knows the kind in, so a
// newer or older apiVersion of ClusterRoleBinding is still cluster-scoped.
bool KindIsClusterScoped(const Gvk& gvk) {
  if (IsClusterScoped(gvk)) return true;
  for (uint32_t i = 0; i < schema_tables::kGvkCount; ++i) {
    const schema_tables::GvkEntry& e = schema_tables::kGvks[i];
    if (e.cluster_scoped && e.group == gvk.group && e.kind == gvk.kind) return true;
  }
  return false;
}

std::string Quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

std::string KindName(const Gvk& gvk) {
  return gvk.group.empty() ? gvk.kind : gvk.kind + "." + gvk.group;
}

// Whether `host` names a Kubernetes service inside a namespace the project
// owns: a short name (the VirtualService's own namespace) or
// NAME.NS.svc[.cluster.local].
bool HostIsProjectService(const Project& p, std::string_view host, std::string_view vs_ns) {
  if (host.find_first_of(".*") == std::string_view::npos) return p.DestinationAllowed(vs_ns);
  for (std::string_view suffix : {std::string_view(".svc.cluster.local"), std::string_view(".svc")}) {
    if (host.size() <= suffix.size() || host.substr(host.size() - suffix.size()) != suffix) continue;
    std::string_view rest = host.substr(0, host.size() - suffix.size());
    size_t dot = rest.find('.');
    if (dot == std::string_view::npos || dot == 0 || rest.find('*') != std::string_view::npos) {
      return false;
    }
    std::string_view ns = rest.substr(dot + 1);
    return ns.find('.') == std::string_view::npos && p.DestinationAllowed(ns);
  }
  return false;
}

// Checks one tenant render against one project, appending findings.
class TenancyChecker {
 public:
  TenancyChecker(const Project& p, std::vector<Finding>& out) : p_(p), out_(out) {}

  void CheckObject(const Resource& r) {
    r_ = &r;
    id_ = r.Id();
    if (KindIsClusterScoped(id_.gvk)) {
      CheckClusterScoped();
    } else {
      CheckNamespaced();
    }
    WalkContainers(r.root, "");
    if (id_.gvk.group == kIstioNetworking) CheckIstio();
  }

  void CheckSourceRepo(std::string_view repo) {
    if (repo.empty() || p_.SourceRepoAllowed(repo)) return;
    Finding f;
    f.rule = std::string(kRuleTenancySourceRepo);
    f.object = ResId{Gvk{std::string(kProjectGroup), std::string(kProjectVersion),
                         std::string(kProjectKind)},
                     p_.ns, p_.name};
    f.origin = p_.origin;
    f.field = "spec.sourceRepos";
    f.message = "source repository " + Quoted(repo) + " is not allowed by project " +
                Quoted(p_.name) + DenyingPattern(repo);
    f.fix = "deploy from a repository the project's sourceRepos allow, or ask the platform team "
            "to allow this one";
    out_.push_back(std::move(f));
  }

 private:
  // Names the negated pattern that denied `repo`, if one did.
  std::string DenyingPattern(std::string_view repo) const {
    for (const std::string& pat : p_.source_repos) {
      if (pat[0] != '!') continue;
      Project probe;
      probe.source_repos = {pat.substr(1)};
      if (probe.SourceRepoAllowed(repo)) return " (denied by " + Quoted(pat) + ")";
    }
    return " (no sourceRepos pattern matches)";
  }

  void Add(std::string_view rule, const Node* at, std::string field, std::string message,
           std::string fix) {
    Finding f;
    f.rule = std::string(rule);
    f.object = id_;
    f.origin = r_->origin;
    // The field's own line, when the object's file is where it was written.
    if (at != nullptr && at->pos().line != 0 && at->file() == r_->origin.file) {
      f.origin.line = at->pos().line;
    }
    f.field = std::move(field);
    f.message = std::move(message);
    f.fix = std::move(fix);
    out_.push_back(std::move(f));
  }

  const Node* NamespaceNode() const {
    const Node* md = r_->root->Get("metadata");
    return md != nullptr && md->IsMap() ? md->Get("namespace") : nullptr;
  }

  void CheckClusterScoped() {
    const Gvk& g = id_.gvk;
    if (!p_.ClusterKindAllowed(g.group, g.kind)) {
      Add(kRuleTenancyClusterKind, r_->root, "kind",
          "cluster-scoped " + KindName(g) + " " + Quoted(id_.name) + " is not in project " +
              Quoted(p_.name) + "'s clusterResourceWhitelist",
          "remove it from the tenant's manifests; cluster-wide objects belong to the platform");
      return;
    }
    if (g.group.empty() && g.kind == "Namespace" && !p_.DestinationAllowed(id_.name)) {
      Add(kRuleTenancyNamespace, r_->root, "metadata.name",
          "Namespace " + Quoted(id_.name) + " is not a destination of project " + Quoted(p_.name),
          "create only namespaces the project's destinations allow");
    }
  }

  void CheckNamespaced() {
    const Gvk& g = id_.gvk;
    if (id_.ns.empty()) {
      Add(kRuleTenancyNamespace, r_->root, "metadata.namespace",
          KindName(g) + " " + Quoted(id_.name) +
              " has no namespace: it would land in whatever namespace the apply defaults to "
              "(or cluster-wide, for an unknown cluster-scoped kind)",
          "set the namespace in the tenant's kustomization (namespace: ...)");
    } else if (!p_.DestinationAllowed(id_.ns)) {
      std::string why = ReservedNamespace(id_.ns) ? " (a reserved namespace, granted only by an "
                                                    "exact destination entry)"
                                                  : "";
      Add(kRuleTenancyNamespace, NamespaceNode(), "metadata.namespace",
          KindName(g) + " " + Quoted(id_.name) + " targets namespace " + Quoted(id_.ns) +
              ", which project " + Quoted(p_.name) + " does not allow" + why,
          "deploy only into the project's destination namespaces");
    }
    if (p_.NamespacedKindDenied(g.group, g.kind)) {
      Add(kRuleTenancyDeniedKind, r_->root, "kind",
          KindName(g) + " " + Quoted(id_.name) + " is in project " + Quoted(p_.name) +
              "'s namespaceResourceBlacklist",
          "remove it; the platform manages this kind for tenants");
    }
  }

  // Container lists at any depth, so custom pod-bearing kinds are covered too.
  void WalkContainers(const Node* n, const std::string& path) {
    if (n->IsSeq()) {
      for (size_t i = 0; i < n->items().size(); ++i) {
        WalkContainers(n->items()[i], path + "[" + std::to_string(i) + "]");
      }
      return;
    }
    if (!n->IsMap()) return;
    for (const MapEntry& e : n->entries()) {
      std::string child = path.empty() ? std::string(e.key) : path + "." + std::string(e.key);
      bool is_list = std::find(kContainerLists.begin(), kContainerLists.end(), e.key) !=
                     kContainerLists.end();
      if (is_list && e.value->IsSeq()) {
        CheckContainers(e.value, child);
      } else {
        WalkContainers(e.value, child);
      }
    }
  }

  void CheckContainers(const Node* list, const std::string& path) {
    for (size_t i = 0; i < list->items().size(); ++i) {
      const Node* c = list->items()[i];
      if (!c->IsMap()) continue;
      const Node* image = c->Get("image");
      if (image == nullptr || !image->IsScalar() || image->scalar().empty()) continue;
      std::string_view name = c->GetString("name");
      std::string field = path + (name.empty() ? "[" + std::to_string(i) + "]"
                                               : "[name=" + std::string(name) + "]") +
                          ".image";
      CheckImage(image, field);
    }
  }

  void CheckImage(const Node* image, std::string field) {
    Result<ImageRef> ref = ParseImageRef(image->scalar());
    if (!ref.ok()) {
      Add(kRuleTenancyRegistry, image, std::move(field), ref.error().message,
          "use a valid image reference from an allowed registry");
      return;
    }
    if (RegistryAllowed(*ref, p_.allowed_registries)) return;
    std::string allowed;
    for (const std::string& a : p_.allowed_registries) allowed += (allowed.empty() ? "" : ", ") + a;
    Add(kRuleTenancyRegistry, image, std::move(field),
        "image " + Quoted(image->scalar()) + " (" + ref->Name() + ") is not from a registry "
            "project " + Quoted(p_.name) + " allows [" + allowed + "]",
        "pull from an allowed registry (mirror the image there)");
  }

  void CheckIstio() {
    if (id_.gvk.kind == "Gateway") {
      Add(kRuleTenancyIstioGateway, r_->root, "kind",
          "tenants may not create Istio Gateways (" + Quoted(id_.name) + ")",
          "bind a VirtualService to a platform gateway the project allows");
      return;
    }
    if (id_.gvk.kind != "VirtualService") return;
    const Node* spec = r_->root->Get("spec");
    if (spec == nullptr || !spec->IsMap()) return;
    std::vector<std::string> bound_namespaces = CheckGatewayBindings(spec->Get("gateways"));
    CheckHosts(spec->Get("hosts"));
    CheckExportTo(spec->Get("exportTo"), bound_namespaces);
  }

  // Returns the namespaces of the non-mesh gateways the service binds.
  std::vector<std::string> CheckGatewayBindings(const Node* gateways) {
    std::vector<std::string> namespaces;
    if (gateways == nullptr || !gateways->IsSeq()) return namespaces;
    for (size_t i = 0; i < gateways->items().size(); ++i) {
      const Node* g = gateways->items()[i];
      if (!g->IsScalar() || g->scalar() == "mesh") continue;
      std::string ref(g->scalar());
      // A bare name is a gateway in the VirtualService's own namespace.
      if (ref.find('/') == std::string::npos) ref = id_.ns + "/" + ref;
      namespaces.push_back(ref.substr(0, ref.find('/')));
      if (p_.GatewayAllowed(ref)) continue;
      Add(kRuleTenancyIstioBinding, g, "spec.gateways[" + std::to_string(i) + "]",
          "VirtualService " + Quoted(id_.name) + " binds gateway " + Quoted(ref) +
              ", which project " + Quoted(p_.name) + " does not allow",
          "bind only the gateways listed in the project's spec.istio.gateways");
    }
    return namespaces;
  }

  void CheckHosts(const Node* hosts) {
    if (hosts == nullptr || !hosts->IsSeq()) return;
    for (size_t i = 0; i < hosts->items().size(); ++i) {
      const Node* h = hosts->items()[i];
      if (!h->IsScalar()) continue;
      std::string_view host = h->scalar();
      if (HostIsProjectService(p_, host, id_.ns) || p_.HostAllowed(host)) continue;
      Add(kRuleTenancyIstioHost, h, "spec.hosts[" + std::to_string(i) + "]",
          "VirtualService " + Quoted(id_.name) + " claims host " + Quoted(host) +
              ", which project " + Quoted(p_.name) + " does not own",
          "route only hosts matching the project's spec.istio.hosts");
    }
  }

  // A VirtualService bound to a gateway attaches only if it is exported to
  // the gateway's namespace; otherwise the route silently does nothing.
  void CheckExportTo(const Node* export_to, const std::vector<std::string>& gateway_namespaces) {
    if (export_to == nullptr || !export_to->IsSeq() || gateway_namespaces.empty()) return;
    for (const std::string& gw_ns : gateway_namespaces) {
      bool reached = std::any_of(
          export_to->items().begin(), export_to->items().end(), [&](const Node* e) {
            std::string_view v = e->scalar();
            return v == "*" || v == gw_ns || (v == "." && gw_ns == id_.ns);
          });
      if (reached) continue;
      Add(kRuleTenancyIstioExportTo, export_to, "spec.exportTo",
          "VirtualService " + Quoted(id_.name) + " is bound to a gateway in namespace " +
              Quoted(gw_ns) + " but not exported to it, so the route never attaches",
          "add \"" + gw_ns + "\" (or \"*\") to spec.exportTo");
      return;
    }
  }

  const Project& p_;
  std::vector<Finding>& out_;
  const Resource* r_ = nullptr;
  ResId id_;
};

}  // namespace

std::vector<Finding> CheckTenancy(const Project& p, const ResourceSet& tenant_objects,
                                  std::string_view source_repo) {
  std::vector<Finding> findings;
  TenancyChecker checker(p, findings);
  checker.CheckSourceRepo(source_repo);
  for (const Resource& r : tenant_objects) checker.CheckObject(r);
  return findings;
}

}  // namespace skiff::policy
