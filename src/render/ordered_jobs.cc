#include "render/ordered_jobs.h"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <thread>
#include <vector>

namespace skiff {

size_t RenderThreads() {
  if (const char* env = std::getenv("SKIFF_RENDER_THREADS"); env != nullptr) {
    size_t n = 0;
    auto [end, ec] = std::from_chars(env, env + std::strlen(env), n);
    if (ec == std::errc() && *end == '\0' && n > 0) return n;
  }
  // Asked once: the C library reads it from /sys on every call.
  static const unsigned hw = std::thread::hardware_concurrency();
  return hw == 0 ? 1 : hw;
}

size_t RunOrdered(size_t n, size_t threads, const std::function<void(size_t)>& run,
                  const std::function<bool(size_t)>& consume) {
  if (threads <= 1 || n <= 1) {
    for (size_t i = 0; i < n; ++i) {
      run(i);
      if (!consume(i)) return i + 1;
    }
    return n;
  }
  std::atomic<size_t> next{0};
  std::atomic<bool> stop{false};
  std::mutex mu;
  std::condition_variable done_cv;
  std::vector<char> done(n, 0);  // guarded by mu
  auto worker = [&] {
    for (;;) {
      if (stop.load(std::memory_order_relaxed)) return;
      size_t i = next.fetch_add(1, std::memory_order_relaxed);
      if (i >= n) return;
      run(i);
      {
        std::lock_guard<std::mutex> lock(mu);
        done[i] = 1;
      }
      done_cv.notify_all();
    }
  };
  std::vector<std::thread> pool;
  size_t count = threads < n ? threads : n;
  pool.reserve(count);
  for (size_t t = 0; t < count; ++t) pool.emplace_back(worker);
  size_t consumed = n;
  for (size_t i = 0; i < n; ++i) {
    {
      std::unique_lock<std::mutex> lock(mu);
      done_cv.wait(lock, [&] { return done[i] != 0; });
    }
    if (!consume(i)) {
      consumed = i + 1;
      stop.store(true, std::memory_order_relaxed);
      break;
    }
  }
  for (std::thread& t : pool) t.join();
  return consumed;
}

Status ParallelChunks(size_t n, size_t min_chunk, size_t threads,
                      const std::function<Status(size_t begin, size_t end)>& fn) {
  size_t chunks = min_chunk == 0 ? n : n / min_chunk;
  chunks = std::min(chunks, threads * 4);
  if (threads <= 1 || chunks <= 1) return fn(0, n);
  std::vector<Status> results(chunks, Status::Ok());
  Status first = Status::Ok();
  RunOrdered(
      chunks, threads, [&](size_t c) { results[c] = fn(n * c / chunks, n * (c + 1) / chunks); },
      [&](size_t c) {
        first = std::move(results[c]);
        return first.ok();
      });
  return first;
}

}  // namespace skiff
