#include "kube/discovery.h"

#include <gtest/gtest.h>

#include <atomic>

#include "fake_api_server.h"
#include "kube/client.h"
#include "temp_dir.h"

namespace skiff::kube {
namespace {

using testing::FakeApiServer;
using testing::RecordedRequest;
using testing::ResponseWriter;
using testing::TempDir;
using testing::TestPki;

TEST(GuessPluralTest, FollowsEnglishEndings) {
  EXPECT_EQ(GuessPlural("Pod"), "pods");
  EXPECT_EQ(GuessPlural("Ingress"), "ingresses");
  EXPECT_EQ(GuessPlural("NetworkPolicy"), "networkpolicies");
  EXPECT_EQ(GuessPlural("Gateway"), "gateways");
  EXPECT_EQ(GuessPlural("Box"), "boxes");
  EXPECT_EQ(GuessPlural("Mesh"), "meshes");
}

TEST(RestMappingTest, BuildsCorePathsGroupPathsAndEscapesNames) {
  RestMapping pods{{"", "v1", "Pod"}, "pods", true};
  EXPECT_EQ(pods.CollectionPath("a"), "/api/v1/namespaces/a/pods");
  EXPECT_EQ(pods.CollectionPath(""), "/api/v1/pods");
  EXPECT_EQ(pods.ObjectPath("a", "web", "status"), "/api/v1/namespaces/a/pods/web/status");
  RestMapping crb{{"rbac.authorization.k8s.io", "v1", "ClusterRoleBinding"}, "clusterrolebindings", false};
  EXPECT_EQ(crb.ObjectPath("ignored", "system:admin"),
            "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/system%3Aadmin");
}

class DiscoveryTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    pki_ = new TestPki(TestPki::Generate(dir_->path()));
  }
  static void TearDownTestSuite() {
    delete pki_;
    delete dir_;
  }
  void SetUp() override {
    server_ = std::make_unique<FakeApiServer>(*pki_);
    server_->SetHandler([this](const RecordedRequest& r, ResponseWriter& w) {
      testing::ServeDiscovery(r, w, crds_installed_);
    });
    RestConfig config;
    config.endpoint.server = server_->url();
    config.endpoint.ca_pem = pki_->ca_pem;
    client_ = Client::Create(config);
  }
  static TempDir* dir_;
  static TestPki* pki_;
  std::atomic<bool> crds_installed_{false};
  std::unique_ptr<FakeApiServer> server_;
  std::unique_ptr<Client> client_;
};
TempDir* DiscoveryTest::dir_ = nullptr;
TestPki* DiscoveryTest::pki_ = nullptr;

TEST_F(DiscoveryTest, MapsKindsToResourcesAndScope) {
  auto deploy = client_->Mapping({"apps", "v1", "Deployment"});
  ASSERT_TRUE(deploy.ok()) << deploy.error().String();
  EXPECT_EQ(deploy->resource, "deployments");
  EXPECT_TRUE(deploy->namespaced);
  auto ns = client_->Mapping({"", "v1", "Namespace"});
  ASSERT_TRUE(ns.ok());
  EXPECT_EQ(ns->resource, "namespaces");
  EXPECT_FALSE(ns->namespaced);
}

TEST_F(DiscoveryTest, SubresourcesAreNotResources) {
  auto resources = client_->discovery().Resources("v1");
  ASSERT_TRUE(resources.ok());
  for (const ApiResourceInfo& r : *resources) EXPECT_EQ(r.name.find('/'), std::string::npos);
  EXPECT_EQ(resources->size(), 3u);
}

TEST_F(DiscoveryTest, AnswersAreCachedPerGroupVersion) {
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(client_->Mapping({"apps", "v1", "Deployment"}).ok());
    ASSERT_TRUE(client_->Mapping({"", "v1", "Pod"}).ok());
  }
  EXPECT_EQ(server_->RequestsTo("/apis/apps/v1").size(), 1u);
  EXPECT_EQ(server_->RequestsTo("/api/v1").size(), 1u);
}

TEST_F(DiscoveryTest, GroupVersionsListsCoreAndGroups) {
  auto gvs = client_->discovery().GroupVersions();
  ASSERT_TRUE(gvs.ok());
  EXPECT_EQ(*gvs, (std::vector<std::string>{"v1", "apps/v1"}));
}

TEST_F(DiscoveryTest, ACrdInstalledLaterIsFoundByRediscoveringOnAMiss) {
  Gvk widget{"example.skiff.dev", "v1", "Widget"};
  auto before = client_->Mapping(widget);
  ASSERT_FALSE(before.ok());
  EXPECT_TRUE(IsNotFound(before.error()));
  EXPECT_NE(before.error().message.find("no matches for kind \"Widget\""), std::string::npos);

  crds_installed_ = true;
  auto after = client_->Mapping(widget);
  ASSERT_TRUE(after.ok()) << after.error().String();
  EXPECT_EQ(after->resource, "widgets");
  EXPECT_FALSE(after->namespaced);
}

TEST_F(DiscoveryTest, AnUnknownKindInAKnownGroupVersionLooksAgainOnce) {
  ASSERT_TRUE(client_->Mapping({"", "v1", "Pod"}).ok());
  EXPECT_FALSE(client_->Mapping({"", "v1", "Gizmo"}).ok());
  EXPECT_EQ(server_->RequestsTo("/api/v1").size(), 2u);
}

}  // namespace
}  // namespace skiff::kube
