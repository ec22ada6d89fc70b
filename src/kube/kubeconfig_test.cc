#include "kube/kubeconfig.h"

#include <gtest/gtest.h>

#include "kube/credentials.h"
#include "temp_dir.h"

namespace skiff::kube {
namespace {

using testing::TempDir;

// Two files that overlap on purpose: "shared" cluster/user/context names
// exist in both with different content, and both set current-context.
constexpr char kFirst[] = R"(apiVersion: v1
kind: Config
current-context: first-ctx
clusters:
- name: shared
  cluster:
    server: https://first.example:6443
    certificate-authority: certs/ca.pem
- name: only-first
  cluster:
    server: https://only-first.example
users:
- name: shared
  user:
    token: first-token
contexts:
- name: first-ctx
  context: {cluster: shared, user: shared, namespace: team-a}
- name: shared-ctx
  context: {cluster: shared, user: shared}
)";

constexpr char kSecond[] = R"(apiVersion: v1
kind: Config
current-context: second-ctx
clusters:
- name: shared
  cluster:
    server: https://second.example:6443
- name: only-second
  cluster:
    server: https://only-second.example:443
    insecure-skip-tls-verify: true
    tls-server-name: api.internal
    proxy-url: http://proxy.example:3128
users:
- name: shared
  user:
    token: second-token
- name: file-user
  user:
    tokenFile: ../tokens/t
- name: exec-user
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: ./bin/get-token
      args: [--cluster, prod]
      env: [{name: REGION, value: eu}]
      interactiveMode: Never
      provideClusterInfo: true
contexts:
- name: second-ctx
  context: {cluster: only-second, user: file-user}
- name: shared-ctx
  context: {cluster: only-second, user: exec-user}
- name: exec-ctx
  context: {cluster: only-second, user: exec-user}
- name: broken-ctx
  context: {cluster: missing-cluster, user: shared}
)";

class KubeconfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    first_ = dir_.Write("a/config", kFirst);
    dir_.Write("a/certs/ca.pem", "CA-PEM-TEXT");
    second_ = dir_.Write("b/config", kSecond);
    dir_.Write("tokens/t", "file-token\n");
  }
  KubeconfigOptions Merged(const std::string& context = "") {
    KubeconfigOptions o;
    o.kubeconfig_env = first_ + ":" + dir_.path() + "/missing:" + second_;
    o.context = context;
    return o;
  }
  TempDir dir_;
  std::string first_, second_;
};

TEST_F(KubeconfigTest, CurrentContextComesFromTheFirstFileThatSetsIt) {
  auto c = LoadKubeconfig(Merged());
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->context, "first-ctx");
  EXPECT_EQ(c->endpoint.server, "https://first.example:6443");
  EXPECT_EQ(c->token, "first-token");
  EXPECT_EQ(c->ns, "team-a");
}

TEST_F(KubeconfigTest, FirstFileToDefineANameWinsForContextsClustersAndUsers) {
  auto c = LoadKubeconfig(Merged("shared-ctx"));
  ASSERT_TRUE(c.ok()) << c.error().message;
  // shared-ctx from the first file: cluster "shared" and user "shared" from
  // the first file as well, though the second defines them too.
  EXPECT_EQ(c->endpoint.server, "https://first.example:6443");
  EXPECT_EQ(c->token, "first-token");
  EXPECT_FALSE(c->exec.has_value());
  EXPECT_EQ(c->ns, "default");
}

TEST_F(KubeconfigTest, OrderOfTheListDecides) {
  KubeconfigOptions o;
  o.kubeconfig_env = second_ + ":" + first_;
  auto c = LoadKubeconfig(o);
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->context, "second-ctx");
}

TEST_F(KubeconfigTest, RelativePathsResolveAgainstTheirOwnFilesDirectory) {
  auto c = LoadKubeconfig(Merged());
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->endpoint.ca_pem, "CA-PEM-TEXT");  // a/certs/ca.pem, from a/config

  auto f = LoadKubeconfig(Merged("second-ctx"));
  ASSERT_TRUE(f.ok()) << f.error().message;
  EXPECT_EQ(f->token_file, dir_.path() + "/tokens/t");  // ../tokens/t from b/config
  EXPECT_TRUE(f->endpoint.insecure_skip_tls_verify);
  EXPECT_EQ(f->endpoint.tls_server_name, "api.internal");
  EXPECT_EQ(f->endpoint.proxy_url, "http://proxy.example:3128");
}

TEST_F(KubeconfigTest, ExecPluginIsParsedWithItsCommandResolved) {
  auto c = LoadKubeconfig(Merged("exec-ctx"));
  ASSERT_TRUE(c.ok()) << c.error().message;
  ASSERT_TRUE(c->exec.has_value());
  EXPECT_EQ(c->exec->command, dir_.path() + "/b/bin/get-token");
  EXPECT_EQ(c->exec->args, (std::vector<std::string>{"--cluster", "prod"}));
  ASSERT_EQ(c->exec->env.size(), 1u);
  EXPECT_EQ(c->exec->env[0].second, "eu");
  EXPECT_TRUE(c->exec->provide_cluster_info);
  EXPECT_EQ(c->exec->interactive_mode, "Never");
}

TEST_F(KubeconfigTest, ExecPluginsCanBeForbidden) {
  KubeconfigOptions o = Merged("exec-ctx");
  o.allow_exec_plugins = false;
  auto c = LoadKubeconfig(o);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("exec credential plugins are not allowed"), std::string::npos);
  EXPECT_NE(c.error().message.find("b/config:"), std::string::npos);
}

TEST_F(KubeconfigTest, ExplicitKubeconfigIsUsedAloneAndMustExist) {
  KubeconfigOptions o = Merged();
  o.explicit_path = second_;
  auto c = LoadKubeconfig(o);
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->context, "second-ctx");

  o.explicit_path = dir_.path() + "/nope";
  EXPECT_FALSE(LoadKubeconfig(o).ok());
}

TEST_F(KubeconfigTest, NamespaceOverrideWins) {
  KubeconfigOptions o = Merged();
  o.namespace_override = "ops";
  auto c = LoadKubeconfig(o);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->ns, "ops");
}

TEST_F(KubeconfigTest, ErrorsNameTheContextAndWhereItIsDefined) {
  auto c = LoadKubeconfig(Merged("broken-ctx"));
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("missing-cluster"), std::string::npos);
  EXPECT_NE(c.error().message.find(second_ + ":"), std::string::npos) << c.error().message;

  auto d = LoadKubeconfig(Merged("no-such-ctx"));
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.error().message.find("no-such-ctx"), std::string::npos);
}

TEST_F(KubeconfigTest, InlineDataIsBase64Decoded) {
  std::string path = dir_.Write("c/config", R"(
current-context: c
clusters: [{name: c, cluster: {server: "https://c", certificate-authority-data: Q0EtREFUQQ==}}]
users: [{name: u, user: {client-certificate-data: Q0VSVA==, client-key-data: S0VZ}}]
contexts: [{name: c, context: {cluster: c, user: u}}]
)");
  KubeconfigOptions o;
  o.explicit_path = path;
  auto c = LoadKubeconfig(o);
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->endpoint.ca_pem, "CA-DATA");
  EXPECT_EQ(c->endpoint.client_cert_pem, "CERT");
  EXPECT_EQ(c->endpoint.client_key_pem, "KEY");
}

TEST(InClusterConfigTest, ReadsTokenCaAndNamespaceFromTheServiceAccountDirectory) {
  TempDir dir;
  dir.Write("sa/token", "sa-token");
  dir.Write("sa/ca.crt", "SA-CA");
  dir.Write("sa/namespace", "skiff-system\n");
  InClusterOptions o{dir.path() + "/sa", "10.96.0.1", "443"};
  auto c = LoadInClusterConfig(o);
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->endpoint.server, "https://10.96.0.1:443");
  EXPECT_EQ(c->endpoint.ca_pem, "SA-CA");
  EXPECT_EQ(c->token_file, dir.path() + "/sa/token");
  EXPECT_EQ(c->ns, "skiff-system");

  o.service_host = "fd00::1";
  auto v6 = LoadInClusterConfig(o);
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->endpoint.server, "https://[fd00::1]:443");
}

TEST(InClusterConfigTest, FailsOutsideACluster) {
  TempDir dir;
  EXPECT_FALSE(LoadInClusterConfig(InClusterOptions{dir.path(), "", ""}).ok());
  EXPECT_FALSE(LoadInClusterConfig(InClusterOptions{dir.path(), "10.0.0.1", "443"}).ok());
}

}  // namespace
}  // namespace skiff::kube
