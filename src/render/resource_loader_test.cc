#include "render/resource_loader.h"

#include <gtest/gtest.h>

namespace skiff {
namespace {

std::vector<std::string> Names(const std::vector<Resource>& rs) {
  std::vector<std::string> out;
  for (const Resource& r : rs) out.emplace_back(r.Name());
  return out;
}

TEST(ResourceLoaderTest, SkipsEmptyDocumentsAndAppendsListItemsAtTheEnd) {
  Arena arena;
  auto rs = LoadResources(
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: first\n"
      "---\n---\n# comment only\n---\n{}\n---\n"
      "apiVersion: v1\nkind: List\nitems:\n"
      "- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: item1\n"
      "- apiVersion: v1\n  kind: List\n  items:\n"
      "  - {apiVersion: v1, kind: Secret, metadata: {name: nested}}\n"
      "---\n"
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: last\n",
      "/k/r.yaml", arena);
  ASSERT_TRUE(rs.ok()) << rs.error().message;
  EXPECT_EQ(Names(*rs), (std::vector<std::string>{"first", "last", "item1", "nested"}));
  EXPECT_EQ((*rs)[0].origin.String(), "/k/r.yaml:1");
  EXPECT_EQ((*rs)[2].origin.line, 14u);
}

TEST(ResourceLoaderTest, ListKindsWithoutItemsStayObjects) {
  Arena arena;
  auto rs = LoadResources("apiVersion: v1\nkind: FooList\nspec: 1\n---\n"
                          "apiVersion: v1\nkind: List\nitems:\n---\n"
                          "apiVersion: v1\nkind: ConfigMapList\nitems: []\n",
                          "r.yaml", arena);
  ASSERT_TRUE(rs.ok()) << rs.error().message;
  ASSERT_EQ(rs->size(), 1u);
  EXPECT_EQ((*rs)[0].Kind(), "FooList");
}

TEST(ResourceLoaderTest, MissingKindOrNameNamesFileAndLine) {
  Arena arena;
  auto no_kind = LoadResources("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n"
                               "apiVersion: v1\nmetadata:\n  name: x\n",
                               "/k/r.yaml", arena);
  ASSERT_FALSE(no_kind.ok());
  EXPECT_NE(no_kind.error().message.find("/k/r.yaml:5: missing kind"), std::string::npos)
      << no_kind.error().message;
  auto no_name = LoadResources("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  labels: {a: b}\n",
                               "/k/r.yaml", arena);
  ASSERT_FALSE(no_name.ok());
  EXPECT_NE(no_name.error().message.find("/k/r.yaml:1: missing metadata.name"),
            std::string::npos)
      << no_name.error().message;
  auto item = LoadResources("kind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n",
                            "/k/r.yaml", arena);
  ASSERT_FALSE(item.ok());
  EXPECT_NE(item.error().message.find("/k/r.yaml:3: missing metadata.name"), std::string::npos)
      << item.error().message;
}

TEST(ResourceLoaderTest, NonObjectsHaveNoResourceMetadata) {
  Arena arena;
  for (const char* text : {"a: b\n", "- a\n- b\n", "kind: List\nitems:\n- a: b\n"}) {
    auto rs = LoadResources(text, "r.yaml", arena);
    ASSERT_FALSE(rs.ok()) << text;
    EXPECT_NE(rs.error().message.find("missing Resource metadata"), std::string::npos)
        << rs.error().message;
  }
}

TEST(ResourceLoaderTest, ApiVersionIsOptionalAndNamesMayBeNumbers) {
  Arena arena;
  auto rs = LoadResources("kind: ConfigMap\nmetadata:\n  name: x\n---\n"
                          "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: 5\n",
                          "r.yaml", arena);
  ASSERT_TRUE(rs.ok()) << rs.error().message;
  EXPECT_EQ(rs->size(), 2u);
}

TEST(ResourceLoaderTest, MalformedYamlNamesTheFile) {
  Arena arena;
  auto rs = LoadResources("a: [\n", "/k/bad.yaml", arena);
  ASSERT_FALSE(rs.ok());
  EXPECT_NE(rs.error().message.find("/k/bad.yaml:"), std::string::npos) << rs.error().message;
}

}  // namespace
}  // namespace skiff
