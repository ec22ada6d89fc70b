#include "render/ordered_jobs.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace skiff {
namespace {

TEST(RunOrderedTest, RunsEveryJobOnceAndConsumesInOrder) {
  constexpr size_t kJobs = 200;
  std::vector<std::atomic<int>> runs(kJobs);
  std::vector<size_t> consumed;
  size_t done = RunOrdered(
      kJobs, 4,
      [&](size_t i) {
        // Uneven job lengths make later jobs finish before earlier ones.
        if (i % 7 == 0) std::this_thread::sleep_for(std::chrono::microseconds(300));
        runs[i].fetch_add(1);
      },
      [&](size_t i) {
        EXPECT_EQ(runs[i].load(), 1) << "consumed before its job ran: " << i;
        consumed.push_back(i);
        return true;
      });
  EXPECT_EQ(done, kJobs);
  ASSERT_EQ(consumed.size(), kJobs);
  for (size_t i = 0; i < kJobs; ++i) {
    EXPECT_EQ(consumed[i], i);
    EXPECT_EQ(runs[i].load(), 1) << i;
  }
}

TEST(RunOrderedTest, StopsWhenConsumeSaysSo) {
  std::vector<size_t> consumed;
  std::atomic<size_t> ran{0};
  size_t done = RunOrdered(
      1000, 3, [&](size_t) { ran.fetch_add(1); },
      [&](size_t i) {
        consumed.push_back(i);
        return i != 10;
      });
  EXPECT_EQ(done, 11u);
  ASSERT_EQ(consumed.size(), 11u);
  EXPECT_EQ(consumed.back(), 10u);
  EXPECT_GE(ran.load(), 11u);  // at least every consumed job ran
}

TEST(RunOrderedTest, OneThreadRunsInline) {
  std::thread::id caller = std::this_thread::get_id();
  std::vector<size_t> order;
  RunOrdered(
      5, 1,
      [&](size_t i) {
        EXPECT_EQ(std::this_thread::get_id(), caller);
        order.push_back(i);
      },
      [&](size_t i) {
        order.push_back(100 + i);
        return true;
      });
  EXPECT_EQ(order, (std::vector<size_t>{0, 100, 1, 101, 2, 102, 3, 103, 4, 104}));
}

// `threads` counts the calling thread: two threads means one helper, and
// the caller runs jobs while the next result is not ready.
TEST(RunOrderedTest, TheCallerIsOneOfTheThreads) {
  std::thread::id caller = std::this_thread::get_id();
  std::mutex mu;
  std::set<std::thread::id> seen;
  size_t by_caller = 0;
  RunOrdered(
      400, 2,
      [&](size_t) {
        std::this_thread::sleep_for(std::chrono::microseconds(50));
        std::lock_guard<std::mutex> lock(mu);
        seen.insert(std::this_thread::get_id());
        if (std::this_thread::get_id() == caller) ++by_caller;
      },
      [&](size_t) {
        EXPECT_EQ(std::this_thread::get_id(), caller);
        return true;
      });
  EXPECT_LE(seen.size(), 2u);
  EXPECT_GT(by_caller, 0u);
}

TEST(ParallelChunksTest, CoversEveryIndexOnceAndReportsTheFirstErrorInOrder) {
  constexpr size_t kItems = 5000;
  std::vector<std::atomic<int>> seen(kItems);
  Status s = ParallelChunks(kItems, 100, 4, [&](size_t begin, size_t end) -> Status {
    for (size_t i = begin; i < end; ++i) seen[i].fetch_add(1);
    for (size_t bad : {4200u, 1300u}) {
      if (bad >= begin && bad < end) return MakeError("bad item " + std::to_string(bad));
    }
    return Status::Ok();
  });
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message, "bad item 1300");
  for (size_t i = 0; i < 1300; ++i) ASSERT_EQ(seen[i].load(), 1) << i;
}

TEST(ParallelChunksTest, SmallInputsRunAsOneChunk) {
  size_t calls = 0;
  Status s = ParallelChunks(50, 100, 8, [&](size_t begin, size_t end) -> Status {
    ++calls;
    EXPECT_EQ(begin, 0u);
    EXPECT_EQ(end, 50u);
    return Status::Ok();
  });
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(calls, 1u);
}

TEST(RenderThreadsTest, EnvironmentOverridesTheMachine) {
  ASSERT_EQ(setenv("SKIFF_RENDER_THREADS", "3", 1), 0);
  EXPECT_EQ(RenderThreads(), 3u);
  ASSERT_EQ(setenv("SKIFF_RENDER_THREADS", "zero", 1), 0);
  EXPECT_GE(RenderThreads(), 1u);  // ignored: the machine's count
  ASSERT_EQ(setenv("SKIFF_RENDER_THREADS", "0", 1), 0);
  EXPECT_GE(RenderThreads(), 1u);
  unsetenv("SKIFF_RENDER_THREADS");
}

}  // namespace
}  // namespace skiff
