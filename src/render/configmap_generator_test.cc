#include "render/configmap_generator.h"

#include <gtest/gtest.h>

#include "render/file_loader.h"
#include "render/test_tree.h"
#include "yaml/yaml.h"

namespace skiff {
namespace {

TEST(Base64Lines, ShortValuesStayOnOneLine) {
  EXPECT_EQ(EncodeBase64Lines("v"), "dg==");
  EXPECT_EQ(EncodeBase64Lines("\x80\x81\xff"), "gIH/");
  EXPECT_EQ(EncodeBase64Lines(""), "");
}

TEST(Base64Lines, LongValuesBreakEvery70AndEndWithNewline) {
  // kubectl kustomize printed a 102-byte literal as these two lines.
  std::string value(102, 'a');
  EXPECT_EQ(EncodeBase64Lines(value),
            "YWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYW\n"
            "FhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFh\n");
  // 68 characters stay on one line; 72 are broken after 70.
  EXPECT_EQ(EncodeBase64Lines(std::string(51, 'a')).size(), 68u);
  EXPECT_EQ(EncodeBase64Lines(std::string(52, 'a')).size(), 74u);
  EXPECT_EQ(EncodeBase64Lines(std::string(52, 'a'))[70], '\n');
}

class GeneratorTest : public ::testing::Test {
 protected:
  Result<GeneratorArgs> Args(std::string_view yaml, bool secret) {
    auto docs = ParseYamlStream(yaml, "kustomization.yaml", arena_);
    EXPECT_TRUE(docs.ok());
    return ParseGeneratorArgs((*docs)[0].root, secret, "kustomization.yaml");
  }
  Result<Resource> Make(std::string_view yaml, bool secret) {
    auto args = Args(yaml, secret);
    if (!args.ok()) return args.error();
    auto loader = FileLoader::ForRoot(tree_.root());
    if (!loader.ok()) return loader.error();
    return MakeGeneratedObject(*args, args->options, *loader, arena_);
  }
  Arena arena_;
  testing::TestTree tree_;
};

TEST_F(GeneratorTest, ConfigMapPutsNonUtf8FilesInBinaryData) {
  tree_.Write("bin.dat", "\x80\x81\xff");
  tree_.Write("f.txt", "hello\nworld");
  auto r = Make("name: foo\nfiles: [bin.dat, k2=f.txt]\n", false);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->root->GetPath({"binaryData", "bin.dat"})->scalar(), "gIH/");
  EXPECT_EQ(r->root->GetPath({"data", "k2"})->scalar(), "hello\nworld");
  EXPECT_EQ(r->root->GetPath({"data", "bin.dat"}), nullptr);
  EXPECT_TRUE(r->needs_hash_suffix);
  EXPECT_EQ(r->Id().String(), "~G_v1_ConfigMap|~X|foo");
}

TEST_F(GeneratorTest, SecretEncodesEveryValueAndDefaultsToOpaque) {
  auto r = Make("name: s\nnamespace: ns1\nliterals: [k=v]\n", true);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->root->GetPath({"data", "k"})->scalar(), "dg==");
  EXPECT_EQ(r->root->GetString("type"), "Opaque");
  EXPECT_EQ(r->Namespace(), "ns1");
}

TEST_F(GeneratorTest, EmptySecretHasAnEmptyDataMapButEmptyConfigMapHasNone) {
  auto s = Make("name: t\ntype: my-type\n", true);
  ASSERT_TRUE(s.ok());
  ASSERT_NE(s->root->Get("data"), nullptr);
  EXPECT_TRUE(s->root->Get("data")->entries().empty());
  auto c = Make("name: e\n", false);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->root->Get("data"), nullptr);
}

TEST_F(GeneratorTest, RepeatedKeyIsAnError) {
  tree_.Write("a.env", "A=1\n");
  auto r = Make("name: c\nenvs: [a.env]\nliterals: [A=override]\n", false);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("illegally repeats the key `A`"), std::string::npos);
  EXPECT_NE(r.error().message.find("kustomization.yaml:1"), std::string::npos) << r.error().message;
}

TEST_F(GeneratorTest, DeprecatedEnvIsAppendedToEnvs) {
  auto a = Args("name: c\nenv: a.env\nenvs: [b.env]\n", false);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->sources.env_files, (std::vector<std::string>{"b.env", "a.env"}));
}

TEST_F(GeneratorTest, UnknownBehaviorMeansCreate) {
  auto a = Args("name: c\nbehavior: bogus\n", false);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->behavior, Resource::Behavior::kCreate);
  EXPECT_EQ(Args("name: c\nbehavior: merge\n", false)->behavior, Resource::Behavior::kMerge);
}

TEST_F(GeneratorTest, EntryErrorsNameTheLine) {
  auto missing = Args("literals: [a=1]\n", false);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("must have a name"), std::string::npos);
  auto unknown = Args("name: c\n\nliteral: [a=1]\n", false);
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message.find("kustomization.yaml:3"), std::string::npos)
      << unknown.error().message;
  EXPECT_FALSE(Args("name: c\ntype: x\n", false).ok());  // type is for Secrets only
}

TEST_F(GeneratorTest, OptionsSetLabelsAnnotationsAndImmutable) {
  auto r = Make("name: c\noptions: {labels: {a: x}, annotations: {b: y}, immutable: true, "
                "disableNameSuffixHash: true}\n",
                false);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->root->GetPath({"metadata", "labels", "a"})->scalar(), "x");
  EXPECT_EQ(r->root->GetPath({"metadata", "annotations", "b"})->scalar(), "y");
  EXPECT_EQ(r->root->Get("immutable")->kind(), NodeKind::kBool);
  EXPECT_FALSE(r->needs_hash_suffix);
}

TEST_F(GeneratorTest, NumericNameStaysAString) {
  auto r = Make("name: \"123\"\n", false);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->root->GetPath({"metadata", "name"})->kind(), NodeKind::kString);
}

}  // namespace
}  // namespace skiff
