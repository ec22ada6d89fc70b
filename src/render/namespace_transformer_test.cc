#include "render/namespace_transformer.h"

#include <gtest/gtest.h>

#include "render/builtin_transformers.h"
#include "render/transformer_test_support.h"

namespace skiff {
namespace {

using testing::At;
using testing::TransformerFixture;

TEST(NamespaceTransformer, SetsNamespaceOnNamespacedAndUnknownKindsOnly) {
  TransformerFixture f;
  f.Add(R"(apiVersion: v1
kind: ConfigMap
metadata:
  name: cm
  namespace: old
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: cr
---
apiVersion: example.com/v1
kind: Widget
metadata:
  name: w
---
apiVersion: rbac.authorization.k8s.io/v1alpha1
kind: ClusterRole
metadata:
  name: cr-alpha
)");
  ASSERT_TRUE(f.Run(MakeNamespaceTransformer(f.Value("prod"), f.ctx())).ok());
  EXPECT_EQ(At(f.Root("cm"), {"metadata", "namespace"}), "prod");
  EXPECT_EQ(At(f.Root("cr"), {"metadata", "namespace"}), "<absent>");
  EXPECT_EQ(At(f.Root("w"), {"metadata", "namespace"}), "prod");
  // The schema knows ClusterRole only in the versions it lists.
  EXPECT_EQ(At(f.Root("cr-alpha"), {"metadata", "namespace"}), "prod");
}

TEST(NamespaceTransformer, RenamesOnlyTheCoreV1Namespace) {
  TransformerFixture f;
  f.Add(R"(apiVersion: v1
kind: Namespace
metadata:
  name: a
---
apiVersion: example.com/v1
kind: Namespace
metadata:
  name: b
)");
  ASSERT_TRUE(f.Run(MakeNamespaceTransformer(f.Value("prod"), f.ctx())).ok());
  ASSERT_NE(f.Root("prod"), nullptr);
  EXPECT_EQ(At(f.Root("prod"), {"metadata", "namespace"}), "<absent>");
  EXPECT_EQ(At(f.Root("b"), {"metadata", "namespace"}), "prod");
}

TEST(NamespaceTransformer, BindingSubjectsNamedDefaultOnly) {
  TransformerFixture f;
  f.Add(R"(apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: crb
subjects:
- kind: ServiceAccount
  name: default
  namespace: other
- kind: ServiceAccount
  name: app
  namespace: other
- kind: User
  name: default
- kind: ServiceAccount
  name: default2
)");
  ASSERT_TRUE(f.Run(MakeNamespaceTransformer(f.Value("prod"), f.ctx())).ok());
  const Node* subjects = f.Root("crb")->Get("subjects");
  ASSERT_EQ(subjects->items().size(), 4u);
  EXPECT_EQ(At(subjects->items()[0], {"namespace"}), "prod");
  EXPECT_EQ(At(subjects->items()[1], {"namespace"}), "other");
  EXPECT_EQ(At(subjects->items()[2], {"namespace"}), "prod");
  EXPECT_EQ(At(subjects->items()[3], {"namespace"}), "<absent>");
}

TEST(NamespaceTransformer, ServiceReferencesOfApiServiceAndCrdWebhook) {
  TransformerFixture f;
  f.Add(R"(apiVersion: apiregistration.k8s.io/v1
kind: APIService
metadata:
  name: v1.bare
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: hooked
spec:
  conversion:
    webhook:
      clientConfig:
        service:
          name: s
          namespace: q
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: plain
spec: {}
)");
  ASSERT_TRUE(f.Run(MakeNamespaceTransformer(f.Value("prod"), f.ctx())).ok());
  EXPECT_EQ(At(f.Root("v1.bare"), {"spec", "service", "namespace"}), "prod");
  EXPECT_EQ(At(f.Root("hooked"),
               {"spec", "conversion", "webhook", "clientConfig", "service", "namespace"}),
            "prod");
  EXPECT_EQ(At(f.Root("plain"), {"spec", "conversion"}), "<absent>");
}

TEST(NamespaceTransformer, RecordsPreviousIdsAndReindexes) {
  TransformerFixture f;
  f.Add("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n  namespace: old\n");
  ASSERT_TRUE(f.Run(MakeNamespaceTransformer(f.Value("prod"), f.ctx())).ok());
  const Resource& r = f.set()[0];
  ASSERT_EQ(r.previous_ids.size(), 1u);
  EXPECT_EQ(r.previous_ids[0].ns, "old");
  EXPECT_EQ(f.set().Find(r.Id()), 0);
}

TEST(NamespaceTransformer, TwoObjectsEndingWithOneIdentityIsAnError) {
  TransformerFixture f;
  f.Add(R"(apiVersion: v1
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
  std::string first = f.set()[0].origin.String();
  std::string second = f.set()[1].origin.String();
  Status s = f.Run(MakeNamespaceTransformer(f.Value("prod"), f.ctx()));
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find(first + " and at " + second), std::string::npos)
      << s.error().message;
}

TEST(NamespaceTransformer, NonStringValueNamesFileLineAndField) {
  TransformerFixture f;
  const Node* value = f.Value("x: 1\nnamespace: [a]\n")->Get("namespace");
  Status s = f.Run(MakeNamespaceTransformer(value, f.ctx()));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message, "kustomization.yaml:2: namespace: expected a string");
}

}  // namespace
}  // namespace skiff
