// Test support for built-in transformers: objects parsed from YAML text, a
// render context over a temporary root, and a check against the oracle
// (`kubectl kustomize`) for a kustomization tree.
#pragma once

#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "render/file_loader.h"
#include "render/render.h"
#include "render/test_tree.h"
#include "render/transformer.h"
#include "yaml/yaml.h"

namespace skiff::testing {

// A set of objects and everything a transformer needs to act on them.
class TransformerFixture {
 public:
  explicit TransformerFixture(const TransformerConfig& config = TransformerConfig::Builtin())
      : loader_(FileLoader::ForRoot(tree_.root()).value()),
        ctx_{arena_, loader_, "kustomization.yaml", config, warnings_} {}

  // Parses `yaml` (one or more documents) and adds each as an object.
  void Add(std::string_view yaml) {
    auto docs = ParseYamlStream(yaml, "r.yaml", arena_);
    ASSERT_TRUE(docs.ok()) << docs.error().message;
    for (const YamlDocument& d : *docs) {
      if (d.root == nullptr) continue;
      Resource r;
      r.root = d.root;
      r.origin = Origin{"r.yaml", d.pos.line};
      Status s = set_.Add(std::move(r));
      ASSERT_TRUE(s.ok()) << s.error().message;
    }
  }

  // Parses `yaml` as a kustomization field's value (e.g. "app: web").
  const Node* Value(std::string_view yaml) {
    auto docs = ParseYamlStream(yaml, "kustomization.yaml", arena_);
    EXPECT_TRUE(docs.ok() && !docs->empty());
    return docs.ok() && !docs->empty() ? (*docs)[0].root : nullptr;
  }

  Status Run(Result<TransformerPtr> made) {
    if (!made.ok()) return made.error();
    return (*made)->Apply(set_, ctx_);
  }

  // The object named `name` (current name), or nullptr.
  Resource* Find(std::string_view name) {
    for (Resource& r : set_) {
      if (r.Name() == name) return &r;
    }
    return nullptr;
  }
  Node* Root(std::string_view name) {
    Resource* r = Find(name);
    return r == nullptr ? nullptr : r->root;
  }

  ResourceSet& set() { return set_; }
  RenderContext& ctx() { return ctx_; }
  Arena& arena() { return arena_; }

 private:
  TestTree tree_;
  Arena arena_;
  FileLoader loader_;
  std::vector<std::string> warnings_;
  RenderContext ctx_;
  ResourceSet set_;
};

// Scalar text at a path of map keys, or "<absent>".
inline std::string At(const Node* root, std::initializer_list<std::string_view> path) {
  const Node* n = root == nullptr ? nullptr : root->GetPath(path);
  if (n == nullptr) return "<absent>";
  if (n->IsMap()) return "<map>";
  if (n->IsSeq()) return "<seq>";
  return std::string(n->scalar());
}

// Output of `kubectl kustomize DIR` (stdout only), or nullopt when kubectl
// cannot be run. `ok` tells whether it exited with 0.
struct OracleRun {
  bool ran = false;
  bool ok = false;
  std::string out;
};
inline OracleRun RunOracle(const std::string& dir) {
  OracleRun run;
  std::string cmd = "kubectl kustomize '" + dir + "' 2>/dev/null";
  FILE* p = ::popen(cmd.c_str(), "r");
  if (p == nullptr) return run;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) run.out.append(buf, n);
  int rc = ::pclose(p);
  run.ran = rc != -1 && WEXITSTATUS(rc) != 127;
  run.ok = rc == 0;
  return run;
}

inline bool OracleAvailable() {
  static const bool available = std::system("kubectl version --client >/dev/null 2>&1") == 0;
  return available;
}

// Expects the oracle's objects and skiff's to be the same trees (map key
// order aside), matched by identity, whatever their order.
inline void ExpectSameObjects(const std::string& oracle_out, const ResourceSet& ours) {
  Arena arena;
  auto docs = ParseYamlStream(oracle_out, "oracle", arena);
  ASSERT_TRUE(docs.ok()) << docs.error().message;
  size_t count = 0;
  for (const YamlDocument& d : *docs) {
    if (d.root == nullptr) continue;
    ++count;
    Resource theirs;
    theirs.root = d.root;
    long at = ours.Find(theirs.Id());
    if (at < 0) {
      ADD_FAILURE() << "skiff lacks " << theirs.Id().String();
      continue;
    }
    std::string ours_json, theirs_json;
    EmitYaml(ours[static_cast<size_t>(at)].root, ours_json);
    EmitYaml(d.root, theirs_json);
    EXPECT_TRUE(DeepEqual(ours[static_cast<size_t>(at)].root, d.root))
        << theirs.Id().String() << "\n skiff:  " << ours_json << "\n oracle: " << theirs_json;
  }
  EXPECT_EQ(ours.size(), count);
}

// Renders `tree` with skiff and with the oracle and expects the same objects
// and the same bytes (or both to fail).
inline void ExpectSameAsOracle(const TestTree& tree) {
  OracleRun oracle = RunOracle(tree.root());
  ASSERT_TRUE(oracle.ran);
  std::vector<std::string> warnings;
  Result<RenderedSet> ours = Render(tree.root(), RenderOptions{}, warnings);
  if (!oracle.ok) {
    EXPECT_FALSE(ours.ok()) << "the oracle fails on this tree; skiff printed:\n"
                            << EmitRendered(*ours);
    return;
  }
  ASSERT_TRUE(ours.ok()) << ours.error().message;
  ExpectSameObjects(oracle.out, ours->resources);
  EXPECT_EQ(EmitRendered(*ours), oracle.out);
}

}  // namespace skiff::testing
