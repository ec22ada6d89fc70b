#include "local/object_store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

namespace skiff::local {
namespace {

std::string TempDir() {
  std::string dir = std::filesystem::temp_directory_path() / ("skiff-store-" + std::to_string(::getpid()) + "-" +
                                                              ::testing::UnitTest::GetInstance()->current_test_info()->name());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

TEST(ObjectStore, PutGetListInNamespaceOrder) {
  auto store = ObjectStore::Open("");
  ASSERT_TRUE(store.ok());
  ObjectStore& s = **store;
  ASSERT_TRUE(s.Put({"/configmaps", "b", "x"}, "{}", s.NextRv(), EventType::kAdded).ok());
  ASSERT_TRUE(s.Put({"/configmaps", "a", "y"}, "{}", s.NextRv(), EventType::kAdded).ok());
  ASSERT_TRUE(s.Put({"/configmaps", "a", "x"}, "{}", s.NextRv(), EventType::kAdded).ok());
  ASSERT_TRUE(s.Put({"/secrets", "a", "x"}, "{}", s.NextRv(), EventType::kAdded).ok());
  std::vector<std::string> seen;
  s.List("/configmaps", "", "", [&](const StoredObject& o) {
    seen.push_back(o.ns + "/" + o.name);
    return true;
  });
  EXPECT_EQ(seen, (std::vector<std::string>{"a/x", "a/y", "b/x"}));
  seen.clear();
  s.List("/configmaps", "a", "", [&](const StoredObject& o) {
    seen.push_back(o.name);
    return true;
  });
  EXPECT_EQ(seen, (std::vector<std::string>{"x", "y"}));
}

TEST(ObjectStore, ListResumesAfterPosition) {
  auto store = ObjectStore::Open("");
  ASSERT_TRUE(store.ok());
  ObjectStore& s = **store;
  for (const char* n : {"a", "b", "c"}) ASSERT_TRUE(s.Put({"/pods", "ns", n}, "{}", s.NextRv(), EventType::kAdded).ok());
  std::string after;
  s.List("/pods", "ns", "", [&](const StoredObject& o) {
    after = ObjectStore::PositionOf(o);
    return false;  // first page of one
  });
  std::vector<std::string> rest;
  s.List("/pods", "ns", after, [&](const StoredObject& o) {
    rest.push_back(o.name);
    return true;
  });
  EXPECT_EQ(rest, (std::vector<std::string>{"b", "c"}));
}

TEST(ObjectStore, RestartKeepsObjectsAndResourceVersionsMonotonic) {
  std::string dir = TempDir();
  int64_t last = 0;
  {
    auto store = ObjectStore::Open(dir + "/store.db");
    ASSERT_TRUE(store.ok()) << store.error().message;
    ObjectStore& s = **store;
    ASSERT_TRUE(s.Put({"/configmaps", "ns", "a"}, R"({"a":1})", s.NextRv(), EventType::kAdded).ok());
    ASSERT_TRUE(s.Put({"/configmaps", "ns", "b"}, R"({"b":1})", s.NextRv(), EventType::kAdded).ok());
    // Deleting the newest object must not let its version be reused.
    ASSERT_TRUE(s.Delete({"/configmaps", "ns", "b"}, "{}", s.NextRv()).ok());
    last = s.CurrentRv();
  }
  auto store = ObjectStore::Open(dir + "/store.db");
  ASSERT_TRUE(store.ok());
  ObjectStore& s = **store;
  EXPECT_EQ(s.CurrentRv(), last);
  auto a = s.Get({"/configmaps", "ns", "a"});
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->json, R"({"a":1})");
  EXPECT_FALSE(s.Get({"/configmaps", "ns", "b"}).has_value());
  EXPECT_GT(s.NextRv(), last);
  std::filesystem::remove_all(dir);
}

TEST(ObjectStore, EventsResumeFromVersionAndExpireBeyondHistory) {
  auto store = ObjectStore::Open("", /*history=*/3);
  ASSERT_TRUE(store.ok());
  ObjectStore& s = **store;
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(s.Put({"/pods", "ns", "p" + std::to_string(i)}, "{}", s.NextRv(), EventType::kAdded).ok());
  }
  std::vector<WatchEvent> events;
  ASSERT_TRUE(s.EventsSince(3, events));
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].rv, 4);
  EXPECT_EQ(events[1].rv, 5);
  events.clear();
  EXPECT_FALSE(s.EventsSince(1, events));  // only 3..5 are kept: 410 Gone
}

TEST(ObjectStore, WaitForEventsWakesOnWriteAndOnShutdown) {
  auto store = ObjectStore::Open("");
  ASSERT_TRUE(store.ok());
  ObjectStore& s = **store;
  auto soon = std::chrono::steady_clock::now() + std::chrono::milliseconds(10);
  EXPECT_FALSE(s.WaitForEvents(0, soon));
  ASSERT_TRUE(s.Put({"/pods", "ns", "p"}, "{}", s.NextRv(), EventType::kAdded).ok());
  EXPECT_TRUE(s.WaitForEvents(0, std::chrono::steady_clock::now() + std::chrono::hours(1)));
  s.Shutdown();
  EXPECT_FALSE(s.WaitForEvents(1, std::chrono::steady_clock::now() + std::chrono::hours(1)));
}

}  // namespace
}  // namespace skiff::local
