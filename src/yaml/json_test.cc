#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "yaml/yaml.h"

namespace skiff {
namespace {

std::string Compact(std::string_view json, bool sort_keys = false) {
  Arena arena;
  auto root = ParseJson(json, arena);
  EXPECT_TRUE(root.ok()) << (root.ok() ? "" : root.error().message);
  std::string out;
  if (root.ok()) EmitJson(*root, out, sort_keys);
  return out;
}

TEST(Json, ParsesIntoModelKeepingNumberText) {
  Arena arena;
  auto root = ParseJson(R"({"b": 1, "a": [1.50, -2, 3e2, true, null, "s\n\u00e9"], "c": {}})",
                        arena);
  ASSERT_TRUE(root.ok()) << root.error().message;
  Node* n = *root;
  ASSERT_TRUE(n->IsMap());
  EXPECT_EQ(n->entries()[0].key, "b");
  EXPECT_EQ(n->entries()[0].key.data(), InternKey("b").data());
  const Node* a = n->Get("a");
  ASSERT_EQ(a->items().size(), 6u);
  EXPECT_EQ(a->items()[0]->kind(), NodeKind::kFloat);
  EXPECT_EQ(a->items()[0]->scalar(), "1.50");
  EXPECT_EQ(a->items()[1]->kind(), NodeKind::kInt);
  EXPECT_EQ(a->items()[1]->scalar(), "-2");
  EXPECT_EQ(a->items()[2]->kind(), NodeKind::kFloat);
  EXPECT_EQ(a->items()[3]->kind(), NodeKind::kBool);
  EXPECT_TRUE(a->items()[4]->IsNull());
  EXPECT_EQ(a->items()[5]->scalar(), "s\n\xC3\xA9");
  EXPECT_TRUE(n->Get("c")->IsMap());
}

TEST(Json, ScalarRootsAndErrors) {
  EXPECT_EQ(Compact("42"), "42");
  EXPECT_EQ(Compact("\"x\""), "\"x\"");
  Arena arena;
  EXPECT_FALSE(ParseJson("{\"a\": }", arena).ok());
  EXPECT_FALSE(ParseJson("[1, 2", arena).ok());
  EXPECT_FALSE(ParseJson("{} {}", arena).ok());
  EXPECT_FALSE(ParseJson("", arena).ok());
  std::string deep(600, '[');
  deep += std::string(600, ']');
  EXPECT_FALSE(ParseJson(deep, arena).ok());
}

TEST(Json, EmitsGoEncodingJsonEscapes) {
  // Go's encoding/json: HTML-safe escapes, U+2028/9 escaped, control bytes as
  // \u00XX except \b \f \n \r \t, DEL and other UTF-8 left as is.
  Arena arena;
  Node* s = arena.NewString("<a href=\"x\">&amp;</a>\\ \u2028\u2029\x01\x1f\x7f\b\f\n\r\t\u00e9");
  std::string out;
  EmitJson(s, out);
  EXPECT_EQ(out,
            "\"\\u003ca href=\\\"x\\\"\\u003e\\u0026amp;\\u003c/a\\u003e\\\\ \\u2028\\u2029"
            "\\u0001\\u001f\x7f\\b\\f\\n\\r\\t\u00e9\"");
}

TEST(Json, InvalidUtf8BecomesReplacementEscape) {
  Arena arena;
  std::string out;
  EmitJson(arena.NewString("a\xff\xe2\x82z"), out);
  EXPECT_EQ(out, "\"a\\ufffd\\ufffd\\ufffdz\"");
}

TEST(Json, NumbersAsGoWritesTheValuesRead) {
  Arena arena;
  Node* seq = arena.NewSeq();
  seq->Append(arena.NewScalar(NodeKind::kInt, "0755"));
  seq->Append(arena.NewScalar(NodeKind::kFloat, "1.0"));
  seq->Append(arena.NewScalar(NodeKind::kFloat, "1e21"));
  seq->Append(arena.NewScalar(NodeKind::kFloat, "1.5e-7"));
  seq->Append(arena.NewBool(true));
  seq->Append(arena.NewNull());
  std::string out;
  EmitJson(seq, out);
  EXPECT_EQ(out, "[493,1,1e+21,1.5e-7,true,null]");
}

TEST(Json, SortKeysByteOrderOrInsertionOrder) {
  EXPECT_EQ(Compact(R"({"b":1,"a":{"z":1,"B":2,"_":3},"A":2})", true),
            R"({"A":2,"a":{"B":2,"_":3,"z":1},"b":1})");
  EXPECT_EQ(Compact(R"({"b":1,"a":2})"), R"({"b":1,"a":2})");
}

TEST(Json, RoundTripsThroughYaml) {
  Arena arena;
  auto docs = ParseYamlStream("a: [1, 2.5, x, null, true]\nb: {c: \"d\"}\n", "f.yaml", arena);
  ASSERT_TRUE(docs.ok());
  std::string json;
  EmitJson((*docs)[0].root, json);
  EXPECT_EQ(json, R"({"a":[1,2.5,"x",null,true],"b":{"c":"d"}})");
  auto back = ParseJson(json, arena);
  ASSERT_TRUE(back.ok());
  EXPECT_TRUE(DeepEqual((*docs)[0].root, *back, true));
}

// The generator hash kustomize puts in a ConfigMap's name is a SHA-256 of Go
// JSON; matching it for tricky values checks EmitJson against the oracle.
std::string RunCommand(const std::string& cmd) {
  FILE* p = popen(cmd.c_str(), "r");
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  pclose(p);
  return out;
}

std::string HashSuffix(const std::string& json) {
  char tmpl[] = "/tmp/skiff-json-hash-XXXXXX";
  int fd = mkstemp(tmpl);
  std::string path = tmpl;
  FILE* f = fdopen(fd, "w");
  fwrite(json.data(), 1, json.size(), f);
  fclose(f);
  std::string hex = RunCommand("sha256sum " + path);
  std::filesystem::remove(path);
  std::string suffix = hex.substr(0, 10);
  for (char& c : suffix) {
    switch (c) {
      case '0': c = 'g'; break;
      case '1': c = 'h'; break;
      case '3': c = 'k'; break;
      case 'a': c = 'm'; break;
      case 'e': c = 't'; break;
      default: break;
    }
  }
  return suffix;
}

TEST(JsonOracle, ConfigMapHashMatchesKustomize) {
  if (std::system("command -v kubectl >/dev/null 2>&1 && command -v sha256sum >/dev/null") != 0) {
    GTEST_SKIP() << "kubectl or sha256sum missing";
  }
  const std::pair<const char*, const char*> data[] = {
      {"html", "<b>&amp;</b>"},       {"quote", "say \"hi\" \\o/"},
      {"uni", "h\u00e9llo \u65e5\u672c \U0001F600"}, {"sep", "a\u2028b\u2029c"},
      {"tab", "a\tb"},                {"ctl", "bell\x07 esc\x1b"},
  };
  char tmpl[] = "/tmp/skiff-json-oracle-XXXXXX";
  std::string dir = mkdtemp(tmpl);
  {
    std::ofstream k(dir + "/kustomization.yaml");
    k << "configMapGenerator:\n- name: cm\n  envs:\n  - vals.env\n";
    std::ofstream env(dir + "/vals.env");
    for (const auto& [key, value] : data) env << key << "=" << value << "\n";
  }
  std::string rendered = RunCommand("kubectl kustomize " + dir + " 2>&1");
  std::filesystem::remove_all(dir);
  size_t at = rendered.find("name: cm-");
  ASSERT_NE(at, std::string::npos) << rendered;
  std::string oracle_suffix = rendered.substr(at + 9, 10);

  Arena arena;
  Node* cm = arena.NewMap();
  Node* values = arena.NewMap();
  for (const auto& [key, value] : data) values->Set(key, arena.NewString(value));
  cm->Set("kind", arena.NewString("ConfigMap"));
  cm->Set("name", arena.NewString(""));
  cm->Set("data", values);
  std::string json;
  EmitJson(cm, json, /*sort_keys=*/true);
  EXPECT_EQ(HashSuffix(json), oracle_suffix) << json;
}

TEST(JsonOracle, EmptyConfigMapHashVector) {
  if (std::system("command -v sha256sum >/dev/null") != 0) GTEST_SKIP();
  Arena arena;
  Node* cm = arena.NewMap();
  cm->Set("kind", arena.NewString("ConfigMap"));
  cm->Set("name", arena.NewString(""));
  cm->Set("data", arena.NewString(""));
  std::string json;
  EmitJson(cm, json, true);
  EXPECT_EQ(HashSuffix(json), "6ct58987ht") << json;
}

}  // namespace
}  // namespace skiff
