#include "sync/health.h"

#include <gtest/gtest.h>

#include "yaml/yaml.h"

namespace skiff::sync {
namespace {

// Parses one object and judges it; the arena lives in the fixture.
class HealthTest : public ::testing::Test {
 protected:
  HealthStatus Judge(std::string_view yaml) {
    auto docs = ParseYamlStream(yaml, "live.yaml", arena_);
    EXPECT_TRUE(docs.ok()) << (docs.ok() ? "" : docs.error().message);
    if (!docs.ok() || docs->empty()) return {};
    return AssessHealth((*docs)[0].root);
  }
  Arena arena_;
};

constexpr std::string_view kDeploymentHead = R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop, generation: 3}
spec: {replicas: 3}
)";

TEST_F(HealthTest, NullIsMissing) {
  EXPECT_EQ(AssessHealth(nullptr).health, Health::kMissing);
  EXPECT_EQ(HealthName(Health::kMissing), "Missing");
  EXPECT_EQ(HealthName(Health::kDegraded), "Degraded");
}

TEST_F(HealthTest, DeploymentRolledOutIsHealthy) {
  auto h = Judge(std::string(kDeploymentHead) + R"(status:
  observedGeneration: 3
  replicas: 3
  updatedReplicas: 3
  readyReplicas: 3
  availableReplicas: 3
  conditions:
  - {type: Available, status: "True", reason: MinimumReplicasAvailable}
  - {type: Progressing, status: "True", reason: NewReplicaSetAvailable}
)");
  EXPECT_EQ(h.health, Health::kHealthy) << h.reason;
}

TEST_F(HealthTest, DeploymentWithUnobservedGenerationIsProgressing) {
  auto h = Judge(std::string(kDeploymentHead) + R"(status:
  observedGeneration: 2
  replicas: 3
  updatedReplicas: 3
  availableReplicas: 3
)");
  EXPECT_EQ(h.health, Health::kProgressing);
  EXPECT_NE(h.reason.find("observed"), std::string::npos) << h.reason;
}

TEST_F(HealthTest, DeploymentWaitsForUpdatedThenOldThenAvailable) {
  auto partial = Judge(std::string(kDeploymentHead) +
                       "status: {observedGeneration: 3, replicas: 3, updatedReplicas: 1, availableReplicas: 3}\n");
  EXPECT_EQ(partial.health, Health::kProgressing);
  EXPECT_EQ(partial.reason, "1 of 3 replicas updated");
  auto old = Judge(std::string(kDeploymentHead) +
                   "status: {observedGeneration: 3, replicas: 4, updatedReplicas: 3, availableReplicas: 3}\n");
  EXPECT_EQ(old.health, Health::kProgressing);
  EXPECT_EQ(old.reason, "1 old replicas pending termination");
  auto unavailable = Judge(std::string(kDeploymentHead) +
                           "status: {observedGeneration: 3, replicas: 3, updatedReplicas: 3, availableReplicas: 2}\n");
  EXPECT_EQ(unavailable.health, Health::kProgressing);
  EXPECT_EQ(unavailable.reason, "2 of 3 updated replicas available");
}

TEST_F(HealthTest, DeploymentPastProgressDeadlineIsDegraded) {
  auto h = Judge(std::string(kDeploymentHead) + R"(status:
  observedGeneration: 3
  replicas: 3
  updatedReplicas: 1
  conditions:
  - type: Progressing
    status: "False"
    reason: ProgressDeadlineExceeded
    message: ReplicaSet "web-5d9c" has timed out progressing.
)");
  EXPECT_EQ(h.health, Health::kDegraded);
  EXPECT_NE(h.reason.find("ProgressDeadlineExceeded"), std::string::npos) << h.reason;
}

TEST_F(HealthTest, PausedDeploymentIsNotWaitedFor) {
  auto h = Judge(R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: web, generation: 2}
spec: {replicas: 2, paused: true}
status: {observedGeneration: 1, replicas: 2, updatedReplicas: 0}
)");
  EXPECT_EQ(h.health, Health::kHealthy);
  EXPECT_EQ(h.reason, "rollout paused");
}

TEST_F(HealthTest, DeploymentWithoutStatusIsProgressing) {
  EXPECT_EQ(Judge(kDeploymentHead).health, Health::kProgressing);
}

constexpr std::string_view kStatefulSetHead = R"(apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, generation: 2}
)";

TEST_F(HealthTest, StatefulSetRevisionsDecide) {
  auto rolling = Judge(std::string(kStatefulSetHead) + R"(spec: {replicas: 3}
status: {observedGeneration: 2, replicas: 3, readyReplicas: 3, updatedReplicas: 1,
  currentRevision: db-1, updateRevision: db-2}
)");
  EXPECT_EQ(rolling.health, Health::kProgressing);
  auto done = Judge(std::string(kStatefulSetHead) + R"(spec: {replicas: 3}
status: {observedGeneration: 2, replicas: 3, readyReplicas: 3, updatedReplicas: 3,
  currentRevision: db-2, updateRevision: db-2}
)");
  EXPECT_EQ(done.health, Health::kHealthy) << done.reason;
  auto not_ready = Judge(std::string(kStatefulSetHead) + R"(spec: {replicas: 3}
status: {observedGeneration: 2, replicas: 3, readyReplicas: 2, currentRevision: db-2, updateRevision: db-2}
)");
  EXPECT_EQ(not_ready.health, Health::kProgressing);
  EXPECT_EQ(not_ready.reason, "2 of 3 pods ready");
}

TEST_F(HealthTest, StatefulSetPartitionCountsOnlyThePartition) {
  std::string spec = R"(spec:
  replicas: 4
  updateStrategy: {type: RollingUpdate, rollingUpdate: {partition: 2}}
)";
  auto waiting = Judge(std::string(kStatefulSetHead) + spec +
                       "status: {observedGeneration: 2, readyReplicas: 4, updatedReplicas: 1, "
                       "currentRevision: db-1, updateRevision: db-2}\n");
  EXPECT_EQ(waiting.health, Health::kProgressing);
  auto done = Judge(std::string(kStatefulSetHead) + spec +
                    "status: {observedGeneration: 2, readyReplicas: 4, updatedReplicas: 2, "
                    "currentRevision: db-1, updateRevision: db-2}\n");
  EXPECT_EQ(done.health, Health::kHealthy) << done.reason;
}

TEST_F(HealthTest, StatefulSetOnDeleteIsHealthyOnceReady) {
  auto h = Judge(std::string(kStatefulSetHead) + R"(spec: {replicas: 1, updateStrategy: {type: OnDelete}}
status: {observedGeneration: 2, readyReplicas: 1, currentRevision: db-1, updateRevision: db-2}
)");
  EXPECT_EQ(h.health, Health::kHealthy);
}

TEST_F(HealthTest, DaemonSetNeedsEveryNodeUpdatedAndAvailable) {
  std::string head = "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent, generation: 1}\n";
  auto rolling = Judge(head + "status: {observedGeneration: 1, desiredNumberScheduled: 3, "
                              "updatedNumberScheduled: 2, numberAvailable: 3}\n");
  EXPECT_EQ(rolling.health, Health::kProgressing);
  auto unavailable = Judge(head + "status: {observedGeneration: 1, desiredNumberScheduled: 3, "
                                  "updatedNumberScheduled: 3, numberAvailable: 1}\n");
  EXPECT_EQ(unavailable.health, Health::kProgressing);
  auto done = Judge(head + "status: {observedGeneration: 1, desiredNumberScheduled: 3, "
                           "updatedNumberScheduled: 3, numberAvailable: 3}\n");
  EXPECT_EQ(done.health, Health::kHealthy);
}

TEST_F(HealthTest, ReplicaSetFailureIsDegraded) {
  std::string head = "apiVersion: apps/v1\nkind: ReplicaSet\nmetadata: {name: rs}\nspec: {replicas: 2}\n";
  auto failed = Judge(head + R"(status:
  replicas: 0
  conditions:
  - {type: ReplicaFailure, status: "True", reason: FailedCreate, message: 'pods "rs-" is forbidden'}
)");
  EXPECT_EQ(failed.health, Health::kDegraded);
  EXPECT_EQ(Judge(head + "status: {availableReplicas: 2}\n").health, Health::kHealthy);
  EXPECT_EQ(Judge(head + "status: {availableReplicas: 1}\n").health, Health::kProgressing);
}

TEST_F(HealthTest, JobCompleteFailedSuspendedOrRunning) {
  std::string head = "apiVersion: batch/v1\nkind: Job\nmetadata: {name: migrate}\n";
  EXPECT_EQ(Judge(head + "status:\n  conditions:\n  - {type: Complete, status: \"True\"}\n").health,
            Health::kHealthy);
  auto failed = Judge(head + "status:\n  conditions:\n  - {type: Failed, status: \"True\", reason: BackoffLimitExceeded}\n");
  EXPECT_EQ(failed.health, Health::kDegraded);
  EXPECT_NE(failed.reason.find("BackoffLimitExceeded"), std::string::npos);
  auto suspended = Judge(head + "spec: {suspend: true}\nstatus: {}\n");
  EXPECT_EQ(suspended.health, Health::kHealthy);
  EXPECT_EQ(suspended.reason, "suspended");
  EXPECT_EQ(Judge(head + "status: {active: 1}\n").health, Health::kProgressing);
}

TEST_F(HealthTest, CronJobReportsSuspensionAndLastSchedule) {
  std::string head = "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: nightly}\n";
  EXPECT_EQ(Judge(head + "spec: {suspend: true}\n").reason, "suspended");
  auto scheduled = Judge(head + "spec: {schedule: '0 1 * * *'}\nstatus: {lastScheduleTime: '2024-05-01T01:00:00Z'}\n");
  EXPECT_EQ(scheduled.health, Health::kHealthy);
  EXPECT_NE(scheduled.reason.find("2024-05-01T01:00:00Z"), std::string::npos);
}

TEST_F(HealthTest, PodStatesMapToHealth) {
  std::string head = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n";
  auto crash = Judge(head + R"(spec: {restartPolicy: Always}
status:
  phase: Running
  containerStatuses:
  - name: app
    state: {waiting: {reason: CrashLoopBackOff, message: back-off 5m0s restarting failed container}}
)");
  EXPECT_EQ(crash.health, Health::kDegraded);
  EXPECT_NE(crash.reason.find("CrashLoopBackOff"), std::string::npos);
  auto pull = Judge(head + R"(status:
  phase: Pending
  initContainerStatuses:
  - name: init
    state: {waiting: {reason: ImagePullBackOff}}
)");
  EXPECT_EQ(pull.health, Health::kDegraded);
  auto ready = Judge(head + R"(status:
  phase: Running
  conditions: [{type: Ready, status: "True"}]
)");
  EXPECT_EQ(ready.health, Health::kHealthy);
  auto not_ready = Judge(head + "status: {phase: Running, conditions: [{type: Ready, status: \"False\"}]}\n");
  EXPECT_EQ(not_ready.health, Health::kProgressing);
  auto batch = Judge(head + "spec: {restartPolicy: Never}\nstatus: {phase: Running, conditions: [{type: Ready, status: \"True\"}]}\n");
  EXPECT_EQ(batch.health, Health::kProgressing);
  EXPECT_EQ(Judge(head + "status: {phase: Succeeded}\n").health, Health::kHealthy);
  EXPECT_EQ(Judge(head + "status: {phase: Failed, reason: Evicted}\n").health, Health::kDegraded);
  EXPECT_EQ(Judge(head + "status: {phase: Pending}\n").health, Health::kProgressing);
}

TEST_F(HealthTest, PvcPhases) {
  std::string head = "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data}\n";
  EXPECT_EQ(Judge(head + "status: {phase: Bound}\n").health, Health::kHealthy);
  EXPECT_EQ(Judge(head + "status: {phase: Pending}\n").health, Health::kProgressing);
  EXPECT_EQ(Judge(head + "status: {phase: Lost}\n").health, Health::kDegraded);
}

TEST_F(HealthTest, LoadBalancerServiceNeedsAnAddress) {
  std::string head = "apiVersion: v1\nkind: Service\nmetadata: {name: web}\n";
  EXPECT_EQ(Judge(head + "spec: {type: ClusterIP}\n").health, Health::kHealthy);
  EXPECT_EQ(Judge(head + "spec: {type: LoadBalancer}\nstatus: {loadBalancer: {}}\n").health,
            Health::kProgressing);
  EXPECT_EQ(Judge(head + "spec: {type: LoadBalancer}\nstatus: {loadBalancer: {ingress: [{ip: 10.0.0.9}]}}\n").health,
            Health::kHealthy);
}

TEST_F(HealthTest, IngressNeedsAnAddress) {
  std::string head = "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: web}\n";
  EXPECT_EQ(Judge(head + "status: {loadBalancer: {}}\n").health, Health::kProgressing);
  EXPECT_EQ(Judge(head + "status: {loadBalancer: {ingress: [{hostname: lb.example.com}]}}\n").health,
            Health::kHealthy);
}

TEST_F(HealthTest, CrdEstablishedOrNamesRejected) {
  std::string head = "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: widgets.example.com}\n";
  EXPECT_EQ(Judge(head + "status:\n  conditions:\n  - {type: NamesAccepted, status: \"True\"}\n  - {type: Established, status: \"True\"}\n").health,
            Health::kHealthy);
  EXPECT_EQ(Judge(head + "status:\n  conditions:\n  - {type: NamesAccepted, status: \"True\"}\n").health,
            Health::kProgressing);
  auto clash = Judge(head + "status:\n  conditions:\n  - {type: NamesAccepted, status: \"False\", reason: ListKindConflict}\n  - {type: Established, status: \"False\"}\n");
  EXPECT_EQ(clash.health, Health::kDegraded);
  EXPECT_NE(clash.reason.find("ListKindConflict"), std::string::npos);
}

TEST_F(HealthTest, NamespacePhases) {
  std::string head = "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n";
  EXPECT_EQ(Judge(head + "status: {phase: Active}\n").health, Health::kHealthy);
  EXPECT_EQ(Judge(head + "status: {phase: Terminating}\n").health, Health::kProgressing);
}

TEST_F(HealthTest, HpaConditions) {
  std::string head = "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: web}\n";
  auto failing = Judge(head + R"(status:
  conditions:
  - {type: AbleToScale, status: "True", reason: SucceededGetScale}
  - {type: ScalingActive, status: "False", reason: FailedGetResourceMetric}
)");
  EXPECT_EQ(failing.health, Health::kDegraded);
  auto fine = Judge(head + R"(status:
  conditions:
  - {type: AbleToScale, status: "True", reason: ReadyForNewScale}
  - {type: ScalingActive, status: "True", reason: ValidMetricFound}
)");
  EXPECT_EQ(fine.health, Health::kHealthy);
  EXPECT_EQ(Judge(head + "status: {currentReplicas: 1}\n").health, Health::kProgressing);
}

TEST_F(HealthTest, PdbComparesCurrentWithDesiredHealthy) {
  std::string head = "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: web}\n";
  EXPECT_EQ(Judge(head + "status: {currentHealthy: 3, desiredHealthy: 2}\n").health, Health::kHealthy);
  EXPECT_EQ(Judge(head + "status: {currentHealthy: 1, desiredHealthy: 2}\n").health, Health::kDegraded);
}

TEST_F(HealthTest, ApiServiceAvailability) {
  std::string head = "apiVersion: apiregistration.k8s.io/v1\nkind: APIService\nmetadata: {name: v1beta1.metrics.k8s.io}\n";
  EXPECT_EQ(Judge(head + "status:\n  conditions:\n  - {type: Available, status: \"True\"}\n").health, Health::kHealthy);
  EXPECT_EQ(Judge(head + "status:\n  conditions:\n  - {type: Available, status: \"False\", reason: MissingEndpoints}\n").health,
            Health::kDegraded);
}

TEST_F(HealthTest, UnknownKindsUseReadyAndObservedGeneration) {
  std::string head = "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w, generation: 4}\n";
  EXPECT_EQ(Judge(head).health, Health::kHealthy);
  EXPECT_EQ(Judge(head + "status: {observedGeneration: 3, conditions: [{type: Ready, status: \"True\"}]}\n").health,
            Health::kProgressing);
  EXPECT_EQ(Judge(head + "status: {observedGeneration: 4, conditions: [{type: Ready, status: \"True\"}]}\n").health,
            Health::kHealthy);
  auto failed = Judge(head + "status: {conditions: [{type: Ready, status: \"False\", reason: BadConfig, message: no backend}]}\n");
  EXPECT_EQ(failed.health, Health::kDegraded);
  EXPECT_EQ(failed.reason, "Ready: BadConfig: no backend");
  EXPECT_EQ(Judge(head + "status: {conditions: [{type: Ready, status: Unknown}]}\n").health, Health::kProgressing);
  EXPECT_EQ(Judge(head + "status: {phase: Whatever}\n").health, Health::kHealthy);
}

}  // namespace
}  // namespace skiff::sync
