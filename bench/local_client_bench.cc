// Drives a running `skiff local` through skiff's own client: creates COUNT
// ConfigMaps in namespace NS from CLIENTS concurrent clients, lists them
// unpaged and in pages of 500, then watches from resourceVersion 0 until
// every object has arrived. Prints one line per phase:
//   <phase> <objects> <seconds> <objects/s>
// Usage: local_client_bench KUBECONFIG NS COUNT CLIENTS
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "kube/client.h"
#include "kube/kubeconfig.h"

namespace {

using skiff::Arena;
using skiff::Node;
namespace kube = skiff::kube;

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

void Report(const char* phase, long objects, double seconds) {
  std::printf("%-14s %7ld %8.3f %10.0f\n", phase, objects, seconds, seconds > 0 ? objects / seconds : 0.0);
  std::fflush(stdout);
}

Node* ConfigMap(Arena& arena, const std::string& ns, long i) {
  Node* cm = arena.NewMap();
  cm->Set("apiVersion", arena.NewString("v1"));
  cm->Set("kind", arena.NewString("ConfigMap"));
  Node* meta = arena.GetOrCreateMap(cm, "metadata");
  meta->Set("name", arena.NewString(arena.Str("cm-" + std::to_string(i))));
  meta->Set("namespace", arena.NewString(arena.Str(ns)));
  arena.GetOrCreateMap(meta, "labels")->Set("bench", arena.NewString("local"));
  Node* data = arena.GetOrCreateMap(cm, "data");
  data->Set("index", arena.NewString(arena.Str(std::to_string(i))));
  data->Set("payload", arena.NewString("the quick brown fox jumps over the lazy dog"));
  return cm;
}

bool CreateAll(const kube::RestConfig& config, const std::string& ns, long count, int clients) {
  std::atomic<long> next{0};
  std::atomic<long> failures{0};
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&] {
      auto client = kube::Client::Create(config);
      for (long i = next++; i < count; i = next++) {
        Arena arena(4096);
        auto created = client->Create(ConfigMap(arena, ns, i), {}, arena);
        if (!created.ok()) {
          if (failures++ == 0) std::fprintf(stderr, "create: %s\n", created.error().message.c_str());
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  return failures == 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: %s KUBECONFIG NS COUNT CLIENTS\n", argv[0]);
    return 2;
  }
  kube::KubeconfigOptions options;
  options.explicit_path = argv[1];
  auto config = kube::LoadKubeconfig(options);
  if (!config.ok()) {
    std::fprintf(stderr, "%s\n", config.error().message.c_str());
    return 1;
  }
  std::string ns = argv[2];
  long count = std::atol(argv[3]);
  int clients = std::atoi(argv[4]);
  skiff::Gvk configmaps{"", "v1", "ConfigMap"};

  auto start = std::chrono::steady_clock::now();
  if (!CreateAll(*config, ns, count, clients)) return 1;
  Report("create", count, Seconds(start));

  auto client = kube::Client::Create(*config);
  {
    Arena arena(64 << 20);
    start = std::chrono::steady_clock::now();
    auto page = client->List(configmaps, ns, {}, arena);
    if (!page.ok() || static_cast<long>(page->items.size()) != count) {
      std::fprintf(stderr, "list: %s\n", page.ok() ? "wrong count" : page.error().message.c_str());
      return 1;
    }
    Report("list", count, Seconds(start));
  }
  {
    Arena arena(64 << 20);
    kube::ListOptions paged;
    paged.limit = 500;
    start = std::chrono::steady_clock::now();
    auto all = client->ListAll(configmaps, ns, paged, arena);
    if (!all.ok() || static_cast<long>(all->items.size()) != count) {
      std::fprintf(stderr, "paged list: %s\n", all.ok() ? "wrong count" : all.error().message.c_str());
      return 1;
    }
    Report("list-paged500", count, Seconds(start));
  }
  long events = 0;
  kube::WatchOptions watch;
  watch.resource_version = "0";
  watch.allow_bookmarks = false;
  start = std::chrono::steady_clock::now();
  kube::ApiStatus watched = client->Watch(configmaps, ns, watch, [&](const kube::WatchEvent& e) {
    if (e.type == kube::WatchEventType::kResync) events += static_cast<long>(e.items.size());
    if (e.type == kube::WatchEventType::kAdded) ++events;
    return events < count;
  });
  if (!watched.ok()) {
    std::fprintf(stderr, "watch: %s\n", watched.error().message.c_str());
    return 1;
  }
  Report("watch-from-0", events, Seconds(start));
  return 0;
}
