#include "local/workload_controller.h"

#include <gtest/gtest.h>

#include <deque>

#include "local/json_codec.h"
#include "local/object_meta.h"
#include "local/object_writes.h"

namespace skiff::local {
namespace {

using std::chrono::milliseconds;
using Clock = WorkloadController::Clock;

constexpr std::string_view kDeployment = R"({"apiVersion":"apps/v1","kind":"Deployment",
  "metadata":{"name":"web","namespace":"default"%s},
  "spec":{"replicas":3,"selector":{"matchLabels":{"app":"web"}},
          "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"web","image":"nginx"}]}}}})";

// Replaces the first "%s" with `extra`.
std::string Fill(std::string_view text, std::string_view extra) {
  std::string s(text);
  size_t at = s.find("%s");
  return at == std::string::npos ? s : s.replace(at, 2, extra);
}

class WorkloadControllerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto cp = ControlPlane::Open("");
    ASSERT_TRUE(cp.ok()) << cp.error().message;
    cp_ = std::move(*cp);
    controller_ = std::make_unique<WorkloadController>(*cp_, milliseconds(500));
  }

  const ApiResource& Res(std::string_view group, std::string_view version, std::string_view plural) {
    auto res = cp_->Find(group, version, plural);
    EXPECT_TRUE(res.has_value()) << plural;
    resources_.push_back(*res);
    return resources_.back();
  }

  void Create(const ApiResource& res, const std::string& json) {
    Arena arena;
    auto obj = ParseJsonText(json, arena);
    ASSERT_TRUE(obj.ok()) << obj.error().message;
    std::lock_guard<std::mutex> lock(cp_->write_mu());
    ASSERT_TRUE(StoreNew(*cp_, res, *obj, arena, false).ok());
  }

  // The stored object, parsed into arena_.
  const Node* Stored(const ApiResource& res, std::string_view name, std::string_view ns = "default") {
    auto o = cp_->store().Get(KeyOf(res, ns, name));
    if (!o) return nullptr;
    auto root = ParseJsonText(o->json, arena_);
    return root.ok() ? *root : nullptr;
  }

  std::string StatusText(const ApiResource& res, std::string_view name, std::string_view ns = "default") {
    const Node* obj = Stored(res, name, ns);
    std::string out;
    if (obj != nullptr && obj->Get("status") != nullptr) EmitJsonText(obj->Get("status"), out);
    return out;
  }

  static const Node* ConditionOf(const Node* obj, std::string_view type) {
    const Node* conditions = obj->GetPath({"status", "conditions"});
    if (conditions == nullptr) return nullptr;
    for (const Node* c : conditions->items()) {
      if (c->GetString("type") == type) return c;
    }
    return nullptr;
  }

  std::unique_ptr<ControlPlane> cp_;
  std::unique_ptr<WorkloadController> controller_;
  std::deque<ApiResource> resources_;
  Arena arena_;
  Clock::time_point t0_ = Clock::now();
};

TEST(ParseRolloutDelay, AcceptsGoStyleDurations) {
  EXPECT_EQ(ParseRolloutDelay("500ms"), milliseconds(500));
  EXPECT_EQ(ParseRolloutDelay("2s"), milliseconds(2000));
  EXPECT_EQ(ParseRolloutDelay("1.5s"), milliseconds(1500));
  EXPECT_EQ(ParseRolloutDelay("1m"), milliseconds(60000));
  EXPECT_EQ(ParseRolloutDelay("0"), milliseconds(0));
  EXPECT_FALSE(ParseRolloutDelay("").has_value());
  EXPECT_FALSE(ParseRolloutDelay("2").has_value());
  EXPECT_FALSE(ParseRolloutDelay("fast").has_value());
  EXPECT_FALSE(ParseRolloutDelay("1.2.3s").has_value());
}

TEST_F(WorkloadControllerTest, DeploymentProgressesThenBecomesAvailableAfterTheDelay) {
  const ApiResource& deploy = Res("apps", "v1", "deployments");
  Create(deploy, Fill(kDeployment, ""));
  const Node* before = Stored(deploy, "web");
  EXPECT_EQ(controller_->RunOnce(t0_), t0_ + milliseconds(500));
  const Node* rolling = Stored(deploy, "web");
  EXPECT_EQ(MetaInt(rolling, "generation"), 1);
  EXPECT_EQ(rolling->GetPath({"status", "observedGeneration"})->scalar(), "1");
  EXPECT_EQ(rolling->GetPath({"status", "updatedReplicas"}), nullptr);
  EXPECT_EQ(ConditionOf(rolling, "Progressing")->GetString("reason"), "ReplicaSetUpdated");
  EXPECT_EQ(ConditionOf(rolling, "Available")->GetString("status"), "False");
  EXPECT_TRUE(DeepEqual(before->Get("spec"), rolling->Get("spec")));
  EXPECT_NE(MetaString(before, "resourceVersion"), MetaString(rolling, "resourceVersion"));

  controller_->RunOnce(t0_ + milliseconds(499));
  EXPECT_EQ(ConditionOf(Stored(deploy, "web"), "Progressing")->GetString("reason"), "ReplicaSetUpdated");

  EXPECT_EQ(controller_->RunOnce(t0_ + milliseconds(500)), Clock::time_point::max());
  const Node* done = Stored(deploy, "web");
  for (std::string_view field : {"replicas", "updatedReplicas", "readyReplicas", "availableReplicas"}) {
    ASSERT_NE(done->GetPath({"status", field}), nullptr) << field;
    EXPECT_EQ(done->GetPath({"status", field})->scalar(), "3") << field;
  }
  const Node* progressing = ConditionOf(done, "Progressing");
  EXPECT_EQ(progressing->GetString("status"), "True");
  EXPECT_EQ(progressing->GetString("reason"), "NewReplicaSetAvailable");
  EXPECT_FALSE(progressing->GetString("lastUpdateTime").empty());
  EXPECT_FALSE(progressing->GetString("lastTransitionTime").empty());
  EXPECT_EQ(ConditionOf(done, "Available")->GetString("status"), "True");
  EXPECT_EQ(MetaInt(done, "generation"), 1);
}

TEST_F(WorkloadControllerTest, SettledStatusIsNotRewritten) {
  const ApiResource& deploy = Res("apps", "v1", "deployments");
  Create(deploy, Fill(kDeployment, ""));
  controller_->RunOnce(t0_);
  controller_->RunOnce(t0_ + milliseconds(600));
  int64_t rv = cp_->store().CurrentRv();
  controller_->RunOnce(t0_ + milliseconds(700));
  EXPECT_EQ(cp_->store().CurrentRv(), rv);
  // A controller started later (a restart) takes the rollout as done.
  WorkloadController restarted(*cp_, milliseconds(500));
  restarted.RunOnce(t0_ + milliseconds(800));
  EXPECT_EQ(cp_->store().CurrentRv(), rv);
}

TEST_F(WorkloadControllerTest, StatusWritesAreModifiedEvents) {
  const ApiResource& deploy = Res("apps", "v1", "deployments");
  Create(deploy, Fill(kDeployment, ""));
  int64_t rv = cp_->store().CurrentRv();
  controller_->RunOnce(t0_);
  std::vector<WatchEvent> events;
  ASSERT_TRUE(cp_->store().EventsSince(rv, events));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].type, EventType::kModified);
  EXPECT_NE(events[0].json.find("ReplicaSetUpdated"), std::string::npos);
}

TEST_F(WorkloadControllerTest, SpecChangeRestartsTheRollout) {
  const ApiResource& deploy = Res("apps", "v1", "deployments");
  Create(deploy, Fill(kDeployment, ""));
  controller_->RunOnce(t0_);
  controller_->RunOnce(t0_ + milliseconds(500));
  {
    Arena arena;
    auto old = ParseStored(cp_->store().Get(KeyOf(deploy, "default", "web"))->json, deploy, arena);
    ASSERT_TRUE(old.ok());
    Node* updated = arena.Clone(*old);
    updated->GetPath({"spec"})->Set("replicas", arena.NewInt(5));
    std::lock_guard<std::mutex> lock(cp_->write_mu());
    ASSERT_TRUE(StoreUpdate(*cp_, deploy, *old, updated, true, arena, false).ok());
  }
  Clock::time_point t1 = t0_ + milliseconds(1000);
  EXPECT_EQ(controller_->RunOnce(t1), t1 + milliseconds(500));
  const Node* rolling = Stored(deploy, "web");
  EXPECT_EQ(rolling->GetPath({"status", "observedGeneration"})->scalar(), "2");
  EXPECT_EQ(ConditionOf(rolling, "Progressing")->GetString("reason"), "ReplicaSetUpdated");
  EXPECT_EQ(rolling->GetPath({"status", "availableReplicas"})->scalar(), "3");  // the old pods still serve
  controller_->RunOnce(t1 + milliseconds(500));
  EXPECT_EQ(Stored(deploy, "web")->GetPath({"status", "availableReplicas"})->scalar(), "5");
}

TEST_F(WorkloadControllerTest, AnnotationOverridesTheDefaultDelay) {
  const ApiResource& deploy = Res("apps", "v1", "deployments");
  Create(deploy, Fill(kDeployment, R"(,"annotations":{"local.skiff.dev/rollout-delay":"2s"})"));
  EXPECT_EQ(controller_->RunOnce(t0_), t0_ + milliseconds(2000));
  controller_->RunOnce(t0_ + milliseconds(1999));
  EXPECT_EQ(ConditionOf(Stored(deploy, "web"), "Available")->GetString("status"), "False");
  controller_->RunOnce(t0_ + milliseconds(2000));
  EXPECT_EQ(ConditionOf(Stored(deploy, "web"), "Available")->GetString("status"), "True");
}

TEST_F(WorkloadControllerTest, FailRolloutExceedsTheProgressDeadline) {
  const ApiResource& deploy = Res("apps", "v1", "deployments");
  Create(deploy, Fill(kDeployment, R"(,"annotations":{"local.skiff.dev/simulate":"fail-rollout"})"));
  controller_->RunOnce(t0_);
  controller_->RunOnce(t0_ + milliseconds(500));
  const Node* failed = Stored(deploy, "web");
  const Node* progressing = ConditionOf(failed, "Progressing");
  EXPECT_EQ(progressing->GetString("status"), "False");
  EXPECT_EQ(progressing->GetString("reason"), "ProgressDeadlineExceeded");
  EXPECT_EQ(ConditionOf(failed, "Available")->GetString("status"), "False");
  EXPECT_EQ(failed->GetPath({"status", "availableReplicas"}), nullptr);
  EXPECT_EQ(failed->GetPath({"status", "unavailableReplicas"})->scalar(), "3");
}

TEST_F(WorkloadControllerTest, StatefulSetRevisionsConvergeAfterAnUpdate) {
  const ApiResource& sts = Res("apps", "v1", "statefulsets");
  std::string json = Fill(kDeployment, "");
  json.replace(json.find("Deployment"), 10, "StatefulSet");
  Create(sts, json);
  controller_->RunOnce(t0_);
  controller_->RunOnce(t0_ + milliseconds(500));
  const Node* done = Stored(sts, "web");
  EXPECT_EQ(done->GetPath({"status", "readyReplicas"})->scalar(), "3");
  std::string revision(done->GetPath({"status"})->GetString("updateRevision"));
  EXPECT_EQ(revision.rfind("web-", 0), 0u);
  EXPECT_EQ(done->GetPath({"status"})->GetString("currentRevision"), revision);
  {
    Arena arena;
    auto old = ParseStored(cp_->store().Get(KeyOf(sts, "default", "web"))->json, sts, arena);
    Node* updated = arena.Clone(*old);
    Node* container = updated->GetPath({"spec", "template", "spec", "containers"})->items()[0];
    container->Set("image", arena.NewString("nginx:2"));
    std::lock_guard<std::mutex> lock(cp_->write_mu());
    ASSERT_TRUE(StoreUpdate(*cp_, sts, *old, updated, true, arena, false).ok());
  }
  controller_->RunOnce(t0_ + milliseconds(1000));
  const Node* rolling = Stored(sts, "web");
  EXPECT_EQ(rolling->GetPath({"status"})->GetString("currentRevision"), revision);
  EXPECT_NE(rolling->GetPath({"status"})->GetString("updateRevision"), revision);
  controller_->RunOnce(t0_ + milliseconds(1500));
  const Node* converged = Stored(sts, "web");
  EXPECT_EQ(converged->GetPath({"status"})->GetString("currentRevision"),
            converged->GetPath({"status"})->GetString("updateRevision"));
}

TEST_F(WorkloadControllerTest, DaemonSetSchedulesOnTheOneNode) {
  const ApiResource& ds = Res("apps", "v1", "daemonsets");
  std::string json = Fill(kDeployment, "");
  json.replace(json.find("Deployment"), 10, "DaemonSet");
  Create(ds, json);
  controller_->RunOnce(t0_);
  EXPECT_EQ(Stored(ds, "web")->GetPath({"status", "numberReady"})->scalar(), "0");
  controller_->RunOnce(t0_ + milliseconds(500));
  const Node* status = Stored(ds, "web")->Get("status");
  for (std::string_view field : {"desiredNumberScheduled", "currentNumberScheduled", "numberReady", "numberAvailable",
                                 "updatedNumberScheduled"}) {
    ASSERT_NE(status->Get(field), nullptr) << field;
    EXPECT_EQ(status->Get(field)->scalar(), "1") << field;
  }
}

TEST_F(WorkloadControllerTest, ReplicaSetBecomesReady) {
  const ApiResource& rs = Res("apps", "v1", "replicasets");
  std::string json = Fill(kDeployment, "");
  json.replace(json.find("Deployment"), 10, "ReplicaSet");
  Create(rs, json);
  controller_->RunOnce(t0_);
  EXPECT_EQ(Stored(rs, "web")->GetPath({"status", "readyReplicas"}), nullptr);
  controller_->RunOnce(t0_ + milliseconds(500));
  EXPECT_EQ(Stored(rs, "web")->GetPath({"status", "availableReplicas"})->scalar(), "3");
}

TEST_F(WorkloadControllerTest, JobsCompleteOrFail) {
  const ApiResource& jobs = Res("batch", "v1", "jobs");
  std::string job = R"({"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"%s","namespace":"default")";
  Create(jobs, Fill(job, "ok") + R"(},"spec":{"completions":2,"template":{"spec":{"containers":[]}}}})");
  Create(jobs, Fill(job, "bad") +
                   R"(,"annotations":{"local.skiff.dev/simulate":"fail-rollout"}},"spec":{"backoffLimit":2}})");
  controller_->RunOnce(t0_);
  const Node* running = Stored(jobs, "ok");
  EXPECT_EQ(running->GetPath({"status", "active"})->scalar(), "1");
  EXPECT_FALSE(running->Get("status")->GetString("startTime").empty());
  controller_->RunOnce(t0_ + milliseconds(500));
  const Node* ok = Stored(jobs, "ok");
  EXPECT_EQ(ok->GetPath({"status", "succeeded"})->scalar(), "2");
  EXPECT_FALSE(ok->Get("status")->GetString("completionTime").empty());
  EXPECT_EQ(ConditionOf(ok, "Complete")->GetString("status"), "True");
  const Node* bad = Stored(jobs, "bad");
  EXPECT_EQ(ConditionOf(bad, "Failed")->GetString("reason"), "BackoffLimitExceeded");
  EXPECT_EQ(bad->GetPath({"status", "failed"})->scalar(), "3");
  EXPECT_EQ(ConditionOf(bad, "Complete"), nullptr);
}

TEST_F(WorkloadControllerTest, ClaimsBindWithTheRequestedCapacity) {
  const ApiResource& pvc = Res("", "v1", "persistentvolumeclaims");
  Create(pvc, R"({"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"data","namespace":"default"},
      "spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"5Gi"}}}})");
  controller_->RunOnce(t0_);
  EXPECT_EQ(StatusText(pvc, "data"), R"({"phase":"Bound","accessModes":["ReadWriteOnce"],"capacity":{"storage":"5Gi"}})");
}

TEST_F(WorkloadControllerTest, LoadBalancersGetAStableTestNetAddress) {
  const ApiResource& svc = Res("", "v1", "services");
  std::string service = R"({"apiVersion":"v1","kind":"Service","metadata":{"name":"%s","namespace":"default"},)";
  Create(svc, Fill(service, "lb") + R"("spec":{"type":"LoadBalancer","ports":[{"port":80}]}})");
  Create(svc, Fill(service, "plain") + R"("spec":{"ports":[{"port":80}]}})");
  controller_->RunOnce(t0_);
  const Node* lb = Stored(svc, "lb");
  const Node* ingress = lb->GetPath({"status", "loadBalancer", "ingress"});
  ASSERT_NE(ingress, nullptr);
  std::string ip(ingress->items()[0]->GetString("ip"));
  EXPECT_EQ(ip.rfind("192.0.2.", 0), 0u);
  EXPECT_EQ(Stored(svc, "plain")->GetPath({"status", "loadBalancer", "ingress"}), nullptr);
  // The same service gets the same address in another control plane.
  auto other = ControlPlane::Open("");
  ASSERT_TRUE(other.ok());
  std::swap(cp_, *other);
  controller_ = std::make_unique<WorkloadController>(*cp_, milliseconds(500));
  const ApiResource& svc2 = Res("", "v1", "services");
  Create(svc2, Fill(service, "lb") + R"("spec":{"type":"LoadBalancer","ports":[{"port":80}]}})");
  controller_->RunOnce(t0_);
  EXPECT_EQ(Stored(svc2, "lb")->GetPath({"status", "loadBalancer", "ingress"})->items()[0]->GetString("ip"), ip);
}

TEST_F(WorkloadControllerTest, IngressesGetTheAddressOfTheSimulatedController) {
  const ApiResource& ing = Res("networking.k8s.io", "v1", "ingresses");
  Create(ing, R"({"apiVersion":"networking.k8s.io/v1","kind":"Ingress","metadata":{"name":"web","namespace":"default"},
      "spec":{"rules":[{"host":"shop.example.com"}]}})");
  controller_->RunOnce(t0_);
  const Node* ingress = Stored(ing, "web")->GetPath({"status", "loadBalancer", "ingress"});
  ASSERT_NE(ingress, nullptr);
  ASSERT_EQ(ingress->items().size(), 1u);
  EXPECT_EQ(std::string(ingress->items()[0]->GetString("ip")).rfind("192.0.2.", 0), 0u);
}

TEST_F(WorkloadControllerTest, PodsRunAndAreReady) {
  const ApiResource& pods = Res("", "v1", "pods");
  Create(pods, R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"default"},
      "spec":{"containers":[{"name":"c","image":"busybox"}]}})");
  controller_->RunOnce(t0_);
  const Node* pod = Stored(pods, "p");
  EXPECT_EQ(pod->GetPath({"status"})->GetString("phase"), "Running");
  EXPECT_EQ(ConditionOf(pod, "Ready")->GetString("status"), "True");
  const Node* container = pod->GetPath({"status", "containerStatuses"})->items()[0];
  EXPECT_EQ(container->GetString("name"), "c");
  EXPECT_EQ(container->Get("ready")->scalar(), "true");
}

TEST_F(WorkloadControllerTest, NamespacesAreActive) {
  const ApiResource& ns = Res("", "v1", "namespaces");
  Create(ns, R"({"apiVersion":"v1","kind":"Namespace","metadata":{"name":"team"}})");
  controller_->RunOnce(t0_);
  EXPECT_EQ(Stored(ns, "team", "")->GetPath({"status"})->GetString("phase"), "Active");
}

}  // namespace
}  // namespace skiff::local
