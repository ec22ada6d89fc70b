#include "model/schema.h"

#include <stdlib.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include <gtest/gtest.h>

#include "yaml/yaml.h"

namespace skiff {
namespace {

TEST(Schema, ClusterScopedKinds) {
  for (const Gvk& gvk : {Gvk{"", "v1", "Namespace"}, Gvk{"rbac.authorization.k8s.io", "v1", "ClusterRole"},
                         Gvk{"apiextensions.k8s.io", "v1", "CustomResourceDefinition"},
                         Gvk{"", "v1", "PersistentVolume"}, Gvk{"storage.k8s.io", "v1", "StorageClass"},
                         Gvk{"scheduling.k8s.io", "v1", "PriorityClass"},
                         Gvk{"apiregistration.k8s.io", "v1", "APIService"},
                         Gvk{"admissionregistration.k8s.io", "v1", "MutatingWebhookConfiguration"},
                         Gvk{"", "v1", "Node"}, Gvk{"", "v1", "ComponentStatus"},
                         Gvk{"storage.k8s.io", "v1", "CSIDriver"},
                         Gvk{"networking.k8s.io", "v1", "IngressClass"},
                         Gvk{"node.k8s.io", "v1", "RuntimeClass"}}) {
    EXPECT_TRUE(IsClusterScoped(gvk)) << gvk.ApiVersion() << " " << gvk.kind;
  }
}

TEST(Schema, NamespacedAndUnknownKinds) {
  EXPECT_FALSE(IsClusterScoped(Gvk{"apps", "v1", "Deployment"}));
  EXPECT_FALSE(IsClusterScoped(Gvk{"", "v1", "ConfigMap"}));
  EXPECT_FALSE(IsClusterScoped(Gvk{"example.com", "v1", "Widget"}));
  // Exact match: an unlisted version of a cluster-scoped kind is unknown.
  EXPECT_FALSE(IsClusterScoped(Gvk{"rbac.authorization.k8s.io", "v1alpha1", "ClusterRole"}));
  EXPECT_FALSE(IsClusterScoped(Gvk{"example.com", "v1", "Namespace"}));
}

TEST(Schema, WalksAPathToMergeKeys) {
  const SchemaType* t = SchemaTypeForGvk(Gvk{"apps", "v1", "Deployment"});
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->name, "io.k8s.api.apps.v1.Deployment");
  for (std::string_view step : {"spec", "template", "spec"}) {
    const SchemaField* f = t->Field(step);
    ASSERT_NE(f, nullptr) << step;
    EXPECT_EQ(f->shape, SchemaShape::kObject);
    t = f->Type();
    ASSERT_NE(t, nullptr) << step;
  }
  EXPECT_EQ(t->name, "io.k8s.api.core.v1.PodSpec");
  const SchemaField* containers = t->Field("containers");
  ASSERT_NE(containers, nullptr);
  EXPECT_TRUE(containers->MergesList());
  ASSERT_EQ(containers->MergeKeys().size(), 1u);
  EXPECT_EQ(containers->MergeKeys()[0], "name");
  const SchemaType* container = containers->Type();
  ASSERT_NE(container, nullptr);
  const SchemaField* ports = container->Field("ports");
  ASSERT_NE(ports, nullptr);
  EXPECT_EQ(ports->list_type, ListType::kMap);
  ASSERT_EQ(ports->ListMapKeys().size(), 2u);
  EXPECT_EQ(ports->ListMapKeys()[0], "containerPort");
  EXPECT_EQ(ports->ListMapKeys()[1], "protocol");
  EXPECT_EQ(ports->MergeKeys()[0], "containerPort");
  EXPECT_EQ(t->Field("no-such-field"), nullptr);
}

TEST(Schema, ScalarsMapsAndStrategies) {
  const SchemaType* pod_spec = SchemaTypeByName("io.k8s.api.core.v1.PodSpec");
  ASSERT_NE(pod_spec, nullptr);
  EXPECT_EQ(pod_spec->Field("nodeSelector")->shape, SchemaShape::kMap);
  EXPECT_EQ(pod_spec->Field("nodeSelector")->Type(), nullptr);
  EXPECT_EQ(pod_spec->Field("hostname")->shape, SchemaShape::kScalar);
  const SchemaField* volumes = pod_spec->Field("volumes");
  EXPECT_TRUE(volumes->strategy_merge);
  EXPECT_TRUE(volumes->strategy_retain_keys);
  const SchemaType* requirements = SchemaTypeByName("io.k8s.api.core.v1.ResourceRequirements");
  ASSERT_NE(requirements, nullptr);
  // Quantity has no properties: a map of scalars.
  EXPECT_EQ(requirements->Field("limits")->shape, SchemaShape::kMap);
  EXPECT_EQ(requirements->Field("limits")->Type(), nullptr);
  const SchemaType* meta = SchemaTypeByName("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta");
  EXPECT_EQ(meta->Field("creationTimestamp")->shape, SchemaShape::kScalar);
  EXPECT_EQ(SchemaTypeForGvk(Gvk{"example.com", "v1", "Widget"}), nullptr);
}

TEST(Schema, FieldsAreSortedForBinarySearch) {
  for (uint32_t i = 0; i < schema_tables::kTypeCount; ++i) {
    std::span<const SchemaField> fields = schema_tables::kTypes[i].Fields();
    for (size_t j = 1; j < fields.size(); ++j) {
      ASSERT_LT(fields[j - 1].name, fields[j].name) << schema_tables::kTypes[i].name;
    }
  }
}

// The oracle's namespace transformer must skip exactly the kinds the table
// calls cluster-scoped: every kind the table names is rendered with a
// namespace and the output tells which ones got it.
TEST(Schema, ClusterScopeAgreesWithKubectlKustomize) {
  if (std::system("kubectl version --client >/dev/null 2>&1") != 0) GTEST_SKIP() << "no kubectl";
  std::string templ = (std::filesystem::temp_directory_path() / "skiff-schema-XXXXXX").string();
  ASSERT_NE(::mkdtemp(templ.data()), nullptr);
  std::filesystem::path dir(templ);
  std::string objects;
  std::map<std::string, bool> expected;  // object name -> cluster-scoped
  for (uint32_t i = 0; i < schema_tables::kGvkCount; ++i) {
    const schema_tables::GvkEntry& e = schema_tables::kGvks[i];
    // *List kinds are expanded by kustomize; v1 Namespace is renamed.
    if (e.kind.ends_with("List") || (e.group.empty() && e.kind == "Namespace")) continue;
    std::string name = "o" + std::to_string(i);
    Gvk gvk{std::string(e.group), std::string(e.version), std::string(e.kind)};
    objects += "---\napiVersion: " + gvk.ApiVersion() + "\nkind: " + gvk.kind +
               "\nmetadata:\n  name: " + name + "\n";
    expected[name] = e.cluster_scoped;
  }
  std::ofstream(dir / "r.yaml") << objects;
  std::ofstream(dir / "kustomization.yaml") << "namespace: probe\nresources:\n- r.yaml\n";
  std::string cmd = "kubectl kustomize '" + dir.string() + "' 2>&1";
  std::string out;
  FILE* p = ::popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  char buf[4096];
  for (size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  int rc = ::pclose(p);
  std::filesystem::remove_all(dir);
  ASSERT_EQ(rc, 0) << out;
  Arena arena;
  auto docs = ParseYamlStream(out, "oracle", arena);
  ASSERT_TRUE(docs.ok()) << docs.error().message;
  size_t checked = 0;
  for (const YamlDocument& d : *docs) {
    std::string name(d.root->GetPath({"metadata", "name"})->scalar());
    bool has_namespace = d.root->GetPath({"metadata", "namespace"}) != nullptr;
    auto it = expected.find(name);
    ASSERT_NE(it, expected.end()) << name;
    EXPECT_EQ(!has_namespace, it->second) << d.root->GetString("apiVersion") << " "
                                          << d.root->GetString("kind");
    ++checked;
  }
  EXPECT_EQ(checked, expected.size());
  EXPECT_GT(checked, 150u);
}

}  // namespace
}  // namespace skiff
