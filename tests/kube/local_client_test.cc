// The kube client against a real `skiff local` process: every verb the
// sync engine uses, end to end over TLS with the kubeconfig the server
// writes. The server binary comes from $SKIFF or the build (SKIFF_BINARY).
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "fake_clock.h"
#include "kube/client.h"
#include "kube/kubeconfig.h"
#include "temp_dir.h"
#include "yaml/yaml.h"

extern char** environ;

namespace skiff::kube {
namespace {

using testing::FakeClock;
using testing::TempDir;

const Gvk kConfigMap{"", "v1", "ConfigMap"};
const Gvk kDeployment{"apps", "v1", "Deployment"};
const Gvk kNamespace{"", "v1", "Namespace"};
constexpr const char* kNs = "client-it";

std::string ServerBinary() {
  const char* env = std::getenv("SKIFF");
  return env != nullptr && *env != '\0' ? env : SKIFF_BINARY;
}

std::string_view Rv(const Node* obj) {
  const Node* rv = obj->GetPath({"metadata", "resourceVersion"});
  return rv != nullptr ? rv->scalar() : std::string_view();
}

std::string_view At(const Node* obj, std::initializer_list<std::string_view> path) {
  const Node* n = obj->GetPath(path);
  return n != nullptr ? n->scalar() : std::string_view("<missing>");
}

class LocalClientTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    std::string binary = ServerBinary();
    std::string data = dir_->path() + "/data";
    std::vector<std::string> args = {binary, "local", "--port", "0", "--data", data};
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    ASSERT_EQ(posix_spawn(&pid_, binary.c_str(), nullptr, nullptr, argv.data(), environ), 0) << binary;
    std::string kubeconfig = data + "/kubeconfig";
    for (int i = 0; i < 400 && !std::filesystem::exists(kubeconfig); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ASSERT_TRUE(std::filesystem::exists(kubeconfig)) << "no kubeconfig from " << binary;
    KubeconfigOptions options;
    options.explicit_path = kubeconfig;
    auto config = LoadKubeconfig(options);
    ASSERT_TRUE(config.ok()) << config.error().message;
    config_ = new RestConfig(*config);
    auto client = Client::Create(*config_);
    Arena arena;
    auto ns = client->Create(Parse(R"({"apiVersion":"v1","kind":"Namespace","metadata":{"name":"client-it"}})", arena),
                             {}, arena);
    ASSERT_TRUE(ns.ok()) << ns.error().message;
  }

  static void TearDownTestSuite() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      int status = 0;
      waitpid(pid_, &status, 0);
      EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "server exit status " << status;
    }
    delete config_;
    delete dir_;
  }

  void SetUp() override { ASSERT_NE(config_, nullptr) << "skiff local did not start"; }

  static Node* Parse(std::string_view json, Arena& arena) {
    auto n = ParseJson(json, arena);
    EXPECT_TRUE(n.ok()) << json;
    return n.ok() ? *n : arena.NewMap();
  }

  std::unique_ptr<Client> NewClient(Clock* clock = nullptr) {
    ClientOptions o;
    o.clock = clock;
    return Client::Create(*config_, o);
  }

  static TempDir* dir_;
  static pid_t pid_;
  static RestConfig* config_;
  Arena arena_;
};

TempDir* LocalClientTest::dir_ = nullptr;
pid_t LocalClientTest::pid_ = 0;
RestConfig* LocalClientTest::config_ = nullptr;

TEST_F(LocalClientTest, ConfigMapCrudWithOptimisticConcurrency) {
  auto client = NewClient();
  auto created = client->Create(
      Parse(R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"crud","namespace":"client-it",)"
            R"("labels":{"app":"web"}},"data":{"mode":"blue"}})", arena_),
      {}, arena_);
  ASSERT_TRUE(created.ok()) << created.error().message;
  std::string first_rv(Rv(*created));

  auto got = client->Get(ResId{kConfigMap, kNs, "crud"}, arena_);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(At(*got, {"data", "mode"}), "blue");
  EXPECT_FALSE(At(*got, {"metadata", "uid"}).empty());

  ListOptions selector;
  selector.label_selector = "app=web";
  auto listed = client->List(kConfigMap, kNs, selector, arena_);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->items.size(), 1u);
  EXPECT_EQ(At(listed->items[0], {"kind"}), "ConfigMap");  // filled in for list items
  selector.label_selector = "app!=web";
  EXPECT_TRUE(client->List(kConfigMap, kNs, selector, arena_)->items.empty());

  Node* update = arena_.Clone(*got);
  update->GetPath({"data"})->Set("mode", arena_.NewString("green"));
  auto updated = client->Update(update, {}, arena_);
  ASSERT_TRUE(updated.ok()) << updated.error().message;
  EXPECT_NE(Rv(*updated), first_rv);
  // `update` still carries the first resourceVersion: a lost update.
  auto stale = client->Update(update, {}, arena_);
  ASSERT_FALSE(stale.ok());
  EXPECT_TRUE(IsConflict(stale.error())) << stale.error().message;

  auto merged = client->Patch(ResId{kConfigMap, kNs, "crud"}, PatchType::kMerge,
                              R"({"data":{"extra":"1","mode":null}})", {}, arena_);
  ASSERT_TRUE(merged.ok()) << merged.error().message;
  EXPECT_EQ(At(*merged, {"data", "extra"}), "1");
  EXPECT_EQ((*merged)->GetPath({"data", "mode"}), nullptr);
  auto json_patched = client->Patch(ResId{kConfigMap, kNs, "crud"}, PatchType::kJson,
                                    R"([{"op":"test","path":"/data/extra","value":"1"},)"
                                    R"({"op":"replace","path":"/data/extra","value":"2"}])",
                                    {}, arena_);
  ASSERT_TRUE(json_patched.ok()) << json_patched.error().message;
  EXPECT_EQ(At(*json_patched, {"data", "extra"}), "2");
  auto failed_test = client->Patch(ResId{kConfigMap, kNs, "crud"}, PatchType::kJson,
                                   R"([{"op":"test","path":"/data/extra","value":"1"}])", {}, arena_);
  EXPECT_FALSE(failed_test.ok());

  auto deleted = client->Delete(ResId{kConfigMap, kNs, "crud"}, {}, arena_);
  ASSERT_TRUE(deleted.ok()) << deleted.error().message;
  auto gone = client->Get(ResId{kConfigMap, kNs, "crud"}, arena_);
  ASSERT_FALSE(gone.ok());
  EXPECT_TRUE(IsNotFound(gone.error()));
}

TEST_F(LocalClientTest, DeploymentStrategicPatchMergesContainersByName) {
  auto client = NewClient();
  auto created = client->Create(
      Parse(R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"client-it"},)"
            R"("spec":{"replicas":1,"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":)"
            R"({"labels":{"app":"web"}},"spec":{"containers":[{"name":"app","image":"app:1"},)"
            R"({"name":"sidecar","image":"proxy:1"}]}}}})", arena_),
      {}, arena_);
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_EQ(At(*created, {"metadata", "generation"}), "1");
  ResId id{kDeployment, kNs, "web"};
  auto patched = client->Patch(id, PatchType::kStrategic,
                               R"({"spec":{"template":{"spec":{"containers":[{"name":"app","image":"app:2"}]}}}})",
                               {}, arena_);
  ASSERT_TRUE(patched.ok()) << patched.error().message;
  const Node* containers = (*patched)->GetPath({"spec", "template", "spec", "containers"});
  ASSERT_NE(containers, nullptr);
  ASSERT_EQ(containers->items().size(), 2u);  // merged by name, sidecar kept
  EXPECT_EQ(containers->items()[0]->GetString("image"), "app:2");
  EXPECT_EQ(containers->items()[1]->GetString("image"), "proxy:1");
  EXPECT_EQ(At(*patched, {"metadata", "generation"}), "2");
  // A merge patch replaces the list wholesale.
  auto merged = client->Patch(id, PatchType::kMerge,
                              R"({"spec":{"template":{"spec":{"containers":[{"name":"app","image":"app:3"}]}}}})",
                              {}, arena_);
  ASSERT_TRUE(merged.ok()) << merged.error().message;
  EXPECT_EQ(merged.value()->GetPath({"spec", "template", "spec", "containers"})->items().size(), 1u);
  ASSERT_TRUE(client->Delete(id, {}, arena_).ok());
  EXPECT_TRUE(IsNotFound(client->Get(id, arena_).error()));
}

TEST_F(LocalClientTest, ServerSideApplyConflictsUntilForced) {
  auto client = NewClient();
  constexpr std::string_view kApplied =
      R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"owned","namespace":"client-it"},)"
      R"("spec":{"replicas":2,"selector":{"matchLabels":{"app":"owned"}},"template":{"metadata":)"
      R"({"labels":{"app":"owned"}},"spec":{"containers":[{"name":"app","image":"app:1"}]}}}})";
  ApplyOptions ci;
  ci.field_manager = "ci";
  auto created = client->Apply(Parse(kApplied, arena_), ci, arena_);
  ASSERT_TRUE(created.ok()) << created.error().message;
  const Node* managed = (*created)->GetPath({"metadata", "managedFields"});
  ASSERT_NE(managed, nullptr);
  ASSERT_EQ(managed->items().size(), 1u);
  EXPECT_EQ(managed->items()[0]->GetString("manager"), "ci");
  EXPECT_EQ(managed->items()[0]->GetString("operation"), "Apply");

  ResId id{kDeployment, kNs, "owned"};
  WriteOptions scaler;
  scaler.field_manager = "scaler";
  ASSERT_TRUE(client->Patch(id, PatchType::kMerge, R"({"spec":{"replicas":5}})", scaler, arena_).ok());

  auto refused = client->Apply(Parse(kApplied, arena_), ci, arena_);
  ASSERT_FALSE(refused.ok());
  const ApiError& e = refused.error();
  EXPECT_TRUE(IsConflict(e)) << e.String();
  EXPECT_EQ(e.message, R"(Apply failed with 1 conflict: conflict with "scaler" using apps/v1: .spec.replicas)");
  ASSERT_EQ(e.causes.size(), 1u);
  EXPECT_EQ(e.causes[0].reason, "FieldManagerConflict");
  EXPECT_EQ(e.causes[0].field, ".spec.replicas");
  EXPECT_EQ(At(*client->Get(id, arena_), {"spec", "replicas"}), "5");

  ci.force = true;
  auto forced = client->Apply(Parse(kApplied, arena_), ci, arena_);
  ASSERT_TRUE(forced.ok()) << forced.error().message;
  EXPECT_EQ(At(*forced, {"spec", "replicas"}), "2");
  for (const Node* entry : (*forced)->GetPath({"metadata", "managedFields"})->items()) {
    EXPECT_NE(entry->GetString("manager"), "scaler") << "the forced apply took the scaler's only field";
  }
  ASSERT_TRUE(client->Delete(id, {}, arena_).ok());
}

TEST_F(LocalClientTest, DryRunWritesDoNotPersist) {
  auto client = NewClient();
  WriteOptions dry;
  dry.dry_run = true;
  auto created = client->Create(
      Parse(R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"dry","namespace":"client-it"}})", arena_),
      dry, arena_);
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_EQ(At(*created, {"metadata", "name"}), "dry");
  EXPECT_TRUE(IsNotFound(client->Get(ResId{kConfigMap, kNs, "dry"}, arena_).error()));

  ASSERT_TRUE(client->Create(Parse(R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"dry",)"
                                   R"("namespace":"client-it"},"data":{"a":"1"}})", arena_),
                             {}, arena_)
                  .ok());
  auto patched = client->Patch(ResId{kConfigMap, kNs, "dry"}, PatchType::kMerge, R"({"data":{"a":"2"}})", dry, arena_);
  ASSERT_TRUE(patched.ok());
  EXPECT_EQ(At(*patched, {"data", "a"}), "2");
  EXPECT_EQ(At(*client->Get(ResId{kConfigMap, kNs, "dry"}, arena_), {"data", "a"}), "1");
  DeleteOptions dry_delete;
  dry_delete.dry_run = true;
  ASSERT_TRUE(client->Delete(ResId{kConfigMap, kNs, "dry"}, dry_delete, arena_).ok());
  EXPECT_TRUE(client->Get(ResId{kConfigMap, kNs, "dry"}, arena_).ok());
}

TEST_F(LocalClientTest, WatchListsFirstThenResumesFromAVersion) {
  auto client = NewClient();
  auto make = [&](std::string_view name) {
    auto r = client->Create(Parse(R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":")" + std::string(name) +
                                      R"(","namespace":"client-it","labels":{"watch":"yes"}}})",
                                  arena_),
                            {}, arena_);
    EXPECT_TRUE(r.ok());
    return r.ok() ? std::string(Rv(*r)) : std::string();
  };
  std::string after_a = make("watch-a");
  make("watch-b");
  ASSERT_TRUE(client->Patch(ResId{kConfigMap, kNs, "watch-b"}, PatchType::kMerge, R"({"data":{"k":"v"}})", {}, arena_)
                  .ok());

  WatchOptions options;
  options.label_selector = "watch=yes";
  options.timeout_seconds = 10;
  std::vector<std::string> resynced;
  ApiStatus first = client->Watch(kConfigMap, kNs, options, [&](const WatchEvent& e) {
    EXPECT_EQ(e.type, WatchEventType::kResync);
    for (const Node* item : e.items) resynced.emplace_back(At(item, {"metadata", "name"}));
    return false;
  });
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(resynced, (std::vector<std::string>{"watch-a", "watch-b"}));

  // Resuming after watch-a's creation replays exactly what happened since.
  options.resource_version = after_a;
  std::vector<std::pair<WatchEventType, std::string>> seen;
  ApiStatus resumed = client->Watch(kConfigMap, kNs, options, [&](const WatchEvent& e) {
    if (e.type == WatchEventType::kBookmark) return true;
    seen.emplace_back(e.type, std::string(At(e.object, {"metadata", "name"})));
    return seen.size() < 2;
  });
  ASSERT_TRUE(resumed.ok()) << resumed.error().message;
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0], std::make_pair(WatchEventType::kAdded, std::string("watch-b")));
  EXPECT_EQ(seen[1], std::make_pair(WatchEventType::kModified, std::string("watch-b")));
}

TEST_F(LocalClientTest, ThrottledRequestsAreRetriedAfterRetryAfter) {
  auto admin = NewClient();
  HttpRequest add;
  add.method = "POST";
  add.path = "/skiff/faults";
  add.body = "GET /api/v1/namespaces/client-it/configmaps/throttled$ 2 429 3\n";
  auto added = admin->Execute(add);
  ASSERT_TRUE(added.ok()) << added.error().message;
  ASSERT_TRUE(admin->Create(Parse(R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"throttled",)"
                                  R"("namespace":"client-it"}})", arena_),
                            {}, arena_)
                  .ok());

  FakeClock clock;
  auto client = NewClient(&clock);
  auto got = client->Get(ResId{kConfigMap, kNs, "throttled"}, arena_);
  ASSERT_TRUE(got.ok()) << got.error().message;
  // Two 429s, each answered after the server's Retry-After of 3 seconds.
  EXPECT_EQ(clock.sleeps(), (std::vector<std::chrono::milliseconds>{std::chrono::seconds(3), std::chrono::seconds(3)}));
}

}  // namespace
}  // namespace skiff::kube
