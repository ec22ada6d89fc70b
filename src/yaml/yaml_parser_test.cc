#include <gtest/gtest.h>

#include <string>

#include "yaml/yaml.h"

namespace skiff {
namespace {

Node* ParseOne(Arena& arena, std::string_view text) {
  auto docs = ParseYamlStream(text, "in.yaml", arena);
  EXPECT_TRUE(docs.ok()) << (docs.ok() ? "" : docs.error().message);
  if (!docs.ok() || docs->empty()) return nullptr;
  return (*docs)[0].root;
}

std::string ParseError(std::string_view text, const ParseLimits& limits = {}) {
  Arena arena;
  auto docs = ParseYamlStream(text, "bad.yaml", arena, limits);
  EXPECT_FALSE(docs.ok());
  return docs.ok() ? "" : docs.error().message;
}

TEST(YamlParser, MapsKeepOrderAndPositions) {
  Arena arena;
  Node* root = ParseOne(arena, "zeta: 1\nalpha:\n  nested: x\nmid: [a, b]\n");
  ASSERT_NE(root, nullptr);
  ASSERT_TRUE(root->IsMap());
  ASSERT_EQ(root->entries().size(), 3u);
  EXPECT_EQ(root->entries()[0].key, "zeta");
  EXPECT_EQ(root->entries()[1].key, "alpha");
  EXPECT_EQ(root->entries()[2].key, "mid");
  EXPECT_EQ(root->entries()[1].key_pos.line, 2u);
  const Node* nested = root->GetPath({"alpha", "nested"});
  ASSERT_NE(nested, nullptr);
  EXPECT_EQ(nested->pos().line, 3u);
  EXPECT_EQ(nested->pos().column, 11u);
  EXPECT_EQ(nested->file(), "in.yaml");
  EXPECT_EQ(root->Get("mid")->items().size(), 2u);
}

TEST(YamlParser, KeysAreInterned) {
  Arena arena;
  Node* root = ParseOne(arena, "- {name: a}\n- {name: b}\n");
  ASSERT_NE(root, nullptr);
  EXPECT_EQ(root->items()[0]->entries()[0].key.data(), root->items()[1]->entries()[0].key.data());
  EXPECT_EQ(root->items()[0]->entries()[0].key.data(), InternKey("name").data());
}

struct KindCase {
  const char* text;
  NodeKind kind;
};

// Each expectation was checked against `kubectl kustomize` (kustomize v5.5.0
// reading with go-yaml v3): ints print as numbers, strings as strings.
TEST(YamlParser, ResolvesPlainScalarsLikeKustomizesReader) {
  const KindCase cases[] = {
      {"~", NodeKind::kNull},        {"null", NodeKind::kNull},      {"Null", NodeKind::kNull},
      {"NULL", NodeKind::kNull},     {"true", NodeKind::kBool},      {"True", NodeKind::kBool},
      {"FALSE", NodeKind::kBool},    {"tRue", NodeKind::kString},    {"yes", NodeKind::kString},
      {"on", NodeKind::kString},     {"0755", NodeKind::kInt},       {"1_000", NodeKind::kInt},
      {"+1", NodeKind::kInt},        {"0x10", NodeKind::kInt},       {"0o17", NodeKind::kInt},
      {"0O17", NodeKind::kInt},      {"0b101", NodeKind::kInt},      {"-0b11", NodeKind::kInt},
      {"0x_1F", NodeKind::kInt},     {"1__0", NodeKind::kInt},       {"1_", NodeKind::kInt},
      {"_1", NodeKind::kString},     {"08", NodeKind::kFloat},       {"1.0", NodeKind::kFloat},
      {"1e3", NodeKind::kFloat},     {".5", NodeKind::kFloat},       {"5.", NodeKind::kFloat},
      {".inf", NodeKind::kFloat},    {"-.Inf", NodeKind::kFloat},    {".NaN", NodeKind::kFloat},
      {"0x1p3", NodeKind::kString},  {"1:20", NodeKind::kString},    {"0o", NodeKind::kString},
      {"0x", NodeKind::kString},     {"1.2.3", NodeKind::kString},   {"1e400", NodeKind::kString},
      {"9223372036854775808", NodeKind::kInt},
      {"18446744073709551615", NodeKind::kInt},
      {"18446744073709551616", NodeKind::kFloat},
      {"-9223372036854775809", NodeKind::kFloat},
      {"2001-12-14T21:59:43", NodeKind::kString},
  };
  for (const KindCase& c : cases) {
    Arena arena;
    std::string text = std::string("v: ") + c.text + "\n";
    Node* root = ParseOne(arena, text);
    ASSERT_NE(root, nullptr) << c.text;
    const Node* v = root->Get("v");
    EXPECT_EQ(static_cast<int>(v->kind()), static_cast<int>(c.kind)) << c.text;
    EXPECT_EQ(v->scalar(), c.text);
  }
}

TEST(YamlParser, EmptyValueIsNullWithEmptyText) {
  Arena arena;
  Node* root = ParseOne(arena, "v:\n");
  EXPECT_TRUE(root->Get("v")->IsNull());
  EXPECT_EQ(root->Get("v")->scalar(), "");
}

TEST(YamlParser, QuotedAndBlockScalarsAreStringsWithStyle) {
  Arena arena;
  Node* root = ParseOne(arena, "a: \"1\"\nb: 'true'\nc: |\n  x\n  y\nd: >-\n  p\n  q\ne: \"t\\tab\"\n");
  EXPECT_EQ(root->Get("a")->kind(), NodeKind::kString);
  EXPECT_EQ(root->Get("a")->style(), ScalarStyle::kDoubleQuoted);
  EXPECT_EQ(root->Get("b")->kind(), NodeKind::kString);
  EXPECT_EQ(root->Get("b")->style(), ScalarStyle::kSingleQuoted);
  EXPECT_EQ(root->Get("c")->scalar(), "x\ny\n");
  EXPECT_EQ(root->Get("c")->style(), ScalarStyle::kLiteral);
  EXPECT_EQ(root->Get("d")->scalar(), "p q");
  EXPECT_EQ(root->Get("d")->style(), ScalarStyle::kFolded);
  EXPECT_EQ(root->Get("e")->scalar(), "t\tab");
}

TEST(YamlParser, ExplicitTagsOverrideResolution) {
  Arena arena;
  Node* root = ParseOne(arena, "a: !!str 3\nb: !!int \"3\"\nc: !!float 3\nd: !!bool \"true\"\n");
  EXPECT_EQ(root->Get("a")->kind(), NodeKind::kString);
  EXPECT_EQ(root->Get("b")->kind(), NodeKind::kInt);
  EXPECT_EQ(root->Get("c")->kind(), NodeKind::kFloat);
  EXPECT_EQ(root->Get("d")->kind(), NodeKind::kBool);
  EXPECT_NE(ParseError("a: !!int abc\n").find("bad.yaml:1:4"), std::string::npos);
}

TEST(YamlParser, TimestampsBecomeRfc3339Strings) {
  // kustomize reads these as times and prints them in RFC 3339.
  const std::pair<const char*, const char*> cases[] = {
      {"2001-12-14", "2001-12-14T00:00:00Z"},
      {"2002-1-1", "2002-01-01T00:00:00Z"},
      {"2001-12-14t21:59:43.10-05:00", "2001-12-14T21:59:43.1-05:00"},
      {"2001-12-14 21:59:43.10", "2001-12-14T21:59:43.1Z"},
      {"2001-12-14T21:59:43.123456789+01:30", "2001-12-14T21:59:43.123456789+01:30"},
      {"2001-12-14 21:59:43.10 -5", "2001-12-14 21:59:43.10 -5"},
      {"2001-02-30", "2001-02-30"},
  };
  for (const auto& [in, want] : cases) {
    Arena arena;
    Node* root = ParseOne(arena, std::string("v: ") + in + "\n");
    EXPECT_EQ(root->Get("v")->kind(), NodeKind::kString) << in;
    EXPECT_EQ(root->Get("v")->scalar(), want) << in;
  }
}

TEST(YamlParser, MultipleDocumentsAndEmptyOnes) {
  Arena arena;
  auto docs = ParseYamlStream("a: 1\n---\n---\nb: 2\n...\n--- ~\n", "s.yaml", arena);
  ASSERT_TRUE(docs.ok()) << docs.error().message;
  ASSERT_EQ(docs->size(), 4u);
  EXPECT_NE((*docs)[0].root, nullptr);
  EXPECT_EQ((*docs)[1].root, nullptr);
  EXPECT_EQ((*docs)[2].root->Get("b")->scalar(), "2");
  EXPECT_EQ((*docs)[2].pos.line, 3u);
  EXPECT_EQ((*docs)[3].root, nullptr);
}

TEST(YamlParser, EmptyStreamHasNoDocuments) {
  Arena arena;
  auto docs = ParseYamlStream("", "e.yaml", arena);
  ASSERT_TRUE(docs.ok());
  EXPECT_TRUE(docs->empty());
}

TEST(YamlParser, AliasesAreExpandedAsIndependentCopies) {
  Arena arena;
  Node* root = ParseOne(arena, "a: &x {k: v}\nb: *x\n");
  Node* a = root->Get("a");
  Node* b = root->Get("b");
  ASSERT_NE(b, nullptr);
  EXPECT_NE(a, b);
  EXPECT_TRUE(DeepEqual(a, b, true));
  b->Set("k", arena.NewString("changed"));
  EXPECT_EQ(a->Get("k")->scalar(), "v");
}

TEST(YamlParser, MergeKeysExplicitKeysWinThenEarlierSources) {
  // Oracle: {<<: [{a: 1}, {a: 2, b: 3}], c: 1} -> a: 1, b: 3, c: 1;
  // {c: 1, <<: {c: 2, d: 2}} -> c: 1, d: 2.
  Arena arena;
  Node* root = ParseOne(arena,
                        "m:\n  <<: [{a: 1}, {a: 2, b: 3}]\n  c: 1\n"
                        "n:\n  c: 1\n  <<: {c: 2, d: 2}\n");
  Node* m = root->Get("m");
  EXPECT_EQ(m->entries().size(), 3u);
  EXPECT_EQ(m->Get("a")->scalar(), "1");
  EXPECT_EQ(m->Get("b")->scalar(), "3");
  Node* n = root->Get("n");
  EXPECT_EQ(n->entries().size(), 2u);
  EXPECT_EQ(n->Get("c")->scalar(), "1");
  EXPECT_EQ(n->Get("d")->scalar(), "2");
  EXPECT_EQ(n->Get("<<"), nullptr);
}

TEST(YamlParser, DuplicateKeyIsAnErrorLikeKustomize) {
  // kubectl kustomize: `line 14: mapping key "dup" already defined at line 13`.
  std::string err = ParseError("a: 1\ndup: 1\ndup: 2\n");
  EXPECT_EQ(err, "bad.yaml:3:1: mapping key \"dup\" already defined at line 2");
}

TEST(YamlParser, DuplicateKeyFoundInLargeMaps) {
  std::string text;
  for (int i = 0; i < 100; ++i) text += "k" + std::to_string(i) + ": v\n";
  text += "k7: again\n";
  EXPECT_NE(ParseError(text).find("bad.yaml:101:1: mapping key \"k7\""), std::string::npos);
}

TEST(YamlParser, MalformedYamlNamesFileLineColumnAndProblem) {
  std::string err = ParseError("a: 1\nb: [1, 2\nc: 3\n");
  EXPECT_EQ(err.rfind("bad.yaml:", 0), 0u) << err;
  EXPECT_NE(err.find("did not find expected ',' or ']'"), std::string::npos) << err;
  err = ParseError("a:\n  b: 1\n c: 2\n");
  EXPECT_NE(err.find("bad.yaml:3:"), std::string::npos) << err;
  err = ParseError("key: \"unterminated\n");
  EXPECT_NE(err.find("bad.yaml:"), std::string::npos) << err;
}

TEST(YamlParser, UnknownAliasIsAnError) {
  EXPECT_NE(ParseError("a: *nope\n").find("unknown anchor 'nope'"), std::string::npos);
}

TEST(YamlParser, BillionLaughsStopsAtAliasLimit) {
  std::string text = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  char prev = 'a';
  for (char c = 'b'; c <= 'j'; ++c, ++prev) {
    text += std::string(1, c) + ": &" + c + " [";
    for (int i = 0; i < 10; ++i) text += std::string(i ? ", *" : "*") + prev;
    text += "]\n";
  }
  std::string err = ParseError(text);
  EXPECT_NE(err.find("max_alias_expansions (10000)"), std::string::npos) << err;
  EXPECT_EQ(err.rfind("bad.yaml:", 0), 0u) << err;
}

TEST(YamlParser, DeepNestingStopsAtDepthLimit) {
  std::string text(100000, '[');
  std::string err = ParseError(text);
  EXPECT_NE(err.find("max_depth (512)"), std::string::npos) << err;
  ParseLimits small;
  small.max_depth = 3;
  EXPECT_NE(ParseError("a: {b: {c: {d: 1}}}\n", small).find("bad.yaml:1:12: nesting"),
            std::string::npos);
}

TEST(YamlParser, SizeLimitsNameTheLimit) {
  ParseLimits limits;
  limits.max_stream_bytes = 10;
  EXPECT_NE(ParseError("a: 0123456789\n", limits).find("max_stream_bytes (10)"),
            std::string::npos);
  limits = ParseLimits();
  limits.max_document_bytes = 20;
  std::string err = ParseError("a: 1\n---\nb: " + std::string(40, 'x') + "\n", limits);
  EXPECT_NE(err.find("bad.yaml:3:"), std::string::npos) << err;
  EXPECT_NE(err.find("max_document_bytes (20)"), std::string::npos) << err;
}

TEST(YamlParser, NonScalarKeyIsAnError) {
  EXPECT_NE(ParseError("? [a]\n: b\n").find("map keys must be scalars"), std::string::npos);
}

}  // namespace
}  // namespace skiff

namespace skiff {
namespace {

// kustomize rejects a resource map whose keys decode to anything but
// strings; quoted or !!str keys and the merge key stay legal.
TEST(YamlParser, RequireStringKeysRejectsTypedKeysWithPosition) {
  ParseLimits strict;
  strict.require_string_keys = true;
  for (std::string_view key : {"1", "0x10", "1.5", "true", "~", ".inf", "2001-01-01", "!!int 7"}) {
    std::string text = "data:\n  a: v\n  " + std::string(key) + ": x\n";
    std::string err = ParseError(text, strict);
    EXPECT_NE(err.find("bad.yaml:3:3"), std::string::npos) << key << ": " << err;
    EXPECT_NE(err.find("not a string"), std::string::npos) << key << ": " << err;
  }
  Arena arena;
  auto ok = ParseYamlStream("base: &b {k: v}\nm:\n  <<: *b\n  \"1\": a\n  !!str 2: b\n"
                            "  2001-01-01x: c\n  .infx: d\n",
                            "ok.yaml", arena, strict);
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  const Node* m = (*ok)[0].root->Get("m");
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->entries().size(), 5u);
  // Without the option (kustomization files) typed keys read as their text.
  Node* lax = ParseOne(arena, "1: a\ntrue: b\n");
  ASSERT_NE(lax, nullptr);
  EXPECT_NE(lax->Get("1"), nullptr);
}

}  // namespace
}  // namespace skiff
