#include "render/content_hash.h"

#include <gtest/gtest.h>

#include "yaml/yaml.h"

namespace skiff {
namespace {

Node* Parse(Arena& arena, std::string_view yaml) {
  auto docs = ParseYamlStream(yaml, "test.yaml", arena);
  EXPECT_TRUE(docs.ok()) << (docs.ok() ? "" : docs.error().message);
  return docs.ok() && !docs->empty() ? (*docs)[0].root : nullptr;
}

TEST(ContentHash, Sha256MatchesTheStandardVector) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(ContentHash, SuffixMapsLookalikeCharacters) {
  EXPECT_EQ(EncodeHashSuffix("0123456789abcdef"), "gh2k456789");
  EXPECT_EQ(EncodeHashSuffix("aeaeaeaeaeffff"), "mtmtmtmtmt");
}

// Vectors from kustomize's hasher tests.
TEST(ContentHash, EmptyConfigMap) {
  Arena arena;
  EXPECT_EQ(ContentHashSuffix(Parse(arena, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n")),
            "6ct58987ht");
}

TEST(ContentHash, ConfigMapWithOneEmptyValue) {
  Arena arena;
  Node* cm = Parse(arena, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: one\ndata:\n  one: \"\"\n");
  EXPECT_EQ(HashInputJson(cm), R"({"data":{"one":""},"kind":"ConfigMap","name":""})");
  EXPECT_EQ(ContentHashSuffix(cm), "9g67k2htb6");
}

TEST(ContentHash, SecretWithTypeAndNoData) {
  Arena arena;
  EXPECT_EQ(ContentHashSuffix(Parse(arena, "apiVersion: v1\nkind: Secret\ntype: my-type\n")),
            "5gmgkf8578");
}

TEST(ContentHash, GeneratedSecretHashesItsEmptyDataMap) {
  // `kubectl kustomize` names a secretGenerator entry `t` of type my-type
  // with no sources t-t75bgf6ctb: the generated Secret has `data: {}`.
  Arena arena;
  EXPECT_EQ(ContentHashSuffix(Parse(arena, "kind: Secret\ntype: my-type\ndata: {}\n")), "t75bgf6ctb");
}

TEST(ContentHash, NameDoesNotChangeTheHash) {
  Arena arena;
  Node* a = Parse(arena, "kind: ConfigMap\nmetadata: {name: a}\ndata: {k: v}\n");
  Node* b = Parse(arena, "kind: ConfigMap\nmetadata: {name: b, labels: {x: y}}\ndata: {k: v}\n");
  EXPECT_EQ(ContentHashSuffix(a), ContentHashSuffix(b));
}

TEST(ContentHash, EscapesLikeGoEncodingJson) {
  // `kubectl kustomize` named this generated ConfigMap 123-thc7mc9kfk: the
  // hash input escapes <, >, &, U+2028 and control characters as Go does.
  Arena arena;
  Node* cm = Parse(arena,
                   "kind: ConfigMap\ndata:\n  a b: c\n  a/b: \"1\"\n  bell: \"\\a\\b\\f\\t\"\n"
                   "  sp ace: \"2\"\n  u: \"<&>\\u2028\\u00e9\"\n");
  EXPECT_EQ(ContentHashSuffix(cm), "thc7mc9kfk") << HashInputJson(cm);
}

TEST(ContentHash, BinaryDataCountsOnlyWhenAMap) {
  Arena arena;
  Node* with = Parse(arena, "kind: ConfigMap\ndata: {a: b}\nbinaryData: {c: gIH/}\n");
  EXPECT_EQ(HashInputJson(with),
            R"({"binaryData":{"c":"gIH/"},"data":{"a":"b"},"kind":"ConfigMap","name":""})");
  Node* scalar = Parse(arena, "kind: ConfigMap\ndata: {a: b}\nbinaryData: x\n");
  EXPECT_EQ(HashInputJson(scalar), R"({"data":{"a":"b"},"kind":"ConfigMap","name":""})");
}

}  // namespace
}  // namespace skiff
