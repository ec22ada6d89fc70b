#include "sync/secret_mask.h"

#include <gtest/gtest.h>

#include "yaml/yaml.h"

namespace skiff::sync {
namespace {

Node* Parse(std::string_view yaml, Arena& arena) {
  auto docs = ParseYamlStream(yaml, "secret.yaml", arena);
  EXPECT_TRUE(docs.ok());
  return docs.ok() && !docs->empty() ? (*docs)[0].root : nullptr;
}

std::string Emit(const Node* n) {
  std::string out;
  EmitYaml(n, out);
  return out;
}

// "hunter2" base64 is aHVudGVyMg==, "s3cr3t-value" is czNjcjN0LXZhbHVl.
constexpr std::string_view kSecret = R"(apiVersion: v1
kind: Secret
metadata:
  name: db
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: |
      {"apiVersion":"v1","kind":"Secret","data":{"password":"aHVudGVyMg=="},"stringData":{"token":"s3cr3t-value"},"metadata":{"name":"db"}}
data:
  password: aHVudGVyMg==
  same: aHVudGVyMg==
stringData:
  token: s3cr3t-value
  plain: hunter2
)";

TEST(SecretMaskTest, NoValueSurvivesAnywhere) {
  Arena arena;
  MaskContext ctx;
  Node* secret = Parse(kSecret, arena);
  MaskSecretValues(secret, arena, ctx);
  std::string text = Emit(secret);
  for (std::string_view value : {"hunter2", "aHVudGVyMg", "s3cr3t-value", "czNjcjN0"})
    EXPECT_EQ(text.find(value), std::string::npos) << value << " leaked in\n" << text;
  EXPECT_NE(text.find("***masked-"), std::string::npos);
}

TEST(SecretMaskTest, EqualValuesShareAMaskAcrossDataAndStringData) {
  Arena arena;
  MaskContext ctx;
  Node* secret = Parse(kSecret, arena);
  MaskSecretValues(secret, arena, ctx);
  std::string_view password = secret->GetPath({"data", "password"})->scalar();
  EXPECT_EQ(secret->GetPath({"data", "same"})->scalar(), password);
  EXPECT_EQ(secret->GetPath({"stringData", "plain"})->scalar(), password);
  EXPECT_NE(secret->GetPath({"stringData", "token"})->scalar(), password);
}

TEST(SecretMaskTest, BothSidesOfADiffShowWhichValuesChanged) {
  Arena arena;
  MaskContext ctx;
  Node* live = Parse("apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: {a: b2xk, b: a2VlcA==}\n", arena);
  Node* desired = Parse("apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: {a: bmV3, b: a2VlcA==}\n", arena);
  MaskSecretValues(live, arena, ctx);
  MaskSecretValues(desired, arena, ctx);
  EXPECT_NE(live->GetPath({"data", "a"})->scalar(), desired->GetPath({"data", "a"})->scalar());
  EXPECT_EQ(live->GetPath({"data", "b"})->scalar(), desired->GetPath({"data", "b"})->scalar());
}

TEST(SecretMaskTest, OtherKindsAreUntouched) {
  Arena arena;
  MaskContext ctx;
  Node* cm = Parse("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: visible}\n", arena);
  MaskSecretValues(cm, arena, ctx);
  EXPECT_EQ(cm->GetPath({"data", "a"})->scalar(), "visible");
  EXPECT_TRUE(ctx.empty());
}

TEST(SecretMaskTest, UnreadableLastAppliedIsMaskedWhole) {
  Arena arena;
  MaskContext ctx;
  Node* secret = Parse(R"(apiVersion: v1
kind: Secret
metadata:
  name: s
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: 'not json hunter2'
)", arena);
  MaskSecretValues(secret, arena, ctx);
  EXPECT_EQ(Emit(secret).find("hunter2"), std::string::npos);
}

TEST(SecretMaskTest, ScrubRemovesSeenValuesFromErrorText) {
  Arena arena;
  MaskContext ctx;
  Node* secret = Parse(kSecret, arena);
  MaskSecretValues(secret, arena, ctx);
  std::string error = ctx.Scrub(
      R"(Secret "db" is invalid: data[password]: Invalid value: "aHVudGVyMg==": token s3cr3t-value rejected)");
  EXPECT_EQ(error.find("aHVudGVyMg"), std::string::npos) << error;
  EXPECT_EQ(error.find("s3cr3t-value"), std::string::npos) << error;
  EXPECT_NE(error.find("is invalid"), std::string::npos);
}

}  // namespace
}  // namespace skiff::sync
