// Throughput of the YAML/JSON engine on a rendered platform tree.
//
//   python3 ../shared/bench/gen_platform_tree.py 300 /tmp/t300
//   kubectl kustomize /tmp/t300/clusters/prod > /tmp/t300.yaml
//   ninja -C build yaml_bench && build/bench/yaml_bench
//
// SKIFF_BENCH_YAML names another input file.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "yaml/yaml.h"
#include "yaml/yaml_fastpath.h"

namespace skiff {
namespace {

const std::string& Input() {
  static const std::string text = [] {
    const char* path = std::getenv("SKIFF_BENCH_YAML");
    std::ifstream in(path != nullptr ? path : "/tmp/t300.yaml", std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }();
  return text;
}

bool HaveInput(benchmark::State& state) {
  if (!Input().empty()) return true;
  state.SkipWithError("no input: see the header of bench/yaml_bench.cc");
  return false;
}

void BM_ParseYamlStream(benchmark::State& state) {
  if (!HaveInput(state)) return;
  for (auto _ : state) {
    Arena arena(1 << 20);
    auto docs = ParseYamlStream(Input(), "bench.yaml", arena);
    if (!docs.ok()) state.SkipWithError(docs.error().message.c_str());
    benchmark::DoNotOptimize(docs);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * Input().size()));
}
BENCHMARK(BM_ParseYamlStream)->Unit(benchmark::kMillisecond);

// The same bytes through libyaml alone (what ParseYamlStream does when the
// fast path declines): the measurement the fast path is justified by.
void BM_ParseYamlStreamLibyaml(benchmark::State& state) {
  if (!HaveInput(state)) return;
  for (auto _ : state) {
    Arena arena(1 << 20);
    auto docs = ParseYamlStreamWithLibyaml(Input(), "bench.yaml", arena);
    if (!docs.ok()) state.SkipWithError(docs.error().message.c_str());
    benchmark::DoNotOptimize(docs);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * Input().size()));
}
BENCHMARK(BM_ParseYamlStreamLibyaml)->Unit(benchmark::kMillisecond);

// Whether the fast path accepts the input at all (1) or libyaml reads it (0).
void BM_FastPathAccepts(benchmark::State& state) {
  if (!HaveInput(state)) return;
  bool accepted = false;
  for (auto _ : state) {
    Arena arena(1 << 20);
    accepted = TryParseYamlFast(Input(), "bench.yaml", arena).has_value();
  }
  state.counters["accepted"] = accepted ? 1 : 0;
}
BENCHMARK(BM_FastPathAccepts)->Unit(benchmark::kMillisecond)->Iterations(3);

void BM_EmitYamlStream(benchmark::State& state) {
  if (!HaveInput(state)) return;
  Arena arena(1 << 20);
  auto docs = ParseYamlStream(Input(), "bench.yaml", arena);
  if (!docs.ok()) return state.SkipWithError(docs.error().message.c_str());
  std::vector<const Node*> roots;
  for (const YamlDocument& d : *docs) roots.push_back(d.root);
  size_t bytes = 0;
  for (auto _ : state) {
    std::string out;
    out.reserve(Input().size());
    EmitYamlStream(roots, out);
    bytes = out.size();
    benchmark::DoNotOptimize(out);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
  state.counters["identical"] = 0;
  std::string out;
  EmitYamlStream(roots, out);
  state.counters["identical"] = out == Input() ? 1 : 0;
}
BENCHMARK(BM_EmitYamlStream)->Unit(benchmark::kMillisecond);

std::vector<std::string> JsonDocuments() {
  Arena arena(1 << 20);
  auto docs = ParseYamlStream(Input(), "bench.yaml", arena);
  std::vector<std::string> out;
  if (!docs.ok()) return out;
  for (const YamlDocument& d : *docs) {
    out.emplace_back();
    EmitJson(d.root, out.back(), true);
  }
  return out;
}

void BM_EmitJsonSorted(benchmark::State& state) {
  if (!HaveInput(state)) return;
  Arena arena(1 << 20);
  auto docs = ParseYamlStream(Input(), "bench.yaml", arena);
  if (!docs.ok()) return state.SkipWithError(docs.error().message.c_str());
  size_t bytes = 0;
  for (auto _ : state) {
    bytes = 0;
    std::string out;
    for (const YamlDocument& d : *docs) {
      out.clear();
      EmitJson(d.root, out, true);
      bytes += out.size();
    }
    benchmark::DoNotOptimize(out);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
}
BENCHMARK(BM_EmitJsonSorted)->Unit(benchmark::kMillisecond);

void BM_ParseJson(benchmark::State& state) {
  if (!HaveInput(state)) return;
  std::vector<std::string> json = JsonDocuments();
  size_t bytes = 0;
  for (const std::string& j : json) bytes += j.size();
  for (auto _ : state) {
    Arena arena(1 << 20);
    for (const std::string& j : json) {
      auto root = ParseJson(j, arena);
      benchmark::DoNotOptimize(root);
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
}
BENCHMARK(BM_ParseJson)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace skiff

BENCHMARK_MAIN();
