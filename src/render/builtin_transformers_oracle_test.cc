// Differential tests: small kustomization trees rendered by skiff and by the
// oracle (`kubectl kustomize`, kustomize v5.5.0) must print the same bytes,
// or both fail.
#include <gtest/gtest.h>

#include "render/transformer_test_support.h"

namespace skiff {
namespace {

using testing::ExpectSameAsOracle;
using testing::TestTree;

class BuiltinTransformersVsOracle : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!testing::OracleAvailable()) GTEST_SKIP() << "kubectl not available";
  }
  // Writes the top kustomization (and r.yaml unless `resources` is empty),
  // then compares.
  void Check(std::string_view kustomization, std::string_view resources) {
    tree_.Write("kustomization.yaml", kustomization);
    if (!resources.empty()) tree_.Write("r.yaml", resources);
    ExpectSameAsOracle(tree_);
  }
  TestTree tree_;
};

constexpr std::string_view kMixedKinds = R"(apiVersion: v1
kind: Namespace
metadata:
  name: team
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: reader
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: rb
  namespace: old
subjects:
- kind: ServiceAccount
  name: default
- kind: ServiceAccount
  name: app
  namespace: old
- kind: User
  name: default
---
apiVersion: apiregistration.k8s.io/v1
kind: APIService
metadata:
  name: v1.metrics
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  conversion:
    webhook:
      clientConfig:
        service:
          name: conv
          namespace: q
---
apiVersion: example.com/v1
kind: Widget
metadata:
  name: w
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: cm
  namespace: other
data:
  k: v
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
      - name: app
        image: nginx:1.0
)";

TEST_F(BuiltinTransformersVsOracle, Namespace) {
  Check("namespace: prod\nresources:\n- r.yaml\n", kMixedKinds);
}

TEST_F(BuiltinTransformersVsOracle, PrefixAndSuffix) {
  Check("namePrefix: p-\nnameSuffix: -s\nresources:\n- r.yaml\n", kMixedKinds);
}

// A Namespace of another group is an unknown, namespaced kind: it gets the
// namespace, keeps its name, and takes prefixes.
TEST_F(BuiltinTransformersVsOracle, CustomGroupNamespaceIsAnOrdinaryKind) {
  Check("namespace: prod\nnamePrefix: p-\nresources:\n- r.yaml\n", R"(apiVersion: example.com/v1
kind: Namespace
metadata:
  name: custom-ns
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: cm
)");
}

TEST_F(BuiltinTransformersVsOracle, NamespaceConflictFails) {
  Check("namespace: prod\nresources:\n- r.yaml\n", R"(apiVersion: v1
kind: ConfigMap
metadata:
  name: cm
  namespace: a
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: cm
  namespace: b
)");
}

constexpr std::string_view kWorkloads = R"(apiVersion: v1
kind: Service
metadata:
  name: svc
spec:
  ports:
  - port: 80
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: dep
  labels: null
spec:
  template:
    spec:
      affinity:
        podAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
          - labelSelector:
              matchLabels:
                x: z
          - topologyKey: k
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: sts
spec:
  serviceName: svc
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: cj
---
apiVersion: batch/v1
kind: Job
metadata:
  name: job
spec:
  selector:
    matchLabels: null
  template: {}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: pdb
spec:
  selector:
    matchLabels:
      q: r
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: np
spec:
  podSelector: {}
  ingress:
  - from:
    - podSelector:
        matchLabels: {}
    - namespaceSelector: {}
---
apiVersion: example.com/v1
kind: Foo
metadata:
  name: foo
)";

TEST_F(BuiltinTransformersVsOracle, CommonLabelsAndAnnotations) {
  Check("commonLabels:\n  app: web\ncommonAnnotations:\n  note: hi\nresources:\n- r.yaml\n",
        kWorkloads);
}

TEST_F(BuiltinTransformersVsOracle, LabelsEntries) {
  Check(R"(resources:
- r.yaml
labels:
- pairs:
    team: a
- pairs:
    sel: s
  includeSelectors: true
- pairs:
    tmpl: t
  includeTemplates: true
- pairs:
    custom: c
  fields:
  - path: spec/custom/labels
    kind: Foo
    create: true
  - path: spec/other
    kind: Foo
)",
        kWorkloads);
}

TEST_F(BuiltinTransformersVsOracle, Images) {
  Check(R"(resources:
- r.yaml
images:
- name: nginx
  newTag: "1.2"
- name: reg.io:5000/app
  newName: other/app
  digest: sha256:aaaa
- name: both
  newTag: t2
  digest: sha256:bbbb
- name: a.c
  newName: dotmatch
- name: suffixed
  tagSuffix: -x
)",
        R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      initContainers:
      - name: i
        image: nginx@sha256:1234
      containers:
      - name: a
        image: nginx
      - name: c
        image: nginx:1.0@sha256:abcd
      - name: d
        image: reg.io:5000/app:v1
      - name: e
        image: both:t1@sha256:xx
      - name: f
        image: abc
      - name: g
        image: nginxx
      - name: s
        image: suffixed:1.0
      - name: none
---
apiVersion: example.com/v1
kind: Foo
metadata:
  name: f
spec:
  deep:
    containers:
    - image: suffixed
    initContainers:
    - image: both
  image: nginx
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: c
spec:
  containers:
  - image: nginx
---
apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers: null
)");
}

TEST_F(BuiltinTransformersVsOracle, ImagesOnAScalarSpecFails) {
  Check("resources:\n- r.yaml\nimages:\n- name: nginx\n  newTag: \"2\"\n",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec: hello\n");
}

TEST_F(BuiltinTransformersVsOracle, ReplicasByOriginalAndCurrentName) {
  Check(R"(namePrefix: p-
resources:
- r.yaml
replicas:
- name: web
  count: 3
- name: p-sts
- name: rs
  count: 2
- name: web
  count: 5
)",
        R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: sts
---
apiVersion: example.com/v1
kind: ReplicaSet
metadata:
  name: rs
spec:
  replicas: 9
)");
}

TEST_F(BuiltinTransformersVsOracle, ReplicasWithoutMatchFails) {
  Check("resources:\n- r.yaml\nreplicas:\n- name: nope\n  count: 1\n",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n");
}

// Transformers stacked across a base and an overlay: the overlay's replicas
// and images still find objects the base renamed, and labels reach objects
// whatever kustomization renamed them.
TEST_F(BuiltinTransformersVsOracle, OverlayOnARenamedBase) {
  tree_.Write("base/kustomization.yaml", R"(namePrefix: base-
commonLabels:
  tier: backend
images:
- name: app
  newTag: "1"
resources:
- r.yaml
)");
  tree_.Write("base/r.yaml", R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      containers:
      - name: api
        image: app:0
---
apiVersion: v1
kind: Service
metadata:
  name: api
spec:
  ports:
  - port: 80
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: nightly
spec:
  jobTemplate:
    spec:
      template:
        spec:
          containers:
          - name: job
            image: app:0
)");
  Check(R"(namespace: prod
nameSuffix: -v2
resources:
- base
labels:
- pairs:
    env: prod
  includeTemplates: true
commonAnnotations:
  owner: platform
replicas:
- name: api
  count: 4
images:
- name: app
  newName: registry.example.com/app
)",
        "");
}

}  // namespace
}  // namespace skiff
