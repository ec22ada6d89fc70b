#include "render/name_affix_transformer.h"

#include <gtest/gtest.h>

#include "render/builtin_transformers.h"
#include "render/transformer_test_support.h"

namespace skiff {
namespace {

using testing::TransformerFixture;

constexpr std::string_view kObjects = R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: crd
---
apiVersion: example.com/v1
kind: Namespace
metadata:
  name: ns
---
apiVersion: apiregistration.k8s.io/v1
kind: APIService
metadata:
  name: api
---
apiVersion: example.com/v1
kind: APIService
metadata:
  name: other-api
)";

TEST(NameAffixTransformer, PrefixSkipsCrdsNamespacesAndCoreApiServices) {
  TransformerFixture f;
  f.Add(kObjects);
  ASSERT_TRUE(f.Run(MakeNamePrefixTransformer(f.Value("p-"), f.ctx())).ok());
  EXPECT_NE(f.Find("p-web"), nullptr);
  EXPECT_NE(f.Find("crd"), nullptr);
  EXPECT_NE(f.Find("ns"), nullptr);
  EXPECT_NE(f.Find("api"), nullptr);
  EXPECT_NE(f.Find("p-other-api"), nullptr);
}

TEST(NameAffixTransformer, PrefixThenSuffixKeepsEveryPriorIdentity) {
  TransformerFixture f;
  f.Add(kObjects);
  ASSERT_TRUE(f.Run(MakeNamePrefixTransformer(f.Value("p-"), f.ctx())).ok());
  ASSERT_TRUE(f.Run(MakeNameSuffixTransformer(f.Value("-s"), f.ctx())).ok());
  Resource* r = f.Find("p-web-s");
  ASSERT_NE(r, nullptr);
  ASSERT_EQ(r->previous_ids.size(), 2u);
  EXPECT_EQ(r->previous_ids[0].name, "web");
  EXPECT_EQ(r->previous_ids[1].name, "p-web");
  EXPECT_EQ(r->name_prefixes, std::vector<std::string>{"p-"});
  EXPECT_EQ(r->name_suffixes, std::vector<std::string>{"-s"});
  EXPECT_EQ(f.set().Find(r->Id()), 0);
  EXPECT_TRUE(f.Find("crd")->previous_ids.empty());
}

TEST(NameAffixTransformer, ExemptionFollowsTheOriginalKind) {
  // A CRD patched into another kind is still exempt: kustomize selects on
  // the original identity.
  TransformerFixture f;
  f.Add("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: was-crd\n");
  Resource& r = f.set()[0];
  r.previous_ids.push_back(
      ResId{Gvk{"apiextensions.k8s.io", "v1", "CustomResourceDefinition"}, "", "was-crd"});
  ASSERT_TRUE(f.Run(MakeNamePrefixTransformer(f.Value("p-"), f.ctx())).ok());
  EXPECT_EQ(r.Name(), "was-crd");
}

TEST(NameAffixTransformer, NonStringAffixIsAnError) {
  TransformerFixture f;
  Status s = f.Run(MakeNameSuffixTransformer(f.Value("{a: b}"), f.ctx()));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message, "kustomization.yaml:1: nameSuffix: expected a string");
}

}  // namespace
}  // namespace skiff
