#include "render/generators.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <map>

#include "render/file_loader.h"
#include "render/test_tree.h"
#include "yaml/yaml.h"

namespace skiff {
namespace {

// Runs the generators of the kustomization in `tree` (its
// configMapGenerator/secretGenerator/generatorOptions fields) on `set`.
class GeneratorsTest : public ::testing::Test {
 protected:
  Status Run(std::string_view kustomization) {
    tree_.Write("kustomization.yaml", kustomization);
    auto docs = ParseYamlStream(kustomization, "kustomization.yaml", arena_);
    if (!docs.ok()) return docs.error();
    const Node* k = (*docs)[0].root;
    auto loader = FileLoader::ForRoot(tree_.root());
    if (!loader.ok()) return loader.error();
    RenderContext ctx{arena_, *loader, "kustomization.yaml", TransformerConfig::Builtin(), warnings_};
    SKIFF_RETURN_IF_ERROR(RunGenerators(k->Get("configMapGenerator"), k->Get("secretGenerator"),
                                        k->Get("generatorOptions"), set_, ctx));
    return ApplyHashSuffixes(set_, ctx);
  }

  void AddResource(std::string_view yaml) {
    auto docs = ParseYamlStream(yaml, "res.yaml", arena_);
    ASSERT_TRUE(docs.ok());
    Resource r;
    r.root = (*docs)[0].root;
    r.origin = Origin{"res.yaml", 1};
    ASSERT_TRUE(set_.Add(std::move(r)).ok());
  }

  std::vector<std::string> SetNames() const {
    std::vector<std::string> out;
    for (const Resource& r : set_) out.emplace_back(r.Name());
    return out;
  }

  Arena arena_;
  testing::TestTree tree_;
  ResourceSet set_;
  std::vector<std::string> warnings_;
};

using Names = std::vector<std::string>;  // expected object names, in set order

TEST_F(GeneratorsTest, NamesMatchKustomizeHashes) {
  // Names as `kubectl kustomize` printed them for this kustomization.
  tree_.Write("a.env", "\xEF\xBB\xBF" "A=1\n  B = 2\n#c\n\nC\nD=x=y \"q\" \r\nE_1=\n");
  tree_.Write("f.txt", "hello\nworld");
  tree_.Write("bin.dat", "\x80\x81\xff");
  Status s = Run(R"(configMapGenerator:
- name: foo
  envs: [a.env]
  literals: ["L1='quoted'", 'L2="dq"', "L3=a=b", "L4='x"]
  files: [f.txt, k2=f.txt, bin.dat]
- name: empty
- name: one
  literals: ["one="]
secretGenerator:
- name: s
  literals: ["k=v", "long=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"]
- name: t
  type: my-type
)");
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(SetNames(), (Names{"foo-bgmk8k5t87", "empty-6ct58987ht", "one-9g67k2htb6", "s-cmg8b7k8m5",
                            "t-t75bgf6ctb"}));
  // The pre-hash name stays known for name references.
  ASSERT_EQ(set_[0].previous_ids.size(), 1u);
  EXPECT_EQ(set_[0].previous_ids[0].name, "foo");
  EXPECT_EQ(set_.Find(set_[0].Id()), 0);
}

TEST_F(GeneratorsTest, GlobalOptionsFoldIntoEachEntry) {
  Status s = Run(R"(generatorOptions:
  labels: {g: "1", both: global}
  immutable: true
configMapGenerator:
- name: c
  options:
    labels: {both: local}
- name: nohash
  options: {disableNameSuffixHash: true, immutable: false}
)");
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(set_[0].root->GetPath({"metadata", "labels", "both"})->scalar(), "local");
  EXPECT_EQ(set_[0].root->GetPath({"metadata", "labels", "g"})->scalar(), "1");
  EXPECT_EQ(set_[1].Name(), "nohash");
  EXPECT_NE(set_[1].root->Get("immutable"), nullptr);
}

TEST_F(GeneratorsTest, MergeKeepsPositionNameAndMetadataAndMergesData) {
  // A base ConfigMap renamed p-plain (namePrefix p-) in namespace default.
  AddResource("apiVersion: v1\nkind: Deployment\nmetadata: {name: first}\n");
  AddResource("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: p-plain\n  namespace: default\n"
              "  labels: {pl: \"1\"}\ndata:\n  x: \"1\"\n  y: old\n");
  set_[1].previous_ids.push_back(ResId{{"", "v1", "ConfigMap"}, "default", "plain"});
  set_[1].name_prefixes = {"p-"};
  Status s = Run("configMapGenerator:\n- name: plain\n  behavior: merge\n  literals: [y=2]\n"
                 "  options: {labels: {ol: \"1\"}}\n");
  ASSERT_TRUE(s.ok()) << s.error().message;
  ASSERT_EQ(set_.size(), 2u);
  const Resource& r = set_[1];
  // kustomize: no hash, because the existing object had none.
  EXPECT_EQ(r.Name(), "p-plain");
  EXPECT_EQ(r.Namespace(), "default");
  EXPECT_EQ(r.root->GetPath({"data", "x"})->scalar(), "1");
  EXPECT_EQ(r.root->GetPath({"data", "y"})->scalar(), "2");
  EXPECT_EQ(r.root->GetPath({"metadata", "labels", "pl"})->scalar(), "1");
  EXPECT_EQ(r.root->GetPath({"metadata", "labels", "ol"})->scalar(), "1");
  EXPECT_EQ(r.name_prefixes, (std::vector<std::string>{"p-"}));
  EXPECT_EQ(r.previous_ids.size(), 1u);
}

TEST_F(GeneratorsTest, ReplaceDropsOldDataButKeepsLabels) {
  AddResource("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: gen, labels: {bl: \"1\"}}\n"
              "data: {a: \"1\"}\n");
  set_[0].needs_hash_suffix = true;
  Status s = Run("configMapGenerator:\n- name: gen\n  behavior: replace\n  literals: [b=3, c=4]\n");
  ASSERT_TRUE(s.ok()) << s.error().message;
  const Resource& r = set_[0];
  EXPECT_EQ(r.root->GetPath({"data", "a"}), nullptr);
  EXPECT_EQ(r.root->GetPath({"metadata", "labels", "bl"})->scalar(), "1");
  // Both wanted a hash, so the result has one.
  EXPECT_EQ(r.Name().substr(0, 4), "gen-");
}

TEST_F(GeneratorsTest, HashSurvivesOnlyWhenBothSidesWantIt) {
  AddResource("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: gen}\n");
  set_[0].needs_hash_suffix = true;
  Status s = Run("configMapGenerator:\n- name: gen\n  behavior: merge\n  literals: [b=3]\n"
                 "  options: {disableNameSuffixHash: true}\n");
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(set_[0].Name(), "gen");
}

TEST_F(GeneratorsTest, CreateOverAnExistingIdIsAnError) {
  Status s = Run("configMapGenerator:\n- name: c\n- name: c\n");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("behavior must be merge or replace"), std::string::npos);
}

TEST_F(GeneratorsTest, MergeIntoNothingIsAnError) {
  Status s = Run("configMapGenerator:\n- name: c\n  behavior: merge\n");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("does not exist"), std::string::npos);
}

TEST_F(GeneratorsTest, SecondEntryCanMergeIntoTheFirst) {
  Status s = Run("configMapGenerator:\n- name: c\n  literals: [a=1]\n"
                 "- name: c\n  behavior: merge\n  literals: [b=1]\n  options: {labels: {m: \"1\"}}\n");
  ASSERT_TRUE(s.ok()) << s.error().message;
  ASSERT_EQ(set_.size(), 1u);
  EXPECT_EQ(set_[0].Name(), "c-8gchk5bfmb");  // as printed by kubectl kustomize
}

// ---- differential against `kubectl kustomize` ----

bool HaveKubectl() { return std::system("kubectl version --client >/dev/null 2>&1") == 0; }

Result<std::string> KubectlKustomize(const std::string& dir) {
  std::string cmd = "kubectl kustomize '" + dir + "' 2>/dev/null";
  FILE* p = ::popen(cmd.c_str(), "r");
  if (p == nullptr) return MakeError("popen failed");
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  int rc = ::pclose(p);
  if (rc != 0) return MakeError("kubectl kustomize failed");
  return out;
}

TEST_F(GeneratorsTest, GeneratedObjectsEqualKubectlKustomizeOutput) {
  if (!HaveKubectl()) GTEST_SKIP() << "kubectl not installed";
  tree_.Write("a.env", "X=1\n# comment\nY=two words\nZ\n");
  tree_.Write("cfg/app.properties", "a=b\nc=d\n");
  tree_.Write("blob.bin", std::string("\x00\x01\x02\xfe\xff", 5) + std::string(80, '\x9c'));
  std::string kustomization = R"(generatorOptions:
  labels: {team: core}
  annotations: {note: "generated here"}
configMapGenerator:
- name: app
  namespace: prod
  envs: [a.env]
  literals: ["q='single quoted'", "url=http://x/?a=b", "multi=line1"]
  files: [cfg/app.properties, raw=blob.bin]
- name: fixed
  options: {disableNameSuffixHash: true, immutable: true, labels: {team: edge}}
  literals: [k=v]
secretGenerator:
- name: creds
  type: kubernetes.io/basic-auth
  literals: [username=admin, "password=s3cr3t with spaces and a long tail .........................................."]
  files: [cfg/app.properties]
)";
  Status s = Run(kustomization);
  ASSERT_TRUE(s.ok()) << s.error().message;
  auto text = KubectlKustomize(tree_.root());
  ASSERT_TRUE(text.ok());
  Arena oracle_arena;
  auto docs = ParseYamlStream(*text, "oracle", oracle_arena);
  ASSERT_TRUE(docs.ok()) << docs.error().message;
  std::map<std::string, const Node*> oracle;
  for (const YamlDocument& d : *docs) {
    Resource r;
    r.root = d.root;
    oracle[r.Id().String()] = d.root;
  }
  ASSERT_EQ(oracle.size(), set_.size());
  for (const Resource& r : set_) {
    auto it = oracle.find(r.Id().String());
    ASSERT_NE(it, oracle.end()) << "skiff made " << r.Id().String() << ", kubectl did not";
    std::string ours, theirs;
    EmitJson(r.root, ours, true);
    EmitJson(it->second, theirs, true);
    EXPECT_TRUE(DeepEqual(r.root, it->second)) << "skiff:    " << ours << "\nkubectl: " << theirs;
  }
}

}  // namespace
}  // namespace skiff
