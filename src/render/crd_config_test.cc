#include "render/crd_config.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace skiff {
namespace {

// The shape kustomize's own examples use: type name -> {Schema: {...}}.
constexpr std::string_view kCrds = R"({
  "github.com/example/pkg/apis/jingfang/v1beta1.MyKind": {
    "Schema": {
      "properties": {
        "apiVersion": {"type": "string"},
        "kind": {"type": "string"},
        "metadata": {"$ref": "k8s.io/apimachinery/pkg/apis/meta/v1.ObjectMeta"},
        "spec": {"$ref": "github.com/example/pkg/apis/jingfang/v1beta1.MyKindSpec"}
      }
    }
  },
  "github.com/example/pkg/apis/jingfang/v1beta1.MyKindSpec": {
    "Schema": {
      "properties": {
        "secretRef": {
          "x-kubernetes-object-ref-api-version": "v1",
          "x-kubernetes-object-ref-kind": "Secret"
        },
        "cfg": {
          "x-kubernetes-object-ref-api-version": "v1",
          "x-kubernetes-object-ref-kind": "ConfigMap",
          "x-kubernetes-object-ref-name-key": "id"
        },
        "selector": {"x-kubernetes-label-selector": ""},
        "notes": {"x-kubernetes-annotation": ""},
        "alias": {"x-kubernetes-identity": ""},
        "ignored": {"x-kubernetes-annotation": true}
      }
    }
  },
  "github.com/example/pkg/apis/jingfang/v1beta1.NotAKind": {
    "Schema": {"properties": {"x": {"x-kubernetes-annotation": ""}}}
  }
})";

std::vector<std::string> Paths(const std::vector<FieldSpec>& specs, std::string_view kind) {
  std::vector<std::string> out;
  for (const FieldSpec& s : specs) {
    if (s.kind == kind) out.push_back(s.PathString());
  }
  return out;
}

TEST(CrdConfigTest, MarkedPropertiesExtendTheTables) {
  auto config = ParseCrdConfig(kCrds, "crds.json");
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(Paths(config->common_annotations, "MyKind"), std::vector<std::string>{"spec/notes"});
  EXPECT_EQ(Paths(config->common_labels, "MyKind"), std::vector<std::string>{"spec/selector"});
  EXPECT_EQ(Paths(config->name_prefix, "MyKind"), std::vector<std::string>{"spec/alias"});
  EXPECT_TRUE(Paths(config->common_annotations, "NotAKind").empty());
  std::vector<std::string> refs;
  for (const NameReferenceRule& rule : config->name_reference) {
    for (const FieldSpec& s : rule.referrers) {
      refs.push_back(rule.referee.version + "/" + rule.referee.kind + " <- " + s.kind + " " +
                     s.PathString());
    }
  }
  std::sort(refs.begin(), refs.end());
  EXPECT_EQ(refs, (std::vector<std::string>{"v1/ConfigMap <- MyKind spec/cfg/id",
                                            "v1/Secret <- MyKind spec/secretRef/name"}));
}

TEST(CrdConfigTest, YamlAndCaseInsensitiveSchemaKeyAreAccepted) {
  auto config = ParseCrdConfig(
      "a.B:\n  schema:\n    properties:\n      kind: {}\n      apiVersion: {}\n      metadata: {}\n"
      "      note: {x-kubernetes-annotation: ''}\n",
      "crds.yaml");
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(Paths(config->common_annotations, "B"), std::vector<std::string>{"note"});
}

TEST(CrdConfigTest, ACustomResourceDefinitionObjectIsNotADefinitionMap) {
  auto config = ParseCrdConfig(
      "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n", "crd.yaml");
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.error().message.find("crd.yaml"), std::string::npos);
  EXPECT_FALSE(ParseCrdConfig("[1, 2]", "c.json").ok());
  EXPECT_FALSE(ParseCrdConfig("a: [", "c.json").ok());
  EXPECT_TRUE(ParseCrdConfig("", "c.json").ok());
}

TEST(CrdConfigTest, ACycleOfRefsIsAnErrorNotACrash) {
  auto config = ParseCrdConfig(
      R"({"a.K": {"Schema": {"properties": {"kind": {}, "apiVersion": {}, "metadata": {},
          "spec": {"$ref": "a.K"}}}}})",
      "c.json");
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.error().message.find("cycle"), std::string::npos);
}

}  // namespace
}  // namespace skiff
