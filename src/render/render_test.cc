#include "render/render.h"

#include <gtest/gtest.h>

#include <cstdio>

#include "render/test_tree.h"

namespace skiff {
namespace {

using testing::TestTree;

constexpr char kConfigMapA[] = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n";
constexpr char kConfigMapB[] = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n";

struct Outcome {
  bool ok = false;
  std::string text;  // output, or the error message
  std::vector<std::string> warnings;
};

Outcome RenderDir(const std::string& dir) {
  Outcome o;
  auto set = Render(dir, RenderOptions{}, o.warnings);
  o.ok = set.ok();
  o.text = set.ok() ? EmitRendered(*set) : set.error().message;
  return o;
}

std::vector<std::string> Names(const std::string& dir) {
  std::vector<std::string> warnings;
  auto set = Render(dir, RenderOptions{}, warnings);
  EXPECT_TRUE(set.ok()) << set.error().message;
  std::vector<std::string> out;
  if (!set.ok()) return out;
  for (const Resource& r : set->resources) out.emplace_back(r.Name());
  return out;
}

bool Contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

TEST(RenderTest, ResourcesThenBasesInDeclarationOrder) {
  TestTree t;
  t.Write("base/kustomization.yaml", "resources: [b.yaml]\n");
  t.Write("base/b.yaml", kConfigMapB);
  t.Write("app/kustomization.yaml",
          "bases: [../base]\nresources: [a.yaml, c.yaml]\nsortOptions: {order: fifo}\n");
  t.Write("app/a.yaml", kConfigMapA);
  t.Write("app/c.yaml", "apiVersion: v1\nkind: Service\nmetadata:\n  name: c\n");
  EXPECT_EQ(Names(t.Path("app")), (std::vector<std::string>{"a", "c", "b"}));
}

TEST(RenderTest, LegacyOrderIsTheDefault) {
  TestTree t;
  t.Write("kustomization.yaml", "resources: [all.yaml]\n");
  t.Write("all.yaml",
          "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\n---\n"
          "apiVersion: v1\nkind: Service\nmetadata: {name: s}\n---\n"
          "apiVersion: v1\nkind: Namespace\nmetadata: {name: n}\n");
  EXPECT_EQ(Names(t.root()), (std::vector<std::string>{"n", "s", "d"}));
}

TEST(RenderTest, ComponentAddsToTheParentsSet) {
  TestTree t;
  t.Write("comp/kustomization.yaml",
          "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources: [b.yaml]\n");
  t.Write("comp/b.yaml", kConfigMapB);
  t.Write("app/kustomization.yaml", "resources: [a.yaml]\ncomponents: [../comp]\n");
  t.Write("app/a.yaml", kConfigMapA);
  EXPECT_EQ(Names(t.Path("app")), (std::vector<std::string>{"a", "b"}));
}

TEST(RenderTest, ComponentUnderResourcesAndKustomizationUnderComponentsFail) {
  TestTree t;
  t.Write("comp/kustomization.yaml", "kind: Component\nresources: []\n");
  t.Write("base/kustomization.yaml", "resources: []\n");
  t.Write("r/kustomization.yaml", "resources:\n- ../comp\n");
  t.Write("c/kustomization.yaml", "components:\n- ../base\n");
  Outcome r = RenderDir(t.Path("r"));
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(Contains(r.text, t.Path("r/kustomization.yaml") + ":2")) << r.text;
  EXPECT_TRUE(Contains(r.text, "is a Component")) << r.text;
  Outcome c = RenderDir(t.Path("c"));
  EXPECT_FALSE(c.ok);
  EXPECT_TRUE(Contains(c.text, "expected kind 'Component'")) << c.text;
}

TEST(RenderTest, CyclesAreErrors) {
  TestTree t;
  t.Write("a/kustomization.yaml", "resources: [../b]\n");
  t.Write("b/kustomization.yaml", "resources: [../a]\n");
  t.Write("self/kustomization.yaml", "resources: [.]\n");
  t.Write("parent/kustomization.yaml", "resources: []\n");
  t.Write("parent/child/kustomization.yaml", "resources: [..]\n");
  for (const char* dir : {"a", "self", "parent/child"}) {
    Outcome o = RenderDir(t.Path(dir));
    EXPECT_FALSE(o.ok) << dir;
    EXPECT_TRUE(Contains(o.text, "cycle detected")) << o.text;
  }
}

TEST(RenderTest, SiblingDirectoriesOutsideTheRootAreFineAsBases) {
  TestTree t;
  t.Write("c/kustomization.yaml", "resources: [a.yaml]\n");
  t.Write("c/a.yaml", kConfigMapA);
  t.Write("x/kustomization.yaml", "resources: [y]\n");
  t.Write("x/y/kustomization.yaml", "resources: [../../c]\n");
  EXPECT_EQ(Names(t.Path("x")), (std::vector<std::string>{"a"}));
}

TEST(RenderTest, DuplicateIdsNameBothSources) {
  TestTree t;
  t.Write("kustomization.yaml", "resources: [one.yaml, two.yaml]\n");
  t.Write("one.yaml", kConfigMapA);
  t.Write("two.yaml", std::string("# leading comment\n") + kConfigMapA);
  Outcome o = RenderDir(t.root());
  ASSERT_FALSE(o.ok);
  EXPECT_TRUE(Contains(o.text, t.Path("one.yaml") + ":1")) << o.text;
  EXPECT_TRUE(Contains(o.text, t.Path("two.yaml") + ":2")) << o.text;
  EXPECT_TRUE(Contains(o.text, "kustomization.yaml:1")) << o.text;
}

TEST(RenderTest, OneBaseTwiceIsADuplicate) {
  TestTree t;
  t.Write("base/kustomization.yaml", "resources: [a.yaml]\n");
  t.Write("base/a.yaml", kConfigMapA);
  t.Write("app/kustomization.yaml", "resources: [../base, ../base]\n");
  EXPECT_FALSE(RenderDir(t.Path("app")).ok);
}

TEST(RenderTest, FileLoadsStayUnderTheRoot) {
  TestTree t;
  t.Write("outside.yaml", kConfigMapA);
  t.Write("app/kustomization.yaml", "resources:\n- ../outside.yaml\n");
  Outcome dotdot = RenderDir(t.Path("app"));
  EXPECT_FALSE(dotdot.ok);
  EXPECT_TRUE(Contains(dotdot.text, t.Path("app/kustomization.yaml") + ":2")) << dotdot.text;
  EXPECT_TRUE(Contains(dotdot.text, "resources[0]")) << dotdot.text;

  t.Write("abs/kustomization.yaml", "resources:\n- " + t.Path("outside.yaml") + "\n");
  EXPECT_TRUE(Contains(RenderDir(t.Path("abs")).text, "absolute"));

  t.Symlink(t.Path("outside.yaml"), "link/cm.yaml");
  t.Write("link/kustomization.yaml", "resources: [cm.yaml]\n");
  Outcome link = RenderDir(t.Path("link"));
  EXPECT_FALSE(link.ok);
  EXPECT_TRUE(Contains(link.text, "not in or below")) << link.text;
}

TEST(RenderTest, RemoteResourcesAreRefusedNamingFileAndField) {
  TestTree t;
  t.Write("kustomization.yaml",
          "resources:\n- a.yaml\n- https://github.com/org/repo//base?ref=v1\n");
  t.Write("a.yaml", kConfigMapA);
  Outcome o = RenderDir(t.root());
  ASSERT_FALSE(o.ok);
  EXPECT_TRUE(Contains(o.text, t.Path("kustomization.yaml") + ":3")) << o.text;
  EXPECT_TRUE(Contains(o.text, "resources[1]")) << o.text;
  EXPECT_TRUE(Contains(o.text, "remote")) << o.text;
}

TEST(RenderTest, PluginsAreRefusedByDesign) {
  for (const char* field : {"generators: [gen.yaml]\n", "transformers: [t.yaml]\n",
                            "validators: [v.yaml]\n",
                            "helmCharts:\n- name: x\n  repo: https://charts.example.com\n"}) {
    TestTree t;
    t.Write("kustomization.yaml", field);
    Outcome o = RenderDir(t.root());
    EXPECT_FALSE(o.ok) << field;
    EXPECT_TRUE(Contains(o.text, "refused")) << o.text;
  }
}

TEST(RenderTest, MissingResourceNamesKustomizationAndPath) {
  TestTree t;
  t.Write("kustomization.yaml", "resources:\n- nope.yaml\n");
  Outcome o = RenderDir(t.root());
  ASSERT_FALSE(o.ok);
  EXPECT_TRUE(Contains(o.text, t.Path("kustomization.yaml") + ":2")) << o.text;
  EXPECT_TRUE(Contains(o.text, "nope.yaml")) << o.text;
}

TEST(RenderTest, BadObjectsNameTheirFileAndLine) {
  TestTree t;
  t.Write("kustomization.yaml", "resources: [r.yaml]\n");
  t.Write("r.yaml", std::string(kConfigMapA) + "---\napiVersion: v1\nmetadata:\n  name: x\n");
  Outcome o = RenderDir(t.root());
  ASSERT_FALSE(o.ok);
  EXPECT_TRUE(Contains(o.text, t.Path("r.yaml") + ":6: missing kind")) << o.text;
}

TEST(RenderTest, WarningsSurviveAFailure) {
  TestTree t;
  t.Write("kustomization.yaml", "bases: [missing]\n");
  Outcome o = RenderDir(t.root());
  EXPECT_FALSE(o.ok);
  ASSERT_EQ(o.warnings.size(), 1u);
  EXPECT_TRUE(Contains(o.warnings[0], "'bases' is deprecated")) << o.warnings[0];
}

TEST(RenderTest, CrdsFileThatIsACrdObjectIsRefusedNamingIt) {
  TestTree t;
  t.Write("kustomization.yaml", "crds: [crd.yaml]\n");
  t.Write("crd.yaml", "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n");
  Outcome o = RenderDir(t.root());
  EXPECT_FALSE(o.ok);
  EXPECT_TRUE(Contains(o.text, "crd.yaml")) << o.text;
  EXPECT_TRUE(Contains(o.text, "crds[0]")) << o.text;
}

TEST(RenderTest, HandWrittenProvenanceAnnotationsAreDroppedWithoutBuildMetadata) {
  TestTree t;
  t.Write("kustomization.yaml", "resources: [r.yaml]\n");
  t.Write("r.yaml",
          "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  annotations:\n"
          "    config.kubernetes.io/origin: 'path: x'\n"
          "    alpha.config.kubernetes.io/transformations: x\n");
  Outcome o = RenderDir(t.root());
  ASSERT_TRUE(o.ok) << o.text;
  EXPECT_FALSE(Contains(o.text, "annotations")) << o.text;
}

TEST(RenderTest, BuildMetadataRecordsOriginsRelativeToTheTop) {
  TestTree t;
  t.Write("overlay/kustomization.yaml",
          "buildMetadata: [originAnnotations, managedByLabel]\nresources: [../base]\n");
  t.Write("base/kustomization.yaml",
          "resources: [./r.yaml]\nconfigMapGenerator:\n- name: g\n  literals: [a=b]\n");
  t.Write("base/r.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n");
  Outcome o = RenderDir(t.Path("overlay"));
  ASSERT_TRUE(o.ok) << o.text;
  EXPECT_TRUE(Contains(o.text, "path: ../base/r.yaml\n")) << o.text;
  EXPECT_TRUE(Contains(o.text, "configuredIn: ../base/kustomization.yaml\n")) << o.text;
  EXPECT_TRUE(Contains(o.text, "kind: ConfigMapGenerator\n")) << o.text;
  EXPECT_TRUE(Contains(o.text, "app.kubernetes.io/managed-by: kustomize-(devel)")) << o.text;
}

TEST(RenderTest, LocalConfigIsDroppedUnlessFalse) {
  TestTree t;
  t.Write("kustomization.yaml", "resources: [r.yaml]\n");
  t.Write("r.yaml",
          "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: keep\n  annotations:\n"
          "    config.kubernetes.io/local-config: \"false\"\n---\n"
          "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: empty\n  annotations:\n"
          "    config.kubernetes.io/local-config: \"\"\n---\n"
          "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: upper\n  annotations:\n"
          "    config.kubernetes.io/local-config: \"False\"\n");
  EXPECT_EQ(Names(t.root()), (std::vector<std::string>{"keep"}));
}

TEST(RenderTest, BuildAnnotationsAreStrippedAndEmptiedMapsRemoved) {
  TestTree t;
  t.Write("kustomization.yaml", "resources: [r.yaml]\n");
  t.Write("r.yaml",
          "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  annotations:\n"
          "    config.kubernetes.io/index: \"3\"\n    internal.config.kubernetes.io/path: x\n"
          "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n  annotations:\n"
          "    internal.config.kubernetes.io/custom: kept\n    config.kubernetes.io/path: x\n");
  std::vector<std::string> warnings;
  auto set = Render(t.root(), RenderOptions{}, warnings);
  ASSERT_TRUE(set.ok()) << set.error().message;
  ASSERT_EQ(set->resources.size(), 2u);
  EXPECT_EQ(set->resources[0].root->GetPath({"metadata", "annotations"}), nullptr);
  const Node* b = set->resources[1].root->GetPath({"metadata", "annotations"});
  ASSERT_NE(b, nullptr);
  ASSERT_EQ(b->entries().size(), 1u);
  EXPECT_EQ(b->entries()[0].key, "internal.config.kubernetes.io/custom");
}

// ---- differential checks against `kubectl kustomize` ----

struct OracleRun {
  int status = -1;
  std::string out;
};

OracleRun RunOracle(const std::string& dir) {
  OracleRun run;
  std::string cmd = "kubectl kustomize '" + dir + "' 2>/dev/null";
  FILE* p = ::popen(cmd.c_str(), "r");
  if (p == nullptr) return run;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) run.out.append(buf, n);
  run.status = ::pclose(p);
  return run;
}

bool HaveOracle() { return std::system("kubectl version --client >/dev/null 2>&1") == 0; }

class OracleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!HaveOracle()) {
      GTEST_SKIP() << "kubectl not installed";
    }
  }
  void ExpectSameAsOracle(const std::string& dir) {
    OracleRun oracle = RunOracle(dir);
    Outcome ours = RenderDir(dir);
    ASSERT_EQ(oracle.status == 0, ours.ok) << dir << ": " << ours.text;
    if (ours.ok) {
      EXPECT_EQ(ours.text, oracle.out) << dir;
    }
  }
};

TEST_F(OracleTest, StreamsListsAndBases) {
  TestTree t;
  t.Write("base/kustomization.yaml", "resources:\n- svc.yaml\n");
  t.Write("base/svc.yaml",
          "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: prod\nspec:\n"
          "  ports:\n  - port: 80\n");
  t.Write("app/kustomization.yaml", "resources:\n- objs.yaml\n- ../base\n");
  t.Write("app/objs.yaml",
          "kind: Deployment\napiVersion: apps/v1\nmetadata:\n  name: web\nspec:\n  replicas: 2\n"
          "---\n---\napiVersion: v1\nkind: List\nitems:\n"
          "- {apiVersion: v1, kind: ConfigMap, metadata: {name: from-list}, data: {k: v}}\n"
          "- apiVersion: rbac.authorization.k8s.io/v1\n  kind: Role\n  metadata: {name: r}\n"
          "---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: prod\n"
          "---\napiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n"
          "---\napiVersion: admissionregistration.k8s.io/v1\n"
          "kind: ValidatingWebhookConfiguration\nmetadata:\n  name: v\n");
  ExpectSameAsOracle(t.Path("app"));
}

TEST_F(OracleTest, FifoAndCustomLegacyOrders) {
  TestTree t;
  const char* objs =
      "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n---\n"
      "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\n---\n"
      "apiVersion: v1\nkind: Service\nmetadata: {name: svc}\n";
  for (const char* dir : {"fifo", "first", "last"}) t.Write(std::string(dir) + "/r.yaml", objs);
  t.Write("fifo/kustomization.yaml", "resources: [r.yaml]\nsortOptions:\n  order: fifo\n");
  t.Write("first/kustomization.yaml",
          "resources: [r.yaml]\nsortOptions:\n  order: legacy\n  legacySortOptions:\n"
          "    orderFirst: [Service]\n");
  t.Write("last/kustomization.yaml",
          "resources: [r.yaml]\nsortOptions:\n  order: legacy\n  legacySortOptions:\n"
          "    orderFirst: [Secret, Service]\n    orderLast: [Secret]\n");
  for (const char* dir : {"fifo", "first", "last"}) ExpectSameAsOracle(t.Path(dir));
}

TEST_F(OracleTest, LocalConfigAndAnnotationCleanup) {
  TestTree t;
  t.Write("kustomization.yaml", "resources: [r.yaml]\n");
  t.Write("r.yaml",
          "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  annotations:\n"
          "    config.kubernetes.io/index: \"3\"\n---\n"
          "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n  annotations:\n"
          "    config.kubernetes.io/local-config: \"true\"\n---\n"
          "apiVersion: v1\nkind: FooList\nspec: {}\n");
  ExpectSameAsOracle(t.root());
}

TEST_F(OracleTest, BothFailOnBrokenTrees) {
  TestTree t;
  t.Write("outside.yaml", kConfigMapA);
  t.Write("escape/kustomization.yaml", "resources: [../outside.yaml]\n");
  t.Write("unknown/kustomization.yaml", "resources: []\nfoo: bar\n");
  t.Write("empty/kustomization.yaml", "");
  t.Write("kind/kustomization.yaml", "kind: Foo\nresources: []\n");
  t.Write("noname/kustomization.yaml", "resources: [r.yaml]\n");
  t.Write("noname/r.yaml", "apiVersion: v1\nkind: ConfigMap\n");
  t.Mkdir("nofile");
  for (const char* dir : {"escape", "unknown", "empty", "kind", "noname", "nofile"}) {
    ExpectSameAsOracle(t.Path(dir));
  }
}

}  // namespace
}  // namespace skiff

namespace skiff {
namespace {

// A tree of `count` ConfigMaps, some holding values JSON cannot carry: a
// deferred check (the build command's) must fail exactly as Render's own,
// name the first failing object in output order, and write nothing.
TEST(WriteRenderedTest, DeferredJsonCheckFailsLikeRendersOwn) {
  TestTree t;
  std::string objects;
  for (int i = 0; i < 400; ++i) {
    char name[16];
    std::snprintf(name, sizeof name, "cm%03d", i);
    objects += std::string("---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ") + name +
               "\ndata:\n  k: v\n";
    if (i == 150) objects += "  ratio: .inf\n";  // a float, not a string
    if (i == 390) objects += "  bad: \"a\\x7fb\"\n";
  }
  t.Write("kustomization.yaml", "resources: [all.yaml]\n");
  t.Write("all.yaml", objects.substr(4));
  for (const char* threads : {"1", "4"}) {
    setenv("SKIFF_RENDER_THREADS", threads, 1);
    std::vector<std::string> warnings;
    auto checked = Render(t.Path(""), RenderOptions{}, warnings);
    ASSERT_FALSE(checked.ok());
    EXPECT_TRUE(Contains(checked.error().message, "cm150")) << checked.error().message;
    RenderOptions deferred_options;
    deferred_options.check_json_when_written = true;
    auto deferred = Render(t.Path(""), deferred_options, warnings);
    ASSERT_TRUE(deferred.ok()) << deferred.error().message;
    std::string written;
    Status s = WriteRendered(*deferred, [&](std::string_view piece) { written += piece; });
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().message, checked.error().message) << "threads " << threads;
    EXPECT_EQ(written, "");
  }
  unsetenv("SKIFF_RENDER_THREADS");
}

// Without failures, the deferred check writes what EmitRendered writes.
TEST(WriteRenderedTest, DeferredJsonCheckWritesTheSameBytes) {
  TestTree t;
  std::string objects;
  for (int i = 0; i < 300; ++i) {
    objects += "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm" +
               std::to_string(i) + "\ndata:\n  k: \"caf\xc3\xa9 " + std::to_string(i) +
               "\"\n  n: 1.5\n";
  }
  t.Write("kustomization.yaml", "resources: [all.yaml]\n");
  t.Write("all.yaml", objects.substr(4));
  std::vector<std::string> warnings;
  auto checked = Render(t.Path(""), RenderOptions{}, warnings);
  ASSERT_TRUE(checked.ok());
  RenderOptions deferred_options;
  deferred_options.check_json_when_written = true;
  auto deferred = Render(t.Path(""), deferred_options, warnings);
  ASSERT_TRUE(deferred.ok());
  std::string written;
  ASSERT_TRUE(WriteRendered(*deferred, [&](std::string_view p) { written += p; }).ok());
  EXPECT_EQ(written, EmitRendered(*checked));
  EXPECT_NE(written.find("name: cm299\n"), std::string::npos);
}

}  // namespace
}  // namespace skiff
