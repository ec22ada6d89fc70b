// The client against a real HTTPS server on loopback: TLS, auth, verbs,
// paging, retries.
#include "kube/client.h"

#include <gtest/gtest.h>

#include <atomic>

#include "fake_api_server.h"
#include "fake_clock.h"
#include "temp_dir.h"
#include "yaml/yaml.h"

namespace skiff::kube {
namespace {

using testing::FakeApiServer;
using testing::FakeClock;
using testing::RecordedRequest;
using testing::ResponseWriter;
using testing::ServeDiscovery;
using testing::StatusJson;
using testing::TempDir;
using testing::TestPki;

const Gvk kPod{"", "v1", "Pod"};
const Gvk kDeployment{"apps", "v1", "Deployment"};

constexpr char kPodJson[] =
    R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"web","namespace":"team-a","resourceVersion":"7"}})";

class ClientTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    pki_dir_ = new TempDir();
    pki_ = new TestPki(TestPki::Generate(pki_dir_->path()));
  }
  static void TearDownTestSuite() {
    delete pki_;
    delete pki_dir_;
  }

  void SetUp() override { server_ = std::make_unique<FakeApiServer>(*pki_); }

  RestConfig Config() {
    RestConfig c;
    c.endpoint.server = server_->url();
    c.endpoint.ca_pem = pki_->ca_pem;
    c.token = "sekret-token";
    c.ns = "team-a";
    return c;
  }
  std::unique_ptr<Client> NewClient(RestConfig config) {
    ClientOptions o;
    o.clock = &clock_;
    return Client::Create(config, o);
  }
  std::unique_ptr<Client> NewClient() { return NewClient(Config()); }
  // Serves discovery, and hands anything else to `handler`.
  void Serve(std::function<void(const RecordedRequest&, ResponseWriter&)> handler) {
    server_->SetHandler([handler](const RecordedRequest& r, ResponseWriter& w) {
      if (!ServeDiscovery(r, w)) handler(r, w);
    });
  }
  Node* Parse(std::string_view json) {
    auto n = ParseJson(json, arena_);
    EXPECT_TRUE(n.ok());
    return *n;
  }

  static TempDir* pki_dir_;
  static TestPki* pki_;
  std::unique_ptr<FakeApiServer> server_;
  FakeClock clock_;
  Arena arena_;
};

TempDir* ClientTest::pki_dir_ = nullptr;
TestPki* ClientTest::pki_ = nullptr;

TEST_F(ClientTest, GetSendsBearerTokenAndParsesTheObject) {
  Serve([](const RecordedRequest& r, ResponseWriter& w) { w.Respond(200, kPodJson); });
  auto pod = NewClient()->Get(ResId{kPod, "", "web"}, arena_);
  ASSERT_TRUE(pod.ok()) << pod.error().String();
  EXPECT_EQ((*pod)->GetPath({"metadata", "resourceVersion"})->scalar(), "7");
  auto got = server_->RequestsTo("/api/v1/namespaces/team-a/pods/web");
  ASSERT_EQ(got.size(), 1u);  // the default namespace filled in
  EXPECT_EQ(got[0].method, "GET");
  EXPECT_EQ(got[0].Header("authorization"), "Bearer sekret-token");
}

TEST_F(ClientTest, UntrustedServerCertificateIsRefusedUnlessSkipVerifyIsSet) {
  Serve([](const RecordedRequest&, ResponseWriter& w) { w.Respond(200, kPodJson); });
  TempDir other;
  TestPki stranger = TestPki::Generate(other.path());
  RestConfig config = Config();
  config.endpoint.ca_pem = stranger.ca_pem;
  auto refused = NewClient(config)->Get(ResId{kPod, "a", "web"}, arena_);
  ASSERT_FALSE(refused.ok());
  EXPECT_TRUE(IsTransportFailure(refused.error()));
  EXPECT_TRUE(server_->requests().empty());

  config.endpoint.insecure_skip_tls_verify = true;
  EXPECT_TRUE(NewClient(config)->Get(ResId{kPod, "a", "web"}, arena_).ok());
}

TEST_F(ClientTest, TlsServerNameIsWhatTheCertificateIsCheckedAgainst) {
  TempDir dir;
  TestPki named = TestPki::Generate(dir.path(), "DNS:api.skiff.test");
  FakeApiServer server(named);
  server.SetHandler([](const RecordedRequest& r, ResponseWriter& w) {
    if (!ServeDiscovery(r, w)) w.Respond(200, kPodJson);
  });
  RestConfig config = Config();
  config.endpoint.server = server.url();
  config.endpoint.ca_pem = named.ca_pem;
  // 127.0.0.1 is not in the certificate.
  EXPECT_FALSE(NewClient(config)->Get(ResId{kPod, "a", "web"}, arena_).ok());
  config.endpoint.tls_server_name = "api.skiff.test";
  auto ok = NewClient(config)->Get(ResId{kPod, "a", "web"}, arena_);
  EXPECT_TRUE(ok.ok()) << ok.error().String();
}

TEST_F(ClientTest, ClientCertificateFromMemoryAuthenticates) {
  FakeApiServer mtls(*pki_, /*require_client_cert=*/true);
  mtls.SetHandler([](const RecordedRequest& r, ResponseWriter& w) {
    if (!ServeDiscovery(r, w)) w.Respond(200, kPodJson);
  });
  RestConfig config = Config();
  config.endpoint.server = mtls.url();
  config.token.clear();
  EXPECT_FALSE(NewClient(config)->Get(ResId{kPod, "a", "web"}, arena_).ok());
  config.endpoint.client_cert_pem = pki_->client_cert_pem;
  config.endpoint.client_key_pem = pki_->client_key_pem;
  auto pod = NewClient(config)->Get(ResId{kPod, "a", "web"}, arena_);
  ASSERT_TRUE(pod.ok()) << pod.error().String();
  auto got = mtls.RequestsTo("/api/v1/namespaces/a/pods/web");
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].client_cn, "skiff-test-user");
  EXPECT_EQ(got[0].Header("authorization"), "");
}

TEST_F(ClientTest, ConnectionsAreReused) {
  Serve([](const RecordedRequest&, ResponseWriter& w) { w.Respond(200, kPodJson); });
  auto client = NewClient();
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(client->Get(ResId{kPod, "a", "web"}, arena_).ok());
  EXPECT_EQ(server_->connections(), 1);
}

TEST_F(ClientTest, ClusterScopedKindsIgnoreTheNamespace) {
  Serve([](const RecordedRequest&, ResponseWriter& w) {
    w.Respond(200, R"({"apiVersion":"v1","kind":"Namespace","metadata":{"name":"x"}})");
  });
  ASSERT_TRUE(NewClient()->Get(ResId{{"", "v1", "Namespace"}, "team-a", "x"}, arena_).ok());
  EXPECT_EQ(server_->RequestsTo("/api/v1/namespaces/x").size(), 1u);
}

TEST_F(ClientTest, ListPassesSelectorsAndFillsKindOnItems) {
  Serve([](const RecordedRequest&, ResponseWriter& w) {
    w.Respond(200, R"({"kind":"DeploymentList","apiVersion":"apps/v1","metadata":{"resourceVersion":"42"},
                      "items":[{"metadata":{"name":"a"}},{"metadata":{"name":"b"}}]})");
  });
  ListOptions o;
  o.label_selector = "app in (web,api),tier!=db";
  o.field_selector = "metadata.name=a";
  auto page = NewClient()->List(kDeployment, "prod", o, arena_);
  ASSERT_TRUE(page.ok()) << page.error().String();
  EXPECT_EQ(page->resource_version, "42");
  ASSERT_EQ(page->items.size(), 2u);
  EXPECT_EQ(page->items[1]->GetString("kind"), "Deployment");
  EXPECT_EQ(page->items[1]->GetString("apiVersion"), "apps/v1");
  auto got = server_->RequestsTo("/apis/apps/v1/namespaces/prod/deployments");
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].Query("labelSelector"), "app in (web,api),tier!=db");
  EXPECT_EQ(got[0].Query("fieldSelector"), "metadata.name=a");
}

TEST_F(ClientTest, ListAllFollowsContinueTokens) {
  Serve([](const RecordedRequest& r, ResponseWriter& w) {
    std::string cont = r.Query("continue");
    int page = cont.empty() ? 0 : std::stoi(cont);
    std::string next = page < 2 ? std::to_string(page + 1) : "";
    w.Respond(200, R"({"kind":"PodList","metadata":{"resourceVersion":"100","continue":")" + next +
                       R"("},"items":[{"metadata":{"name":"p)" + std::to_string(page) + R"("}}]})");
  });
  ListOptions o;
  o.limit = 1;
  auto all = NewClient()->ListAll(kPod, "", o, arena_);
  ASSERT_TRUE(all.ok()) << all.error().String();
  ASSERT_EQ(all->items.size(), 3u);
  EXPECT_EQ(all->items[2]->GetPath({"metadata", "name"})->scalar(), "p2");
  EXPECT_EQ(all->resource_version, "100");
  auto got = server_->RequestsTo("/api/v1/pods");
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].Query("limit"), "1");
  EXPECT_EQ(got[2].Query("continue"), "2");
}

TEST_F(ClientTest, ListAllRestartsUnpagedWhenTheContinueTokenExpires) {
  Serve([](const RecordedRequest& r, ResponseWriter& w) {
    if (r.Query("continue") == "1") {
      w.Respond(410, StatusJson(410, "Expired", "continue token expired"));
    } else if (r.Query("limit").empty()) {
      w.Respond(200, R"({"metadata":{"resourceVersion":"9"},"items":[{"metadata":{"name":"x"}},{"metadata":{"name":"y"}}]})");
    } else {
      w.Respond(200, R"({"metadata":{"resourceVersion":"5","continue":"1"},"items":[{"metadata":{"name":"x"}}]})");
    }
  });
  ListOptions o;
  o.limit = 1;
  auto all = NewClient()->ListAll(kPod, "a", o, arena_);
  ASSERT_TRUE(all.ok()) << all.error().String();
  EXPECT_EQ(all->items.size(), 2u);
  EXPECT_EQ(all->resource_version, "9");
}

TEST_F(ClientTest, WritesUseTheRightMethodPathContentTypeAndDryRun) {
  Serve([](const RecordedRequest& r, ResponseWriter& w) { w.Respond(r.method == "POST" ? 201 : 200, kPodJson); });
  auto client = NewClient();
  Node* pod = Parse(kPodJson);
  WriteOptions dry;
  dry.dry_run = true;
  dry.field_manager = "skiff";
  ASSERT_TRUE(client->Create(pod, dry, arena_).ok());
  ASSERT_TRUE(client->Update(pod, dry, arena_).ok());
  WriteOptions status = dry;
  status.subresource = "status";
  ASSERT_TRUE(client->Update(pod, status, arena_).ok());
  ResId id{kPod, "team-a", "web"};
  ASSERT_TRUE(client->Patch(id, PatchType::kMerge, R"({"metadata":{"labels":{"a":"b"}}})", dry, arena_).ok());
  ASSERT_TRUE(client->Patch(id, PatchType::kJson, R"([{"op":"add","path":"/x","value":1}])", dry, arena_).ok());
  ASSERT_TRUE(client->Patch(id, PatchType::kStrategic, R"({"spec":{}})", status, arena_).ok());
  ApplyOptions apply;
  apply.field_manager = "skiff-sync";
  apply.force = true;
  apply.dry_run = true;
  ASSERT_TRUE(client->Apply(pod, apply, arena_).ok());

  auto reqs = server_->requests();
  std::vector<RecordedRequest> writes;
  for (auto& r : reqs) {
    if (r.method != "GET") writes.push_back(r);
  }
  ASSERT_EQ(writes.size(), 7u);
  struct Want { const char* method; const char* path; const char* content_type; };
  const Want want[] = {
      {"POST", "/api/v1/namespaces/team-a/pods", "application/json"},
      {"PUT", "/api/v1/namespaces/team-a/pods/web", "application/json"},
      {"PUT", "/api/v1/namespaces/team-a/pods/web/status", "application/json"},
      {"PATCH", "/api/v1/namespaces/team-a/pods/web", "application/merge-patch+json"},
      {"PATCH", "/api/v1/namespaces/team-a/pods/web", "application/json-patch+json"},
      {"PATCH", "/api/v1/namespaces/team-a/pods/web/status", "application/strategic-merge-patch+json"},
      {"PATCH", "/api/v1/namespaces/team-a/pods/web", "application/apply-patch+yaml"},
  };
  for (size_t i = 0; i < writes.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(writes[i].method, want[i].method);
    EXPECT_EQ(writes[i].path, want[i].path);
    EXPECT_EQ(writes[i].Header("content-type"), want[i].content_type);
    EXPECT_EQ(writes[i].Query("dryRun"), "All");
  }
  EXPECT_EQ(writes[0].Query("fieldManager"), "skiff");
  EXPECT_EQ(writes[6].Query("fieldManager"), "skiff-sync");
  EXPECT_EQ(writes[6].Query("force"), "true");
  Arena check;
  auto sent = ParseJson(writes[0].body, check);
  ASSERT_TRUE(sent.ok());
  EXPECT_TRUE(DeepEqual(*sent, pod, /*ordered=*/true));
  EXPECT_EQ(writes[3].body, R"({"metadata":{"labels":{"a":"b"}}})");
}

TEST_F(ClientTest, DeleteSendsPropagationPolicyAndPreconditions) {
  Serve([](const RecordedRequest&, ResponseWriter& w) {
    w.Respond(200, R"({"kind":"Status","apiVersion":"v1","status":"Success"})");
  });
  DeleteOptions o;
  o.propagation_policy = "Foreground";
  o.precondition_uid = "uid-1";
  o.precondition_resource_version = "7";
  o.dry_run = true;
  ASSERT_TRUE(NewClient()->Delete(ResId{kDeployment, "prod", "web"}, o, arena_).ok());
  auto got = server_->RequestsTo("/apis/apps/v1/namespaces/prod/deployments/web");
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].method, "DELETE");
  EXPECT_EQ(got[0].Query("dryRun"), "All");
  Arena a;
  Node* body = *ParseJson(got[0].body, a);
  EXPECT_EQ(body->GetString("kind"), "DeleteOptions");
  EXPECT_EQ(body->GetString("propagationPolicy"), "Foreground");
  EXPECT_EQ(body->GetPath({"preconditions", "uid"})->scalar(), "uid-1");
  EXPECT_EQ(body->GetPath({"preconditions", "resourceVersion"})->scalar(), "7");
}

TEST_F(ClientTest, TooManyRequestsWaitsForRetryAfterThenSucceeds) {
  std::atomic<int> calls{0};
  Serve([&](const RecordedRequest&, ResponseWriter& w) {
    if (calls++ < 2) {
      w.Respond(429, StatusJson(429, "TooManyRequests", "slow down"), {{"Retry-After", "7"}});
    } else {
      w.Respond(200, kPodJson);
    }
  });
  auto pod = NewClient()->Get(ResId{kPod, "a", "web"}, arena_);
  ASSERT_TRUE(pod.ok()) << pod.error().String();
  EXPECT_EQ(calls, 3);
  EXPECT_EQ(clock_.sleeps(), (std::vector<std::chrono::milliseconds>{std::chrono::seconds(7),
                                                                      std::chrono::seconds(7)}));
}

TEST_F(ClientTest, ServerErrorsBackOffExponentiallyAndGiveUpAfterMaxAttempts) {
  std::atomic<int> calls{0};
  Serve([&](const RecordedRequest&, ResponseWriter& w) {
    ++calls;
    w.Respond(500, StatusJson(500, "InternalError", "etcd is sad"));
  });
  clock_.set_random(0.0);  // the deterministic half of each pause
  auto pod = NewClient()->Get(ResId{kPod, "a", "web"}, arena_);
  ASSERT_FALSE(pod.ok());
  EXPECT_TRUE(IsServerError(pod.error()));
  EXPECT_EQ(pod.error().message, "etcd is sad");
  EXPECT_EQ(calls, 5);
  using ms = std::chrono::milliseconds;
  EXPECT_EQ(clock_.sleeps(), (std::vector<ms>{ms(100), ms(200), ms(400), ms(800)}));
}

TEST_F(ClientTest, ServerErrorThenSuccessIsRetriedTransparently) {
  std::atomic<int> calls{0};
  Serve([&](const RecordedRequest&, ResponseWriter& w) {
    if (calls++ == 0) w.Respond(503, "busy");
    else w.Respond(200, kPodJson);
  });
  EXPECT_TRUE(NewClient()->Get(ResId{kPod, "a", "web"}, arena_).ok());
  EXPECT_EQ(calls, 2);
}

TEST_F(ClientTest, ConflictAndInvalidAreReturnedWithoutRetry) {
  for (int code : {409, 422}) {
    std::atomic<int> calls{0};
    Serve([&](const RecordedRequest&, ResponseWriter& w) {
      ++calls;
      w.Respond(code, StatusJson(code, code == 409 ? "Conflict" : "Invalid", "no"));
    });
    auto r = NewClient()->Update(Parse(kPodJson), WriteOptions{}, arena_);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, code);
    EXPECT_EQ(code == 409, IsConflict(r.error()));
    EXPECT_EQ(code == 422, IsInvalid(r.error()));
    EXPECT_EQ(calls, 1);
    EXPECT_TRUE(clock_.sleeps().empty());
  }
}

TEST_F(ClientTest, ConnectionFailuresAreRetriedAndReportedWithoutSecrets) {
  RestConfig config = Config();
  int port = server_->port();
  server_.reset();  // nothing listens there any more
  config.endpoint.server = "https://127.0.0.1:" + std::to_string(port);
  config.endpoint.proxy_url.clear();
  auto r = NewClient(config)->Get(ResId{kPod, "a", "web"}, arena_);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(IsTransportFailure(r.error()));
  EXPECT_EQ(clock_.sleeps().size(), 4u);
  EXPECT_EQ(r.error().String().find("sekret-token"), std::string::npos);
}

TEST_F(ClientTest, UnauthorizedErrorsDoNotEchoTheToken) {
  Serve([](const RecordedRequest& r, ResponseWriter& w) {
    w.Respond(401, StatusJson(401, "Unauthorized", "bad " + r.Header("authorization")));
  });
  auto r = NewClient()->Get(ResId{kPod, "a", "web"}, arena_);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(IsUnauthorized(r.error()));
  EXPECT_EQ(r.error().String().find("sekret-token"), std::string::npos) << r.error().String();
}

TEST_F(ClientTest, ExecTokenIsRefreshedOnceAfterA401) {
  TempDir dir;
  std::string plugin = dir.Write("plugin.sh", R"(#!/bin/sh
n=$(cat "$COUNT_FILE" 2>/dev/null || echo 0); n=$((n + 1)); echo "$n" > "$COUNT_FILE"
printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"exec-%s"}}' "$n"
)", true);
  Serve([](const RecordedRequest& r, ResponseWriter& w) {
    if (r.Header("authorization") == "Bearer exec-1") w.Respond(401, StatusJson(401, "Unauthorized", "expired"));
    else w.Respond(200, kPodJson);
  });
  RestConfig config = Config();
  config.token.clear();
  ExecConfig exec;
  exec.api_version = "client.authentication.k8s.io/v1";
  exec.command = plugin;
  exec.env = {{"COUNT_FILE", dir.path() + "/n"}};
  exec.interactive_mode = "Never";
  config.exec = exec;
  auto client = NewClient(config);
  ASSERT_TRUE(client->Get(ResId{kPod, "a", "web"}, arena_).ok());
  ASSERT_TRUE(client->Get(ResId{kPod, "a", "web"}, arena_).ok());
  auto got = server_->RequestsTo("/api/v1/namespaces/a/pods/web");
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].Header("authorization"), "Bearer exec-1");
  EXPECT_EQ(got[1].Header("authorization"), "Bearer exec-2");
  EXPECT_EQ(got[2].Header("authorization"), "Bearer exec-2");  // cached: no expiry given
}

TEST_F(ClientTest, RedirectsAreNotFollowed) {
  Serve([](const RecordedRequest&, ResponseWriter& w) {
    w.Respond(302, "", {{"Location", "https://evil.example/steal"}});
  });
  auto r = NewClient()->Get(ResId{kPod, "a", "web"}, arena_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, 302);
}

}  // namespace
}  // namespace skiff::kube
