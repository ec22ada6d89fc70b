// EmitYaml against the oracle: each test writes a resource file into a fresh
// kustomization, runs `kubectl kustomize` on it, and requires skiff's
// parse-then-emit of the same file to print the same bytes.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "yaml/yaml.h"

namespace skiff {
namespace {

bool HaveKubectl() { return std::system("command -v kubectl >/dev/null 2>&1") == 0; }

std::string RunKustomize(const std::string& dir) {
  std::string cmd = "kubectl kustomize " + dir + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  pclose(p);
  return out;
}

// The oracle's output for `resource_yaml`, and skiff's.
struct Outputs {
  std::string oracle;
  std::string skiff;
};

Outputs RenderBoth(const std::string& resource_yaml) {
  char tmpl[] = "/tmp/skiff-yaml-emit-XXXXXX";
  std::string dir = mkdtemp(tmpl);
  std::ofstream(dir + "/kustomization.yaml") << "resources:\n- r.yaml\n";
  std::ofstream(dir + "/r.yaml") << resource_yaml;
  Outputs o;
  o.oracle = RunKustomize(dir);
  std::filesystem::remove_all(dir);
  Arena arena;
  auto docs = ParseYamlStream(resource_yaml, "r.yaml", arena);
  if (!docs.ok()) {
    o.skiff = "parse error: " + docs.error().message;
    return o;
  }
  std::vector<const Node*> roots;
  for (const YamlDocument& d : *docs) roots.push_back(d.root);
  EmitYamlStream(roots, o.skiff);
  return o;
}

// Points at the first differing line so a failure is readable.
std::string FirstDifference(const std::string& a, const std::string& b) {
  size_t line = 1, start = 0;
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
    if (a[i] != b[i]) {
      size_t ea = a.find('\n', i), eb = b.find('\n', i);
      return "line " + std::to_string(line) + "\n oracle: " + a.substr(start, ea - start) +
             "\n  skiff: " + b.substr(start, eb - start);
    }
    if (a[i] == '\n') {
      ++line;
      start = i + 1;
    }
  }
  return "lengths " + std::to_string(a.size()) + " vs " + std::to_string(b.size());
}

void ExpectSameAsOracle(const std::string& resource_yaml) {
  Outputs o = RenderBoth(resource_yaml);
  EXPECT_EQ(o.oracle, o.skiff) << FirstDifference(o.oracle, o.skiff);
}

std::string Thing(const std::string& spec_body) {
  return "apiVersion: example.com/v1\nkind: Thing\nmetadata:\n  name: t\nspec:\n" + spec_body;
}

// Values as written in the source, one per key; several are double-quoted
// YAML so the file can carry control characters and odd whitespace.
const char* const kScalars[] = {
    "hello world",
    "\"true\"", "\"yes\"", "\"y\"", "\"Y\"", "\"n\"", "\"on\"", "\"Off\"", "\"yEs\"", "\"NULL\"",
    "\"~\"", "\"\"", "\"123\"", "\"0755\"", "\"1_000\"", "\"1:20\"", "\"1.5\"", "\"1e3\"",
    "\".inf\"", "\"2001-12-14\"", "\"0x1F\"", "\"-\"", "\"- a\"", "\"a: b\"", "\"a #b\"",
    "\"#c\"", "\" lead\"", "\"trail \"", "\"tab\\there\"", "\"ctrl\\x01\"", "\"bell\\a\"",
    "\"crlf\\r\\nx\"", "\"cr\\r\"", "\"h\u00e9llo \u2713 \u65e5\u672c\"", "\"emoji \U0001F600\"",
    "\"\\u2028sep\"", "\"nbsp\\u00a0x\"", "\"*star\"", "\"&amp\"", "\"!bang\"", "\"%pct\"",
    "\"@at\"", "\"`tick\"", "\"{brace\"", "\"[br\"", "\"a,b\"", "\"?q\"", "\"|pipe\"", "\">gt\"",
    "\"'sq'\"", "\"\\\"dq\\\"\"", "\"back\\\\slash\"", "\"0o17\"", "\"+1\"", "\"1_\"", "\"=eq\"",
    "\"1:2:3.5\"", "\"2001-12-14T21:59:43\"", "\"<<\"", "\"multi\\n\\nblank\"",
    "\"trailing space \\nx\"", "\"\\ttab start\\nx\"", "\"  two lead\\nx\\n\"", "\"x\\n\\n\\n\"",
    "\"\\ufeffbom\"", "\"a\\u0085b\"", "\"a \\u0085\\u0085  b\"", "\"a\\u0085\"",
    "\"\\u0085a\"", "\"x\\u0085 \\u0085y\"",
    "0755", "1_000", "+1", "0x10", "0o17", "0b101", "1.0", "1e3", "1e20", "1e21", "1.5e-7",
    "123456789.5", "-0.0", "0.000001", "9223372036854775808", "18446744073709551616",
    "-9223372036854775809", "-9223372036854775808.0", "-9223372036854774784.0",
    "9223372036854775808.0", "12345678901234567890.5", "18446744073709549568.0", "1234567.5", "100000.5", "0.0001", "08", "true", "True", "~", "null",
    "", "2001-12-14", "2001-12-14 21:59:43.10 -5", "yes", "No", "OFF",
    "!!str 12", "!!float 3", "'single ''quoted'''",
};

TEST(YamlEmitterOracle, ScalarsMatchKubectlKustomize) {
  if (!HaveKubectl()) GTEST_SKIP() << "kubectl not installed";
  std::string body;
  char key[16];
  int i = 0;
  for (const char* v : kScalars) {
    std::snprintf(key, sizeof key, "k%03d", i++);
    body += std::string("  ") + key + ": " + v + "\n";
  }
  ExpectSameAsOracle(Thing(body));
}

TEST(YamlEmitterOracle, BlockScalarsMatch) {
  if (!HaveKubectl()) GTEST_SKIP() << "kubectl not installed";
  ExpectSameAsOracle(Thing(
      "  a: |\n    line1\n    line2\n"
      "  b: |-\n    no newline\n    at end\n"
      "  c: |2\n      indented first\n    second\n"
      "  d: >\n    folded\n    text\n\n    para\n"
      "  e: \"windows\\r\\nline\\r\\n\"\n"
      "  f: \"tail spaces  \\n  \\n\"\n"
      "  zz: |+\n    keep\n\n\n"));
}

TEST(YamlEmitterOracle, LongStringsWrapAt80ColumnsAtEveryDepth) {
  if (!HaveKubectl()) GTEST_SKIP() << "kubectl not installed";
  std::string words;
  for (int i = 0; i < 30; ++i) words += "word" + std::to_string(i) + (i % 7 == 3 ? "  " : " ");
  words += "end";
  std::string nospace(150, 'x');
  std::string unicode;
  for (int i = 0; i < 25; ++i) unicode += "\u00fcber\u65e5 ";
  ExpectSameAsOracle(Thing("  plain: " + words + "\n  quoted: \"yes " + words + "\"\n" +
                           "  single: \"#" + words + "\"\n  nospace: " + nospace + "\n" +
                           "  unicode: " + unicode + "x\n" +
                           "  deep:\n    a:\n      b:\n        c:\n          d: " + words +
                           "\n  list:\n  - " + words + "\n  - - nested " + words +
                           "\n  - key: " + words + "\n    other: \"tab\\t" + words + "\"\n"));
}

TEST(YamlEmitterOracle, StructuresAndKeyOrder) {
  if (!HaveKubectl()) GTEST_SKIP() << "kubectl not installed";
  ExpectSameAsOracle(Thing(
      "  emptyMap: {}\n  emptyList: []\n  nullValue: null\n"
      "  listOfMaps:\n  - b: 1\n    a: 2\n  - {}\n  - []\n  - - x\n    - y\n"
      "  keys:\n    b: 1\n    B: 2\n    a: 3\n    _u: 4\n    \"1\": 5\n    \"-\": 6\n"
      "    a2: 7\n    a10: 8\n    a1: 9\n    Z: 10\n    \"yes\": 11\n    \"on\": 12\n"
      "    \"a b\": 13\n    \"x:y\": 14\n    z9: 15\n    z10: 16\n    \u00e9t\u00e9: 17\n"
      "    \"n\": 18\n    \"y\": 19\n    \"2\": 20\n    \"10\": 21\n    ab: 22\n    aB: 23\n"
      "    a.b: 24\n    a-b: 25\n    a_b: 26\n    \"#\": 27\n"
      "  seqInSeq:\n  - - - deep\n"));
}

TEST(YamlEmitterOracle, MultipleDocumentsJoinLikeKustomize) {
  if (!HaveKubectl()) GTEST_SKIP() << "kubectl not installed";
  // The oracle sorts resources (by kind here); list them already in order.
  ExpectSameAsOracle(
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: |+\n    v\n\n"
      "---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: b\ntype: Opaque\n"
      "---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: c\nspec:\n  replicas: 1\n");
}

TEST(YamlEmitter, KeyOrderIsDeterministicWhereKustomizesIsNot) {
  // a10 < a1a < a9 < a10 in go-yaml's order: kubectl kustomize prints these
  // keys in varying orders from run to run; skiff prints one order always.
  Arena arena;
  auto docs = ParseYamlStream("a9: 1\na09: 2\na10: 3\na1a: 4\na1b: 5\n", "k.yaml", arena);
  ASSERT_TRUE(docs.ok());
  std::string first;
  EmitYaml((*docs)[0].root, first);
  for (int i = 0; i < 20; ++i) {
    std::string again;
    EmitYaml((*docs)[0].root, again);
    ASSERT_EQ(again, first);
  }
  for (const char* key : {"a9:", "a09:", "a10:", "a1a:", "a1b:"}) {
    EXPECT_NE(first.find(key), std::string::npos) << key;
  }
}

TEST(YamlEmitter, ByteOrderMarkStringsRoundTripBesideLookalikeText) {
  // Found by fuzzing: a plain value spelling the escaped placeholder that
  // stands in for a string starting with U+FEFF must stay untouched.
  Arena arena;
  std::string text =
      "- \xEF\xBB\xBF../base\n- k: \\\"\\uFFFE\\uFFFE0\"\n- \"\\uFEFFx y\"\n";
  auto docs = ParseYamlStream(text, "b.yaml", arena);
  ASSERT_TRUE(docs.ok()) << docs.error().message;
  std::string once;
  EmitYaml((*docs)[0].root, once);
  auto again = ParseYamlStream(once, "once.yaml", arena);
  ASSERT_TRUE(again.ok()) << again.error().message << "\n" << once;
  EXPECT_TRUE(DeepEqual((*docs)[0].root, (*again)[0].root, true)) << once;
  std::string twice;
  EmitYaml((*again)[0].root, twice);
  EXPECT_EQ(once, twice);
}

TEST(YamlEmitter, NullRootAndEmptyCollections) {
  Arena arena;
  Node* m = arena.NewMap();
  m->Set("m", arena.NewMap());
  m->Set("s", arena.NewSeq());
  m->Set("n", arena.NewNull());
  std::string out;
  EmitYaml(m, out);
  EXPECT_EQ(out, "m: {}\n\"n\": null\ns: []\n");
}

TEST(YamlEmitter, InvalidUtf8BecomesReplacementCharacter) {
  Arena arena;
  Node* m = arena.NewMap();
  m->Set("k", arena.NewString("a\xff" "b"));
  std::string out;
  EmitYaml(m, out);
  EXPECT_EQ(out, "k: a\xEF\xBF\xBD" "b\n");
}

}  // namespace
}  // namespace skiff
