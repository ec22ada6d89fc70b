#include "render/name_reference.h"

#include <gtest/gtest.h>

#include "yaml/yaml.h"

namespace skiff {
namespace {

// Builds a set from YAML and renames objects the way namePrefix/nameSuffix
// and the hash suffix do (previous id recorded, prefix/suffix remembered).
class NameReferenceTest : public ::testing::Test {
 protected:
  void Load(std::string_view yaml) {
    auto docs = ParseYamlStream(yaml, "r.yaml", arena_);
    ASSERT_TRUE(docs.ok()) << docs.error().message;
    for (const YamlDocument& d : *docs) {
      if (d.root == nullptr) continue;
      Resource r;
      r.root = d.root;
      r.origin = Origin{"r.yaml", d.pos.line};
      ASSERT_TRUE(set_.Add(std::move(r)).ok());
    }
  }

  void Rename(Resource& r, std::string_view prefix, std::string_view suffix) {
    r.previous_ids.push_back(r.Id());
    std::string name = std::string(prefix) + std::string(r.Name()) + std::string(suffix);
    r.root->Get("metadata")->Set("name", arena_.NewString(arena_.Str(name)));
    if (!prefix.empty()) r.name_prefixes.emplace_back(prefix);
    if (!suffix.empty()) r.name_suffixes.emplace_back(suffix);
  }
  void PrefixAll(std::string_view prefix) {
    for (Resource& r : set_) Rename(r, prefix, "");
  }
  Resource& Get(std::string_view kind, std::string_view name) {
    for (Resource& r : set_) {
      if (r.Kind() == kind && r.Name() == name) return r;
    }
    ADD_FAILURE() << "no " << kind << " " << name;
    return set_[0];
  }
  std::string_view At(std::string_view kind, std::string_view name,
                      std::initializer_list<std::string_view> path, size_t index = 0) {
    const Node* n = Get(kind, name).root;
    for (std::string_view seg : path) {
      if (n != nullptr && n->IsSeq()) n = index < n->items().size() ? n->items()[index] : nullptr;
      if (n != nullptr) n = n->Get(seg);
    }
    if (n != nullptr && n->IsSeq()) n = n->items()[index];
    return n != nullptr ? n->scalar() : "<missing>";
  }
  Status Fix() { return FixNameReferencesWithRules(set_, rules_, arena_); }

  Arena arena_;
  ResourceSet set_;
  std::vector<NameReferenceRule> rules_ = BuiltinNameReferenceRules();
};

constexpr std::string_view kTwoNamespaces = R"(apiVersion: v1
kind: ConfigMap
metadata: {name: cm, namespace: a}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: cm, namespace: b}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: cm2}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: da, namespace: a}
spec:
  template:
    spec:
      serviceAccountName: sa
      volumes:
      - name: v
        configMap: {name: cm}
      - name: w
        projected:
          sources:
          - configMap: {name: cm}
          - configMap: {name: cm2}
      containers:
      - name: c
        envFrom:
        - configMapRef: {name: cm}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: db, namespace: b}
spec:
  template:
    spec:
      volumes:
      - {name: v, configMap: {name: cm}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: dc, namespace: c}
spec:
  template:
    spec:
      volumes:
      - {name: v, configMap: {name: cm}}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: sa, namespace: a}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: crb}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cr}
subjects:
- {kind: ServiceAccount, name: sa}
- {kind: ServiceAccount, name: sa, namespace: zz}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: rb, namespace: q}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cr}
subjects:
- {kind: ServiceAccount, name: sa, namespace: a}
- {kind: ServiceAccount, name: sa}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: cr}
rules:
- resourceNames: [cm2, other]
---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: ic}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: ing}
spec:
  ingressClassName: ic
  defaultBackend: {service: {name: svc}}
---
apiVersion: v1
kind: Service
metadata: {name: svc}
)";

// Expectations below are what `kubectl kustomize` printed for the same
// objects with namePrefix p- and the ConfigMaps generated (hash suffixes).
class TwoNamespaces : public NameReferenceTest {
 protected:
  void SetUp() override {
    Load(kTwoNamespaces);
    PrefixAll("p-");
    Rename(Get("ConfigMap", "p-cm"), "", "-hmg6f82fh6");  // the one in namespace a
    Rename(Get("ConfigMap", "p-cm"), "", "-d5gm26dhhd");  // the one in namespace b
    Rename(Get("ConfigMap", "p-cm2"), "", "-5744dc9tb9");
    // A hash is not a nameSuffix: kustomize does not record it as one.
    for (Resource& r : set_) r.name_suffixes.clear();
  }
};

TEST_F(TwoNamespaces, ReferenceResolvesInTheReferrersNamespace) {
  ASSERT_TRUE(Fix().ok());
  EXPECT_EQ(At("Deployment", "p-da", {"spec", "template", "spec", "volumes", "configMap", "name"}),
            "p-cm-hmg6f82fh6");
  EXPECT_EQ(At("Deployment", "p-da",
               {"spec", "template", "spec", "containers", "envFrom", "configMapRef", "name"}),
            "p-cm-hmg6f82fh6");
  EXPECT_EQ(At("Deployment", "p-db", {"spec", "template", "spec", "volumes", "configMap", "name"}),
            "p-cm-d5gm26dhhd");
  // Namespace c has no cm; cm2 lives in "default", not in a or c.
  EXPECT_EQ(At("Deployment", "p-dc", {"spec", "template", "spec", "volumes", "configMap", "name"}),
            "cm");
  EXPECT_EQ(At("Deployment", "p-da", {"spec", "template", "spec", "serviceAccountName"}), "p-sa");
}

TEST_F(TwoNamespaces, ProjectedSourcesAreListsToo) {
  ASSERT_TRUE(Fix().ok());
  const Node* sources = Get("Deployment", "p-da")
                            .root->GetPath({"spec", "template", "spec", "volumes"})
                            ->items()[1]
                            ->GetPath({"projected", "sources"});
  EXPECT_EQ(sources->items()[0]->GetPath({"configMap", "name"})->scalar(), "p-cm-hmg6f82fh6");
  EXPECT_EQ(sources->items()[1]->GetPath({"configMap", "name"})->scalar(), "cm2");
}

TEST_F(TwoNamespaces, ClusterScopedReferrerSeesEveryNamespace) {
  ASSERT_TRUE(Fix().ok());
  const Node* names = Get("ClusterRole", "p-cr").root->Get("rules")->items()[0]->Get("resourceNames");
  EXPECT_EQ(names->items()[0]->scalar(), "p-cm2-5744dc9tb9");
  EXPECT_EQ(names->items()[1]->scalar(), "other");
  EXPECT_EQ(At("RoleBinding", "p-rb", {"roleRef", "name"}), "p-cr");
}

TEST_F(TwoNamespaces, AmbiguousReferenceFromClusterScopeIsAnError) {
  // kubectl kustomize: "found multiple possible referrals" for cm from a ClusterRole.
  Node* names = Get("ClusterRole", "p-cr").root->Get("rules")->items()[0]->Get("resourceNames");
  names->Append(arena_.NewString("cm"));
  Status s = Fix();
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("multiple possible referrals"), std::string::npos);
  EXPECT_NE(s.error().message.find("rules/resourceNames"), std::string::npos) << s.error().message;
}

TEST_F(TwoNamespaces, SubjectsGetNameAndNamespace) {
  ASSERT_TRUE(Fix().ok());
  const Node* crb = Get("ClusterRoleBinding", "p-crb").root->Get("subjects");
  EXPECT_EQ(crb->items()[0]->GetString("name"), "p-sa");
  EXPECT_EQ(crb->items()[0]->GetString("namespace"), "a");  // added
  EXPECT_EQ(crb->items()[1]->GetString("name"), "sa");      // other namespace: untouched
  EXPECT_EQ(crb->items()[1]->GetString("namespace"), "zz");
  const Node* rb = Get("RoleBinding", "p-rb").root->Get("subjects");
  EXPECT_EQ(rb->items()[0]->GetString("name"), "p-sa");
  // Reachable because another subject of this RoleBinding names namespace a.
  EXPECT_EQ(rb->items()[1]->GetString("name"), "p-sa");
  EXPECT_EQ(rb->items()[1]->GetString("namespace"), "a");
}

TEST_F(TwoNamespaces, IngressClassIsNotRewrittenLikeKustomize) {
  ASSERT_TRUE(Fix().ok());
  EXPECT_EQ(At("Ingress", "p-ing", {"spec", "ingressClassName"}), "ic");
  EXPECT_EQ(At("Ingress", "p-ing", {"spec", "defaultBackend", "service", "name"}), "p-svc");
}

TEST_F(NameReferenceTest, PrefixesPickTheCopyFromTheSameOverlay) {
  // One base (Deployment d + ConfigMap cm) included by overlay a (namePrefix
  // a-) and overlay b (nameSuffix -b), then namePrefix t- on top. kubectl
  // kustomize wires t-a-d to t-a-cm-… and t-d-b to t-cm-b-….
  constexpr std::string_view kBase = R"(apiVersion: v1
kind: ConfigMap
metadata: {name: cm}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: d}
spec:
  template:
    spec:
      volumes:
      - {name: v, configMap: {name: cm}}
)";
  Load(kBase);
  for (Resource& r : set_) Rename(r, "a-", "");
  auto docs = ParseYamlStream(kBase, "b.yaml", arena_);
  ASSERT_TRUE(docs.ok());
  for (const YamlDocument& d : *docs) {
    Resource r;
    r.root = d.root;
    Rename(r, "", "-b");
    ASSERT_TRUE(set_.Add(std::move(r)).ok());
  }
  PrefixAll("t-");
  Rename(Get("ConfigMap", "t-a-cm"), "", "-hmg6f82fh6");
  Get("ConfigMap", "t-a-cm-hmg6f82fh6").name_suffixes.clear();
  Rename(Get("ConfigMap", "t-cm-b"), "", "-hmg6f82fh6");
  Get("ConfigMap", "t-cm-b-hmg6f82fh6").name_suffixes = {"-b"};
  ASSERT_TRUE(Fix().ok());
  EXPECT_EQ(At("Deployment", "t-a-d", {"spec", "template", "spec", "volumes", "configMap", "name"}),
            "t-a-cm-hmg6f82fh6");
  EXPECT_EQ(At("Deployment", "t-d-b", {"spec", "template", "spec", "volumes", "configMap", "name"}),
            "t-cm-b-hmg6f82fh6");
}

TEST_F(NameReferenceTest, RoleRefFollowsItsKind) {
  Load(R"(apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: r, namespace: ns}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: r}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: to-role, namespace: ns}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: r}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: to-cluster-role, namespace: ns}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: r}
)");
  Rename(set_[0], "", "-role");
  Rename(set_[1], "", "-cluster");
  ASSERT_TRUE(Fix().ok());
  EXPECT_EQ(At("RoleBinding", "to-role", {"roleRef", "name"}), "r-role");
  EXPECT_EQ(At("RoleBinding", "to-cluster-role", {"roleRef", "name"}), "r-cluster");
}

TEST_F(NameReferenceTest, UnrenamedObjectsAreLeftAlone) {
  Load(R"(apiVersion: v1
kind: Secret
metadata: {name: s}
---
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  imagePullSecrets: [{name: s}]
  containers:
  - name: c
    env:
    - name: E
      valueFrom: {secretKeyRef: {name: s, key: k}}
)");
  ASSERT_TRUE(Fix().ok());
  EXPECT_EQ(At("Pod", "p", {"spec", "imagePullSecrets", "name"}), "s");
  Rename(set_[0], "x-", "");
  ASSERT_TRUE(Fix().ok());
  EXPECT_EQ(At("Pod", "p", {"spec", "imagePullSecrets", "name"}), "x-s");
  EXPECT_EQ(At("Pod", "p", {"spec", "containers", "env", "valueFrom", "secretKeyRef", "name"}), "x-s");
}

TEST_F(NameReferenceTest, WebhookServiceGetsNameAndNamespace) {
  Load(R"(apiVersion: v1
kind: Service
metadata: {name: hook, namespace: sys}
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata: {name: v}
webhooks:
- name: a.example.com
  clientConfig:
    service: {name: hook, namespace: sys, path: /validate}
)");
  Rename(set_[0], "p-", "");
  ASSERT_TRUE(Fix().ok());
  const Node* svc = set_[1].root->Get("webhooks")->items()[0]->GetPath({"clientConfig", "service"});
  EXPECT_EQ(svc->GetString("name"), "p-hook");
  EXPECT_EQ(svc->GetString("namespace"), "sys");
  EXPECT_EQ(svc->GetString("path"), "/validate");
}

TEST_F(NameReferenceTest, HpaScaleTargetFollowsTheDeployment) {
  Load(R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
)");
  Rename(set_[0], "", "-v2");
  ASSERT_TRUE(Fix().ok());
  EXPECT_EQ(At("HorizontalPodAutoscaler", "web", {"spec", "scaleTargetRef", "name"}), "web-v2");
}

TEST_F(NameReferenceTest, ServiceAccountImagePullSecretsButNotSecrets) {
  // kubectl kustomize rewrites imagePullSecrets of a ServiceAccount but
  // leaves its `secrets` list alone (not in kustomize's table).
  Load(R"(apiVersion: v1
kind: Secret
metadata: {name: s}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: sa}
secrets: [{name: s}]
imagePullSecrets: [{name: s}]
)");
  Rename(set_[0], "p-", "");
  ASSERT_TRUE(Fix().ok());
  EXPECT_EQ(At("ServiceAccount", "sa", {"imagePullSecrets", "name"}), "p-s");
  EXPECT_EQ(At("ServiceAccount", "sa", {"secrets", "name"}), "s");
}

TEST_F(NameReferenceTest, ManyAppsStayFast) {
  // 2000 apps, each a renamed ConfigMap and a Deployment using it, in its own
  // namespace: the fix-up indexes by name, so this is linear.
  std::string yaml;
  for (int i = 0; i < 2000; ++i) {
    std::string ns = "ns" + std::to_string(i);
    yaml += "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg, namespace: " + ns + "}\n---\n";
    yaml += "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app, namespace: " + ns +
            "}\nspec:\n  template:\n    spec:\n      volumes:\n      - {name: v, configMap: {name: cfg}}\n---\n";
  }
  Load(yaml);
  for (Resource& r : set_) {
    if (r.Kind() == "ConfigMap") Rename(r, "", "-" + std::string(r.Namespace()));
  }
  ASSERT_TRUE(Fix().ok());
  EXPECT_EQ(set_[3].root->GetPath({"spec", "template", "spec", "volumes"})
                ->items()[0]
                ->GetPath({"configMap", "name"})
                ->scalar(),
            "cfg-ns1");
}

}  // namespace
}  // namespace skiff

namespace skiff {
namespace {

// A set big enough for the fix-up to plan referrers on threads: per team a
// ConfigMap, Secret and ServiceAccount renamed with a prefix, a Deployment
// naming them, and a RoleBinding whose subject is visited as a map; one
// team's Deployment names its ConfigMap in two fields that one edit changes.
std::string FixedSetText(size_t threads, size_t teams, bool ambiguous) {
  setenv("SKIFF_RENDER_THREADS", std::to_string(threads).c_str(), 1);
  Arena arena;
  std::string yaml;
  for (size_t t = 0; t < teams; ++t) {
    std::string n = std::to_string(t), ns = "team" + std::to_string(t % 7);
    yaml += "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg" + n + ", namespace: " + ns +
            "}\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: db" + n + ", namespace: " +
            ns + "}\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata: {name: sa" + n +
            ", namespace: " + ns + "}\n---\n";
    yaml += "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app" + n + ", namespace: " +
            ns + "}\nspec:\n  template:\n    spec:\n      serviceAccountName: sa" + n +
            "\n      volumes:\n      - name: c\n        configMap: {name: cfg" + n +
            "}\n      - name: d\n        configMap: {name: cfg" + n + "}\n      - name: s\n" +
            "        secret: {secretName: db" + n + "}\n---\n";
    yaml += "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: rb" +
            n + ", namespace: " + ns + "}\nroleRef: {apiGroup: rbac.authorization.k8s.io, " +
            "kind: Role, name: r}\nsubjects:\n- {kind: ServiceAccount, name: sa" + n +
            ", namespace: " + ns + "}\n---\n";
    // Fixed through a metadata field: the built-in rules stay plannable.
    yaml += "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web" + n +
            "\n  namespace: " + ns + "\n  annotations:\n    nginx.ingress.kubernetes.io/" +
            "auth-secret: db" + n + "\n---\n";
  }
  if (ambiguous) {
    // Two ConfigMaps once named "dup" in one namespace: an error, raised at
    // the first referrer in set order that names it.
    yaml += "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: dup, namespace: team0}\n---\n"
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: dup, namespace: team0, "
            "labels: {x: y}}\n---\n";
  }
  auto docs = ParseYamlStream(yaml, "r.yaml", arena);
  if (!docs.ok()) return "parse: " + docs.error().message;
  ResourceSet set;
  size_t dups = 0;
  for (const YamlDocument& d : *docs) {
    if (d.root == nullptr) continue;
    Resource r;
    r.root = d.root;
    r.origin = Origin{"r.yaml", d.pos.line};
    r.previous_ids.push_back(r.Id());
    std::string_view kind = r.Kind();
    if (kind == "ConfigMap" || kind == "Secret" || kind == "ServiceAccount") {
      std::string name = r.Name() == "dup" ? "dup-" + std::to_string(dups++)
                                           : "pre-" + std::string(r.Name());
      r.root->Get("metadata")->Set("name", arena.NewString(arena.Str(name)));
    }
    set.AddUnchecked(std::move(r));
  }
  if (ambiguous) {
    // Deployments of teams 7 and 112 (namespace team0, at 6 * team + 3)
    // name it: the first in set order must be the one reported.
    for (size_t team : {size_t{7}, size_t{112}}) {
      Node* volumes = set[6 * team + 3].root->GetPath({"spec", "template", "spec", "volumes"});
      volumes->items()[0]->Get("configMap")->Set("name", arena.NewString("dup"));
    }
  }
  Status s = FixNameReferencesWithRules(set, BuiltinNameReferenceRules(), arena);
  unsetenv("SKIFF_RENDER_THREADS");
  std::string out = s.ok() ? "ok\n" : "error: " + s.error().message + "\n";
  std::vector<const Node*> roots;
  for (const Resource& r : set) roots.push_back(r.root);
  EmitYamlStream(roots, out);
  return out;
}

TEST(NameReferenceThreadsTest, PlannedOnThreadsEqualsOneByOne) {
  std::string one = FixedSetText(1, 120, false);
  std::string four = FixedSetText(4, 120, false);
  ASSERT_EQ(one.rfind("ok\n", 0), 0u) << one.substr(0, 300);
  EXPECT_NE(one.find("name: pre-cfg7\n"), std::string::npos);  // references were fixed
  EXPECT_NE(one.find("name: pre-sa7\n"), std::string::npos);
  EXPECT_NE(one.find("auth-secret: pre-db7\n"), std::string::npos);
  EXPECT_EQ(one, four);
}

TEST(NameReferenceThreadsTest, FirstErrorInSetOrderOnThreadsToo) {
  std::string one = FixedSetText(1, 120, true);
  std::string four = FixedSetText(4, 120, true);
  ASSERT_EQ(one.rfind("error: ", 0), 0u) << one.substr(0, 300);
  EXPECT_NE(one.substr(0, one.find('\n')).find("team0|app7"), std::string::npos) << one.substr(0, 300);
  EXPECT_EQ(one, four);
}

}  // namespace
}  // namespace skiff
