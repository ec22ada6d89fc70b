// A crash in the middle of `skiff apply`, then a re-run: the first run's
// transport dies after N real writes (from then on nothing reaches the
// server, as if the process had been killed); the second run, with one of
// the already-created objects removed from the render, must complete and
// prune exactly that object. Runs against a real `skiff local` process.
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "kube/client.h"
#include "kube/curl_transport.h"
#include "kube/kubeconfig.h"
#include "render/render.h"
#include "sync/applier.h"
#include "temp_dir.h"

extern char** environ;

namespace skiff::sync {
namespace {

using kube::testing::TempDir;

// Forwards requests until `writes_left` real (non-dry-run) writes have gone
// through; after that every request fails without reaching the server.
class DyingTransport : public kube::Transport {
 public:
  DyingTransport(std::unique_ptr<kube::Transport> inner, int writes_left)
      : inner_(std::move(inner)), writes_left_(writes_left) {}

  kube::ApiResult<kube::HttpResponse> Send(const kube::HttpRequest& request) override {
    if (dead_) return kube::TransportError("process killed");
    bool write = request.method != "GET" && request.path.find("dryRun=") == std::string::npos;
    if (write && writes_left_-- <= 0) {
      dead_ = true;
      return kube::TransportError("process killed");
    }
    return inner_->Send(request);
  }
  kube::ApiResult<kube::HttpResponse> Stream(const kube::HttpRequest& request,
                                             const kube::BodySink& sink, bool* stopped) override {
    if (dead_) return kube::TransportError("process killed");
    return inner_->Stream(request, sink, stopped);
  }

 private:
  std::unique_ptr<kube::Transport> inner_;
  int writes_left_;
  bool dead_ = false;
};

constexpr const char* kConfigMaps = R"(apiVersion: v1
kind: Namespace
metadata: {name: crash}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: a, namespace: crash}
data: {k: a}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: b, namespace: crash}
data: {k: b}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: c, namespace: crash}
data: {k: c}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: d, namespace: crash}
data: {k: d}
)";

class ApplyCrashTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string binary = SKIFF_BINARY;
    std::string data = dir_.path() + "/data";
    std::vector<std::string> args = {binary, "local", "--port", "0", "--data", data};
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    ASSERT_EQ(posix_spawn(&pid_, binary.c_str(), nullptr, nullptr, argv.data(), environ), 0);
    std::string kubeconfig = data + "/kubeconfig";
    for (int i = 0; i < 400 && !std::filesystem::exists(kubeconfig); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    kube::KubeconfigOptions options;
    options.explicit_path = kubeconfig;
    auto config = kube::LoadKubeconfig(options);
    ASSERT_TRUE(config.ok()) << config.error().message;
    config_ = *config;
  }
  void TearDown() override {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      int status = 0;
      waitpid(pid_, &status, 0);
    }
  }

  Result<ApplyReport> ApplyDir(kube::Client& client, const std::string& yaml, bool prune) {
    dir_.Write("app/kustomization.yaml", "resources: [objects.yaml]\n");
    dir_.Write("app/objects.yaml", yaml);
    std::vector<std::string> warnings;
    auto rendered = Render(dir_.path() + "/app", RenderOptions{}, warnings);
    if (!rendered.ok()) return rendered.error();
    sets_.push_back(std::move(*rendered));
    ApplyRequest request;
    request.app = "crash";
    request.prune = prune;
    return ApplyResources(client, sets_.back().resources, *sets_.back().arena, request);
  }

  bool Exists(kube::Client& client, const char* name) {
    Arena arena;
    return client.Get(ResId{Gvk{"", "v1", "ConfigMap"}, "crash", name}, arena).ok();
  }

  TempDir dir_;
  pid_t pid_ = 0;
  kube::RestConfig config_;
  std::vector<RenderedSet> sets_;
};

TEST_F(ApplyCrashTest, RerunAfterACrashMidApplyCompletesAndPrunesWhatTheCrashedRunCreated) {
  // Writes: inventory namespace, inventory parent, namespace crash, a, b — then death.
  kube::ClientOptions dying_options;
  dying_options.max_attempts = 1;
  kube::Client dying(config_, std::make_unique<DyingTransport>(
                                  kube::NewCurlTransport(config_.endpoint), 5),
                     dying_options);
  auto crashed = ApplyDir(dying, kConfigMaps, /*prune=*/true);
  ASSERT_TRUE(crashed.ok()) << crashed.error().message;
  EXPECT_FALSE(crashed->ok());
  EXPECT_TRUE(crashed->prune_skipped);

  auto client = kube::Client::Create(config_);
  ASSERT_TRUE(Exists(*client, "a"));
  ASSERT_TRUE(Exists(*client, "b"));
  ASSERT_FALSE(Exists(*client, "c"));

  // The re-run no longer has b: it was created by the crashed run only, and
  // must be found through the inventory and pruned.
  std::string without_b = kConfigMaps;
  size_t b = without_b.find("---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b");
  size_t c = without_b.find("---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c");
  without_b.erase(b, c - b);
  auto rerun = ApplyDir(*client, without_b, /*prune=*/true);
  ASSERT_TRUE(rerun.ok()) << rerun.error().message;
  EXPECT_TRUE(rerun->ok());
  EXPECT_EQ(rerun->Count(ObjectOutcome::kPruned), 1);
  EXPECT_EQ(rerun->Count(ObjectOutcome::kUnchanged), 2);  // namespace and a
  EXPECT_EQ(rerun->Count(ObjectOutcome::kCreated), 2);    // c and d
  EXPECT_TRUE(Exists(*client, "a"));
  EXPECT_FALSE(Exists(*client, "b"));
  EXPECT_TRUE(Exists(*client, "c"));
  EXPECT_TRUE(Exists(*client, "d"));
}

TEST_F(ApplyCrashTest, AFailedWriteLeavesTheOthersAppliedAndKeepsPruneFromRunning) {
  auto client = kube::Client::Create(config_);
  auto first = ApplyDir(*client, kConfigMaps, /*prune=*/true);
  ASSERT_TRUE(first.ok()) << first.error().message;
  ASSERT_TRUE(first->ok());
  // Dies on the first real write of the second run: the changed object.
  kube::ClientOptions dying_options;
  dying_options.max_attempts = 1;
  kube::Client dying(config_, std::make_unique<DyingTransport>(
                                  kube::NewCurlTransport(config_.endpoint), 0),
                     dying_options);
  std::string changed = kConfigMaps;
  changed.replace(changed.find("{k: a}"), 6, "{k: z}");
  changed.erase(changed.find("---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: d"));
  auto second = ApplyDir(dying, changed, /*prune=*/true);
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(second->Count(ObjectOutcome::kFailed), 1);
  EXPECT_TRUE(second->prune_skipped);
  EXPECT_TRUE(Exists(*client, "d")) << "pruned after a failed apply";
}

}  // namespace
}  // namespace skiff::sync
