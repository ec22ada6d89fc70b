#include "sync/differ.h"

#include <gtest/gtest.h>

#include <functional>
#include <map>

#include "yaml/yaml.h"

namespace skiff::sync {
namespace {

// An API server in memory: discovery for ConfigMaps and Secrets, and
// per-test answers for everything else keyed by "METHOD path".
class ScriptedTransport : public kube::Transport {
 public:
  std::map<std::string, std::pair<int, std::string>> answers;

  kube::ApiResult<kube::HttpResponse> Send(const kube::HttpRequest& request) override {
    std::string path = request.path.substr(0, request.path.find('?'));
    kube::HttpResponse response;
    response.status = 404;
    response.body = R"({"kind":"Status","apiVersion":"v1","status":"Failure","reason":"NotFound","code":404,"message":"not found"})";
    if (path == "/api") {
      response = Ok(R"({"kind":"APIVersions","versions":["v1"]})");
    } else if (path == "/apis") {
      response = Ok(R"({"kind":"APIGroupList","apiVersion":"v1","groups":[]})");
    } else if (path == "/api/v1") {
      response = Ok(R"({"kind":"APIResourceList","groupVersion":"v1","resources":[
        {"name":"configmaps","singularName":"configmap","namespaced":true,"kind":"ConfigMap","verbs":["get","patch"]},
        {"name":"secrets","singularName":"secret","namespaced":true,"kind":"Secret","verbs":["get","patch"]}]})");
    } else if (auto it = answers.find(request.method + " " + path); it != answers.end()) {
      response.status = it->second.first;
      response.body = it->second.second;
    }
    return response;
  }
  kube::ApiResult<kube::HttpResponse> Stream(const kube::HttpRequest& request, const kube::BodySink& sink,
                                             bool* stopped_by_sink) override {
    return Send(request);
  }

 private:
  static kube::HttpResponse Ok(std::string body) {
    kube::HttpResponse r;
    r.status = 200;
    r.body = std::move(body);
    return r;
  }
};

class DifferTest : public ::testing::Test {
 protected:
  DifferTest() {
    auto transport = std::make_unique<ScriptedTransport>();
    transport_ = transport.get();
    kube::RestConfig config;
    config.endpoint.server = "https://api.test";
    kube::ClientOptions options;
    options.max_attempts = 1;
    client_ = std::make_unique<kube::Client>(config, std::move(transport), options);
  }

  void AddObject(std::string_view yaml) {
    auto docs = ParseYamlStream(yaml, "app.yaml", arena_);
    ASSERT_TRUE(docs.ok()) << docs.error().message;
    Resource r;
    r.root = (*docs)[0].root;
    r.origin = Origin{"app.yaml", 1};
    ASSERT_TRUE(set_.Add(std::move(r)).ok());
  }

  DiffReport Diff() {
    auto report = DiffAgainstCluster(*client_, set_, DiffOptions{});
    EXPECT_TRUE(report.ok()) << report.error().message;
    return report.ok() ? *report : DiffReport{};
  }

  Arena arena_;
  ResourceSet set_;
  ScriptedTransport* transport_;
  std::unique_ptr<kube::Client> client_;
};

constexpr std::string_view kPath = "/api/v1/namespaces/app/secrets/db";

TEST_F(DifferTest, ChangedObjectGetsAUnifiedDiffWithoutNoise) {
  AddObject("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm, namespace: app}\ndata: {mode: green}\n");
  transport_->answers["GET /api/v1/namespaces/app/configmaps/cm"] = {200,
      R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm","namespace":"app","uid":"u-1","resourceVersion":"5","managedFields":[{"manager":"skiff"}]},"data":{"mode":"blue"}})"};
  transport_->answers["PATCH /api/v1/namespaces/app/configmaps/cm"] = {200,
      R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm","namespace":"app","uid":"u-1","resourceVersion":"6","managedFields":[{"manager":"skiff"}]},"data":{"mode":"green"}})"};
  DiffReport report = Diff();
  ASSERT_EQ(report.objects.size(), 1u);
  EXPECT_EQ(report.objects[0].action, DiffAction::kChanged);
  EXPECT_EQ(report.objects[0].diff,
            "--- live/ConfigMap/app/cm\n+++ desired/ConfigMap/app/cm\n@@ -1,6 +1,6 @@\n"
            " apiVersion: v1\n data:\n-  mode: blue\n+  mode: green\n kind: ConfigMap\n"
            " metadata:\n   name: cm\n");
  EXPECT_TRUE(report.HasChanges());
}

TEST_F(DifferTest, ApiErrorEchoingASecretValueIsScrubbed) {
  // "hunter2-value" is aHVudGVyMi12YWx1ZQ== in base64.
  AddObject("apiVersion: v1\nkind: Secret\nmetadata: {name: db, namespace: app}\n"
            "stringData: {password: hunter2-value}\n");
  transport_->answers["GET " + std::string(kPath)] = {200,
      R"({"apiVersion":"v1","kind":"Secret","metadata":{"name":"db","namespace":"app"},"data":{"password":"b2xk"}})"};
  transport_->answers["PATCH " + std::string(kPath)] = {422,
      R"({"kind":"Status","apiVersion":"v1","status":"Failure","reason":"Invalid","code":422,)"
      R"("message":"Secret \"db\" is invalid: data[password]: Invalid value: \"hunter2-value\" (aHVudGVyMi12YWx1ZQ==): too weak"})"};
  DiffReport report = Diff();
  ASSERT_EQ(report.objects.size(), 1u);
  const ObjectDiff& d = report.objects[0];
  EXPECT_EQ(d.action, DiffAction::kFailed);
  EXPECT_NE(d.error.find("is invalid"), std::string::npos) << d.error;
  EXPECT_EQ(d.error.find("hunter2-value"), std::string::npos) << d.error;
  EXPECT_EQ(d.error.find("aHVudGVyMi12YWx1ZQ"), std::string::npos) << d.error;
  EXPECT_NE(d.error.find("***masked-"), std::string::npos) << d.error;
  EXPECT_TRUE(report.HasFailures());
}

TEST_F(DifferTest, SecretDiffShowsMasksOnly) {
  AddObject("apiVersion: v1\nkind: Secret\nmetadata: {name: db, namespace: app}\ndata: {password: bmV3LXNlY3JldA==}\n");
  transport_->answers["GET " + std::string(kPath)] = {200,
      R"({"apiVersion":"v1","kind":"Secret","metadata":{"name":"db","namespace":"app"},"data":{"password":"b2xkLXNlY3JldA=="}})"};
  transport_->answers["PATCH " + std::string(kPath)] = {200,
      R"({"apiVersion":"v1","kind":"Secret","metadata":{"name":"db","namespace":"app"},"data":{"password":"bmV3LXNlY3JldA=="}})"};
  DiffReport report = Diff();
  ASSERT_EQ(report.objects.size(), 1u);
  const std::string& diff = report.objects[0].diff;
  EXPECT_EQ(report.objects[0].action, DiffAction::kChanged);
  EXPECT_NE(diff.find("-  password: '***masked-"), std::string::npos) << diff;
  EXPECT_NE(diff.find("+  password: '***masked-"), std::string::npos) << diff;
  for (std::string_view leak : {"bmV3", "b2xk", "new-secret", "old-secret"})
    EXPECT_EQ(diff.find(leak), std::string::npos) << leak << " in " << diff;
}

TEST_F(DifferTest, MissingObjectIsCreatedWithEveryLineAdded) {
  AddObject("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: fresh, namespace: app}\ndata: {a: b}\n");
  transport_->answers["PATCH /api/v1/namespaces/app/configmaps/fresh"] = {200,
      R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"fresh","namespace":"app","uid":"x"},"data":{"a":"b"}})"};
  DiffReport report = Diff();
  ASSERT_EQ(report.objects.size(), 1u);
  EXPECT_EQ(report.objects[0].action, DiffAction::kCreated);
  EXPECT_NE(report.objects[0].diff.find("@@ -0,0 +1,"), std::string::npos) << report.objects[0].diff;
  EXPECT_EQ(report.objects[0].diff.find("\n "), std::string::npos) << "no context lines expected";
}

TEST_F(DifferTest, UnchangedObjectHasNoDiff) {
  AddObject("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm, namespace: app}\ndata: {mode: blue}\n");
  std::string live = R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm","namespace":"app","resourceVersion":"5"},"data":{"mode":"blue"}})";
  transport_->answers["GET /api/v1/namespaces/app/configmaps/cm"] = {200, live};
  transport_->answers["PATCH /api/v1/namespaces/app/configmaps/cm"] = {200, live};
  DiffReport report = Diff();
  ASSERT_EQ(report.objects.size(), 1u);
  EXPECT_EQ(report.objects[0].action, DiffAction::kUnchanged);
  EXPECT_FALSE(report.HasChanges());
}

TEST(DropNoiseTest, RemovesServerBookkeepingAndStatus) {
  Arena arena;
  auto obj = ParseJson(R"({"kind":"X","metadata":{"name":"n","uid":"u","generation":3,"resourceVersion":"9",)"
                       R"("creationTimestamp":"t","managedFields":[],"labels":{"a":"b"}},"status":{"x":1}})", arena);
  ASSERT_TRUE(obj.ok());
  DropNoise(*obj);
  std::string out;
  EmitJson(*obj, out);
  EXPECT_EQ(out, R"({"kind":"X","metadata":{"name":"n","labels":{"a":"b"}}})");
}

}  // namespace
}  // namespace skiff::sync
