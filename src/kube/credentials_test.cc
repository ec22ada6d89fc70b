#include "kube/credentials.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "fake_clock.h"
#include "temp_dir.h"
#include "yaml/yaml.h"

namespace skiff::kube {
namespace {

using testing::FakeClock;
using testing::TempDir;

// Counts its runs in $COUNT_FILE, saves its input, and prints a token
// numbered by run that expires at $EXPIRY.
constexpr char kPlugin[] = R"(#!/bin/sh
count=$(cat "$COUNT_FILE" 2>/dev/null || echo 0)
count=$((count + 1))
echo "$count" > "$COUNT_FILE"
printf '%s' "$KUBERNETES_EXEC_INFO" > "$INFO_FILE"
if [ -n "$FAIL" ]; then echo "denied for token-$count" >&2; exit 3; fi
printf '{"apiVersion":"%s","kind":"ExecCredential","status":{"token":"token-%s","expirationTimestamp":"%s"}}' \
  "$OUT_API_VERSION" "$count" "$EXPIRY"
)";

std::string Read(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

class ExecCredentialTest : public ::testing::Test {
 protected:
  ExecConfig Config(const std::string& api_version = "client.authentication.k8s.io/v1") {
    ExecConfig c;
    c.api_version = api_version;
    c.command = dir_.Write("plugin.sh", kPlugin, /*executable=*/true);
    c.interactive_mode = "Never";
    c.env = {{"COUNT_FILE", dir_.path() + "/count"},
             {"INFO_FILE", dir_.path() + "/info"},
             {"OUT_API_VERSION", api_version},
             // The fake clock starts at 2023-11-14T22:13:20Z: ten minutes on.
             {"EXPIRY", "2023-11-14T22:23:20Z"}};
    return c;
  }
  int Runs() { return std::stoi(Read(dir_.path() + "/count")); }

  TempDir dir_;
  FakeClock clock_;
  ServerEndpoint cluster_ = [] {
    ServerEndpoint e;
    e.server = "https://api.example:6443";
    e.ca_pem = "CA";
    return e;
  }();
};

TEST_F(ExecCredentialTest, TokenIsCachedUntilItExpiresThenRefreshed) {
  ExecCredentialSource source(Config(), cluster_, SystemProcessRunner(), clock_);
  auto a = source.Get();
  ASSERT_TRUE(a.ok()) << a.error().String();
  EXPECT_EQ(a->token, "token-1");
  ASSERT_TRUE(a->expiry.has_value());
  EXPECT_EQ(*a->expiry - clock_.Now(), std::chrono::seconds(600));

  clock_.Advance(std::chrono::seconds(599));
  EXPECT_EQ(source.Get()->token, "token-1");
  EXPECT_EQ(Runs(), 1);

  clock_.Advance(std::chrono::seconds(2));
  EXPECT_EQ(source.Get()->token, "token-2");
  EXPECT_EQ(Runs(), 2);
}

TEST_F(ExecCredentialTest, InvalidateForcesANewRun) {
  ExecCredentialSource source(Config(), cluster_, SystemProcessRunner(), clock_);
  EXPECT_EQ(source.Get()->token, "token-1");
  source.Invalidate();
  EXPECT_EQ(source.Get()->token, "token-2");
  EXPECT_EQ(Runs(), 2);
}

TEST_F(ExecCredentialTest, PluginInputIsNonInteractiveAndCarriesClusterInfoWhenAsked) {
  ExecConfig config = Config("client.authentication.k8s.io/v1beta1");
  config.provide_cluster_info = true;
  ExecCredentialSource source(config, cluster_, SystemProcessRunner(), clock_);
  ASSERT_TRUE(source.Get().ok());
  Arena arena;
  auto info = ParseJson(Read(dir_.path() + "/info"), arena);
  ASSERT_TRUE(info.ok());
  EXPECT_EQ((*info)->GetString("apiVersion"), "client.authentication.k8s.io/v1beta1");
  EXPECT_EQ((*info)->GetString("kind"), "ExecCredential");
  const Node* interactive = (*info)->GetPath({"spec", "interactive"});
  ASSERT_NE(interactive, nullptr);
  EXPECT_EQ(interactive->scalar(), "false");
  EXPECT_EQ((*info)->GetPath({"spec", "cluster", "server"})->scalar(), "https://api.example:6443");
  EXPECT_EQ((*info)->GetPath({"spec", "cluster", "certificate-authority-data"})->scalar(), "Q0E=");
}

TEST_F(ExecCredentialTest, ClusterInfoIsLeftOutUnlessAsked) {
  ExecCredentialSource source(Config(), cluster_, SystemProcessRunner(), clock_);
  ASSERT_TRUE(source.Get().ok());
  Arena arena;
  auto info = ParseJson(Read(dir_.path() + "/info"), arena);
  ASSERT_TRUE(info.ok());
  EXPECT_EQ((*info)->GetPath({"spec", "cluster"}), nullptr);
}

TEST_F(ExecCredentialTest, FailingPluginReportsStatusButNotItsOutput) {
  ExecConfig config = Config();
  config.env.emplace_back("FAIL", "1");
  ExecCredentialSource source(config, cluster_, SystemProcessRunner(), clock_);
  auto r = source.Get();
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("exited with status 3"), std::string::npos);
  EXPECT_EQ(r.error().message.find("token-1"), std::string::npos);
}

TEST_F(ExecCredentialTest, MismatchedOutputApiVersionIsRejected) {
  ExecConfig config = Config();
  config.env[2].second = "client.authentication.k8s.io/v1beta1";
  ExecCredentialSource source(config, cluster_, SystemProcessRunner(), clock_);
  auto r = source.Get();
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("differs"), std::string::npos);
}

TEST_F(ExecCredentialTest, InteractiveAlwaysIsRefusedWithoutRunning) {
  ExecConfig config = Config();
  config.interactive_mode = "Always";
  ExecCredentialSource source(config, cluster_, SystemProcessRunner(), clock_);
  EXPECT_FALSE(source.Get().ok());
  EXPECT_FALSE(std::ifstream(dir_.path() + "/count").good());
}

TEST_F(ExecCredentialTest, MissingCommandShowsTheInstallHint) {
  ExecConfig config = Config();
  config.command = dir_.path() + "/no-such-plugin";
  config.install_hint = "install it with: apt-get install the-plugin";
  ExecCredentialSource source(config, cluster_, SystemProcessRunner(), clock_);
  auto r = source.Get();
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("apt-get install the-plugin"), std::string::npos);
}

TEST(AuthenticatorTest, TokenFileIsReReadAfterAMinute) {
  TempDir dir;
  FakeClock clock;
  RestConfig config;
  config.token_file = dir.Write("token", "one\n");
  Authenticator auth(config, SystemProcessRunner(), clock);
  HttpRequest a;
  ASSERT_TRUE(auth.Authorize(a).ok());
  ASSERT_EQ(a.headers.size(), 1u);
  EXPECT_EQ(a.headers[0].second, "Bearer one");

  dir.Write("token", "two");
  HttpRequest b;
  ASSERT_TRUE(auth.Authorize(b).ok());
  EXPECT_EQ(b.headers[0].second, "Bearer one");  // cached

  clock.Advance(std::chrono::seconds(61));
  HttpRequest c;
  ASSERT_TRUE(auth.Authorize(c).ok());
  EXPECT_EQ(c.headers[0].second, "Bearer two");
}

TEST(AuthenticatorTest, NoCredentialsMeansNoAuthorizationHeader) {
  FakeClock clock;
  Authenticator auth(RestConfig{}, SystemProcessRunner(), clock);
  HttpRequest r;
  ASSERT_TRUE(auth.Authorize(r).ok());
  EXPECT_TRUE(r.headers.empty());
  EXPECT_FALSE(auth.Refresh());
}

}  // namespace
}  // namespace skiff::kube
