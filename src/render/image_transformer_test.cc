#include "render/image_transformer.h"

#include <gtest/gtest.h>

#include "render/builtin_transformers.h"
#include "render/transformer_test_support.h"

namespace skiff {
namespace {

using testing::At;
using testing::TransformerFixture;

ImageTransformer Rule(std::string name, std::string new_name, std::string new_tag,
                      std::string digest, std::string tag_suffix = "") {
  return ImageTransformer(ImageRule{std::move(name), std::move(new_name), std::move(new_tag),
                                    std::move(digest), std::move(tag_suffix)},
                          {});
}

TEST(SplitImage, RegistryPortIsNotATag) {
  ImageRef r = SplitImage("reg.io:5000/app:v1@sha256:abc");
  EXPECT_EQ(r.name, "reg.io:5000/app");
  EXPECT_EQ(r.tag, "v1");
  EXPECT_EQ(r.digest, "sha256:abc");
  r = SplitImage("reg.io:5000/app");
  EXPECT_EQ(r.name, "reg.io:5000/app");
  EXPECT_EQ(r.tag, "");
  r = SplitImage("nginx@sha256:abc");
  EXPECT_EQ(r.name, "nginx");
  EXPECT_EQ(r.digest, "sha256:abc");
}

TEST(ImageTransformer, MatchesNameWithOptionalTagAndDigest) {
  ImageTransformer t = Rule("nginx", "", "1.2", "");
  EXPECT_EQ(t.Rewrite("nginx"), "nginx:1.2");
  EXPECT_EQ(t.Rewrite("nginx:1.0"), "nginx:1.2");
  EXPECT_EQ(t.Rewrite("nginx:1.0@sha256:abcd"), "nginx:1.2");
  EXPECT_EQ(t.Rewrite("nginx@sha256:1234"), "nginx:1.2");
  EXPECT_EQ(t.Rewrite("nginxx"), std::nullopt);
  EXPECT_EQ(t.Rewrite("docker.io/nginx"), std::nullopt);
  EXPECT_EQ(t.Rewrite("nginx@sha512:1234"), std::nullopt);
}

TEST(ImageTransformer, NameIsARegularExpression) {
  EXPECT_EQ(Rule("a.c", "dotmatch", "", "").Rewrite("abc"), "dotmatch");
  EXPECT_EQ(Rule("(", "x", "", "").Rewrite("("), std::nullopt);
}

// Names without regex syntax but '.' are matched by hand: the same name
// wrapped in a group goes through RE2, and both must agree on every image.
TEST(ImageTransformer, HandMatchedNamesAgreeWithRe2) {
  const char* names[] = {"registry.example.com/app0", "a.c", "app", "", "x-y_z/w"};
  const char* images[] = {"registry.example.com/app0", "registryXexampleXcom/app0:1.0",
                          "registry.example.com/app0:1.0@sha256:ab", "registry.example.com/app01",
                          "abc", "a\nc", "a.c:", "a.c:t@sha256:", "a.c@sha256:x:y", "a.c:t@sha512:x",
                          "app:v{1}", "app:v 1", "app:t:u", ":tag", "@sha256:d", "", "x-y_z/w",
                          "a\xc3\xa9" "c", "app\xc3\xa9"};
  for (const char* name : names) {
    ImageTransformer by_hand = Rule(name, "N", "", "");
    ImageTransformer by_re2 = Rule(std::string("(?:") + name + ")", "N", "", "");
    for (const char* image : images) {
      EXPECT_EQ(by_hand.Rewrite(image), by_re2.Rewrite(image)) << name << " vs " << image;
    }
  }
}

TEST(ImageTransformer, TagAndDigestPrecedence) {
  EXPECT_EQ(Rule("app", "", "t2", "sha256:b").Rewrite("app:t1@sha256:a"), "app:t2@sha256:b");
  EXPECT_EQ(Rule("app", "", "", "sha256:b").Rewrite("app:t1"), "app@sha256:b");
  EXPECT_EQ(Rule("app", "", "t2", "").Rewrite("app@sha256:a"), "app:t2");
  EXPECT_EQ(Rule("app", "", "", "", "-x").Rewrite("app:1.0"), "app:1.0-x");
  EXPECT_EQ(Rule("app", "", "", "", "-x").Rewrite("app"), "app:-x");
  EXPECT_EQ(Rule("app", "", "", "sha256:d", "-x").Rewrite("app:1.0"), "app@sha256:d");
  EXPECT_EQ(Rule("reg.io:5000/app", "other/app", "", "sha256:a").Rewrite("reg.io:5000/app:v1"),
            "other/app@sha256:a");
}

TEST(ImageTransformer, WalksContainerListsAtAnyDepthButNotInCrds) {
  TransformerFixture f;
  f.Add(R"(apiVersion: example.com/v1
kind: Foo
metadata:
  name: foo
spec:
  deep:
    containers:
    - image: nginx
  image: nginx
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: crd
spec:
  containers:
  - image: nginx
---
apiVersion: v1
kind: Pod
metadata:
  name: pod
spec:
  containers:
  - name: noimage
  initContainers:
  - image: nginx:old
)");
  ASSERT_TRUE(f.Run(MakeImageTransformer(f.Value("name: nginx\nnewTag: \"2\""), f.ctx())).ok());
  EXPECT_EQ(At(f.Root("foo")->GetPath({"spec", "deep", "containers"})->items()[0], {"image"}),
            "nginx:2");
  EXPECT_EQ(At(f.Root("foo"), {"spec", "image"}), "nginx");
  EXPECT_EQ(At(f.Root("crd")->GetPath({"spec", "containers"})->items()[0], {"image"}), "nginx");
  const Node* pod_spec = f.Root("pod")->Get("spec");
  EXPECT_EQ(At(pod_spec->Get("containers")->items()[0], {"image"}), "<absent>");
  EXPECT_EQ(At(pod_spec->Get("initContainers")->items()[0], {"image"}), "nginx:2");
}

TEST(ImageTransformer, TagSuffixAppliesOncePerPassLikeKustomize) {
  // The container-list walk and the field specs both reach a Pod's
  // containers, so kustomize appends the suffix twice there.
  TransformerFixture f;
  f.Add(R"(apiVersion: v1
kind: Pod
metadata:
  name: pod
spec:
  containers:
  - image: app:1.0
---
apiVersion: example.com/v1
kind: Foo
metadata:
  name: foo
spec:
  deep:
    containers:
    - image: app:1.0
)");
  ASSERT_TRUE(f.Run(MakeImageTransformer(f.Value("name: app\ntagSuffix: -x"), f.ctx())).ok());
  EXPECT_EQ(At(f.Root("pod")->GetPath({"spec", "containers"})->items()[0], {"image"}),
            "app:1.0-x-x");
  EXPECT_EQ(At(f.Root("foo")->GetPath({"spec", "deep", "containers"})->items()[0], {"image"}),
            "app:1.0-x");
}

TEST(ImageTransformer, ScalarWhereTheSpecPathContinuesIsAnError) {
  TransformerFixture f;
  f.Add("apiVersion: v1\nkind: Pod\nmetadata:\n  name: pod\nspec: hello\n");
  Status s = f.Run(MakeImageTransformer(f.Value("name: nginx\nnewTag: \"2\""), f.ctx()));
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("Pod pod"), std::string::npos) << s.error().message;
}

TEST(ImageTransformer, UnknownFieldIsAnError) {
  TransformerFixture f;
  Status s = f.Run(MakeImageTransformer(f.Value("name: a\nnewtag: b\n"), f.ctx()));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message, "kustomization.yaml:2: images: unknown field \"newtag\"");
}

}  // namespace
}  // namespace skiff
