#include "render/ordered_jobs.h"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <memory>
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
  // The calling thread works too: between jobs it consumes whatever is
  // ready in order, and sleeps only when the next result is still being made
  // and no job is left to claim. So `threads` threads work in all, and the
  // consumer is not one more thread competing for the cores, woken after
  // every job.
  std::atomic<size_t> next{0};
  std::atomic<bool> stop{false};
  std::unique_ptr<std::atomic<bool>[]> done(new std::atomic<bool>[n]);
  for (size_t i = 0; i < n; ++i) done[i].store(false, std::memory_order_relaxed);
  std::mutex mu;
  std::condition_variable ready_cv;
  bool consumer_waiting = false;  // guarded by mu
  auto claim_and_run = [&] {
    if (stop.load(std::memory_order_relaxed)) return false;
    size_t i = next.fetch_add(1, std::memory_order_relaxed);
    if (i >= n) return false;
    run(i);
    done[i].store(true, std::memory_order_release);
    std::lock_guard<std::mutex> lock(mu);
    if (consumer_waiting) ready_cv.notify_one();
    return true;
  };
  std::vector<std::thread> pool;
  size_t helpers = std::min(threads, n) - 1;
  pool.reserve(helpers);
  for (size_t t = 0; t < helpers; ++t) {
    pool.emplace_back([&] {
      while (claim_and_run()) {
      }
    });
  }
  size_t consumed = 0;
  size_t result = n;
  while (consumed < n) {
    if (done[consumed].load(std::memory_order_acquire)) {
      if (!consume(consumed)) {
        result = consumed + 1;
        stop.store(true, std::memory_order_relaxed);
        break;
      }
      ++consumed;
      continue;
    }
    if (claim_and_run()) continue;
    std::unique_lock<std::mutex> lock(mu);
    consumer_waiting = true;
    ready_cv.wait(lock, [&] { return done[consumed].load(std::memory_order_acquire); });
    consumer_waiting = false;
  }
  for (std::thread& t : pool) t.join();
  return result;
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
