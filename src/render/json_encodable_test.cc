#include "render/json_encodable.h"

#include <gtest/gtest.h>

#include <string>

#include "render/resource_loader.h"

namespace skiff {
namespace {

// Loads one ConfigMap whose data holds `value` under key `k` and checks it.
Status CheckValue(std::string_view value) {
  Arena arena;
  std::string text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  k: " +
                     std::string(value) + "\n";
  auto rs = LoadResources(text, "/k/cm.yaml", arena);
  EXPECT_TRUE(rs.ok()) << rs.error().message;
  if (!rs.ok() || rs->size() != 1) return MakeError("load failed");
  return CheckJsonEncodable((*rs)[0]);
}

// Each rejected input here was checked against `kubectl kustomize`, which
// fails on it ("json: unsupported value" / "control characters are not
// allowed"); each accepted one renders there.
TEST(JsonEncodableTest, RejectsInfinityAndNanNamingFileLineAndField) {
  for (std::string_view v : {".inf", "-.inf", "+.INF", ".nan", ".NaN", "!!float .inf"}) {
    Status s = CheckValue(v);
    ASSERT_FALSE(s.ok()) << v;
    EXPECT_NE(s.error().message.find("/k/cm.yaml:6"), std::string::npos) << s.error().message;
    EXPECT_NE(s.error().message.find("data.k"), std::string::npos) << s.error().message;
  }
  for (std::string_view v : {"\".inf\"", "1.5", "1e400", "inf", "nan", "'.nan'"}) {
    EXPECT_TRUE(CheckValue(v).ok()) << v;
  }
}

TEST(JsonEncodableTest, RejectsCharactersJsonLeavesRawButYamlForbids) {
  for (std::string_view v : {"\"a\\x7fb\"", "\"\\u0080\"", "\"\\u009f\"", "\"\\uFFFE\"",
                             "\"\\uFFFF\""}) {
    Status s = CheckValue(v);
    ASSERT_FALSE(s.ok()) << v;
    EXPECT_NE(s.error().message.find("control character"), std::string::npos);
  }
  // JSON escapes C0 controls; U+0085, U+00A0, U+2028 and astral characters
  // are allowed in YAML.
  for (std::string_view v : {"\"\\x01\\t\\r\"", "\"\\u0085\"", "\"\\u00a0\"", "\"\\u2028\"",
                             "\"\\U0001F600\"", "\"\\uFFFD\""}) {
    EXPECT_TRUE(CheckValue(v).ok()) << v;
  }
}

TEST(JsonEncodableTest, RejectsControlCharacterInKeyAndUsesOriginForMadeNodes) {
  Arena arena;
  auto rs = LoadResources("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n"
                          "  \"k\\x7f\": a\n",
                          "/k/cm.yaml", arena);
  ASSERT_TRUE(rs.ok()) << rs.error().message;
  Status s = CheckJsonEncodable((*rs)[0]);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("/k/cm.yaml:6"), std::string::npos) << s.error().message;

  Resource made = (*rs)[0];
  made.origin = Origin{"/k/kustomization.yaml", 3};
  made.root->Get("data")->Set(InternKey("j"), arena.NewScalar(NodeKind::kFloat, "-.Inf"));
  made.root->Get("data")->entries().erase(made.root->Get("data")->entries().begin());
  s = CheckJsonEncodable(made);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("/k/kustomization.yaml:3"), std::string::npos)
      << s.error().message;
}

}  // namespace
}  // namespace skiff
