#include "render/order.h"

#include <gtest/gtest.h>

#include "yaml/yaml.h"

namespace skiff {
namespace {

// Builds a set of minimal objects, one per "apiVersion kind namespace name"
// line ("-" for an empty namespace), in the given order.
class OrderTest : public ::testing::Test {
 protected:
  ResourceSet Make(const std::vector<std::string>& specs) {
    ResourceSet set;
    for (const std::string& spec : specs) {
      std::string parts[4];
      size_t start = 0;
      for (int i = 0; i < 4; ++i) {
        size_t sp = spec.find(' ', start);
        parts[i] = spec.substr(start, sp == std::string::npos ? std::string::npos : sp - start);
        start = sp + 1;
      }
      Node* root = arena_.NewMap();
      root->Set(InternKey("apiVersion"), arena_.NewString(parts[0]));
      root->Set(InternKey("kind"), arena_.NewString(parts[1]));
      Node* md = arena_.GetOrCreateMap(root, InternKey("metadata"));
      if (parts[2] != "-") md->Set(InternKey("namespace"), arena_.NewString(parts[2]));
      md->Set(InternKey("name"), arena_.NewString(parts[3]));
      Resource r;
      r.root = root;
      EXPECT_TRUE(set.Add(std::move(r)).ok()) << spec;
    }
    return set;
  }

  static std::vector<std::string> Names(const ResourceSet& set) {
    std::vector<std::string> out;
    for (const Resource& r : set) out.emplace_back(std::string(r.Kind()) + "/" + std::string(r.Name()));
    return out;
  }

  Result<SortOptions> ParseText(std::string_view text) {
    auto docs = ParseYamlStream(text, "k.yaml", arena_);
    if (!docs.ok()) return docs.error();
    return ParseSortOptions(docs->front().root, "k.yaml:1");
  }

  Arena arena_;
};

TEST_F(OrderTest, LegacyPutsKnownKindsFirstAndWebhooksLast) {
  ResourceSet set = Make({
      "admissionregistration.k8s.io/v1 ValidatingWebhookConfiguration - vwc",
      "apps/v1 Deployment ns d",
      "example.com/v1 Widget ns w",
      "v1 Service ns svc",
      "v1 ConfigMap ns cm",
      "admissionregistration.k8s.io/v1 MutatingWebhookConfiguration - mwc",
      "v1 Namespace - ns",
      "policy/v1 PodDisruptionBudget ns pdb",
      "apiextensions.k8s.io/v1 CustomResourceDefinition - crd",
  });
  SortResources(set, SortOptions::Legacy());
  EXPECT_EQ(Names(set), (std::vector<std::string>{
                            "Namespace/ns", "CustomResourceDefinition/crd", "ConfigMap/cm",
                            "Service/svc", "Deployment/d", "PodDisruptionBudget/pdb", "Widget/w",
                            "MutatingWebhookConfiguration/mwc",
                            "ValidatingWebhookConfiguration/vwc"}));
}

TEST_F(OrderTest, LegacyTiesGoByGroupVersionKindThenNamespaceAndName) {
  ResourceSet set = Make({
      "v1 Pod b p2",
      "zeta.io/v1 Thing - t",
      "v1 Pod - p3",
      "apps/v1 ReplicaSet a rs",
      "v1 Pod a p1",
      "alpha.io/v1 Thing - t",
      "v1 Pod a p0",
  });
  SortResources(set, SortOptions::Legacy());
  // "~G" sorts after every letter, so core-group kinds come last among
  // unlisted kinds; a missing namespace is "~X", after any namespace.
  EXPECT_EQ(Names(set), (std::vector<std::string>{"Thing/t", "ReplicaSet/rs", "Thing/t",
                                                  "Pod/p0", "Pod/p1", "Pod/p2", "Pod/p3"}));
  EXPECT_EQ(set[0].root->GetString("apiVersion"), "alpha.io/v1");
  EXPECT_EQ(set[2].root->GetString("apiVersion"), "zeta.io/v1");
}

// Observed with `kubectl kustomize`: between two Namespace kinds of which one
// is in the core group the GVK comparison is reversed (so core versions also
// sort in reverse among themselves); ConfigMap and unlisted kinds are not.
TEST_F(OrderTest, LegacyPutsCoreNamespacesBeforeOtherGroupsInReverse) {
  ResourceSet set = Make({
      "example.com/v1 Namespace - a", "v1 Namespace - b", "Apple.com/v1 Namespace - c",
      "v2 Namespace - d", "zeta.io/v1 Namespace - e", "v1beta1 Namespace - f",
      "example.com/v1 ConfigMap - g", "v1 ConfigMap - h", "v1 Widget - i",
      "example.com/v1 Widget - j", "apps/v1 Namespace - k",
  });
  SortResources(set, SortOptions::Legacy());
  EXPECT_EQ(Names(set), (std::vector<std::string>{
                            "Namespace/d", "Namespace/f", "Namespace/b", "Namespace/c",
                            "Namespace/k", "Namespace/a", "Namespace/e", "ConfigMap/g",
                            "ConfigMap/h", "Widget/j", "Widget/i"}));
  // The reversal applies to the kind name even when Namespace is unranked.
  SortOptions custom;
  custom.order_first = {"Widget"};
  ResourceSet set2 = Make({"example.com/v1 Namespace - a", "v1 Namespace - b"});
  SortResources(set2, custom);
  EXPECT_EQ(Names(set2), (std::vector<std::string>{"Namespace/b", "Namespace/a"}));
}

TEST_F(OrderTest, FifoKeepsDeclarationOrder) {
  ResourceSet set = Make({"v1 Service - s", "v1 Namespace - n", "v1 ConfigMap - c"});
  auto fifo = ParseText("order: fifo\n");
  ASSERT_TRUE(fifo.ok()) << fifo.error().message;
  SortResources(set, *fifo);
  EXPECT_EQ(Names(set),
            (std::vector<std::string>{"Service/s", "Namespace/n", "ConfigMap/c"}));
}

TEST_F(OrderTest, CustomListsReplaceTheDefaults) {
  // As the oracle does: with legacySortOptions given, a list left out is
  // empty, not the default; a kind in both lists counts as last.
  auto opts = ParseText("order: legacy\nlegacySortOptions:\n  orderLast: [Secret]\n");
  ASSERT_TRUE(opts.ok()) << opts.error().message;
  ResourceSet set = Make({"v1 Secret - s", "v1 Service - svc", "apps/v1 Deployment - d"});
  SortResources(set, *opts);
  EXPECT_EQ(Names(set),
            (std::vector<std::string>{"Deployment/d", "Service/svc", "Secret/s"}));

  auto both = ParseText(
      "order: legacy\nlegacySortOptions:\n  orderFirst: [Secret, Service]\n  orderLast: [Secret]\n");
  ASSERT_TRUE(both.ok());
  ResourceSet set2 = Make({"v1 Secret - s", "apps/v1 Deployment - d", "v1 Service - svc"});
  SortResources(set2, *both);
  EXPECT_EQ(Names(set2),
            (std::vector<std::string>{"Service/svc", "Deployment/d", "Secret/s"}));
}

TEST_F(OrderTest, ParseErrorsMatchKustomize) {
  EXPECT_NE(ParseText("{}\n").error().message.find(
                "the field 'sortOptions.order' must be one of [fifo, legacy]"),
            std::string::npos);
  EXPECT_NE(ParseText("order: random\n").error().message.find("must be one of"),
            std::string::npos);
  EXPECT_NE(ParseText("order: fifo\nlegacySortOptions:\n  orderFirst: [A]\n")
                .error()
                .message.find("is set but the selected sort order is 'fifo'"),
            std::string::npos);
  EXPECT_NE(ParseText("order: legacy\nextra: 1\n").error().message.find("unknown field"),
            std::string::npos);
}

TEST_F(OrderTest, AbsentOptionsMeanLegacyDefaults) {
  auto opts = ParseSortOptions(nullptr, "k.yaml");
  ASSERT_TRUE(opts.ok());
  EXPECT_EQ(opts->order, SortOptions::Order::kLegacy);
  EXPECT_EQ(opts->order_first.front(), "Namespace");
  EXPECT_EQ(opts->order_last.back(), "ValidatingWebhookConfiguration");
}

}  // namespace
}  // namespace skiff
