// Watch streams against the loopback server: list-then-watch, bookmarks,
// resume after a drop, relist on 410.
#include <gtest/gtest.h>

#include <atomic>

#include "fake_api_server.h"
#include "fake_clock.h"
#include "kube/client.h"
#include "temp_dir.h"

namespace skiff::kube {
namespace {

using testing::FakeApiServer;
using testing::FakeClock;
using testing::RecordedRequest;
using testing::ResponseWriter;
using testing::StatusJson;
using testing::TempDir;
using testing::TestPki;

const Gvk kPod{"", "v1", "Pod"};
constexpr char kPods[] = "/api/v1/namespaces/a/pods";

std::string Event(const std::string& type, const std::string& name, const std::string& rv) {
  return R"({"type":")" + type + R"(","object":{"kind":"Pod","apiVersion":"v1","metadata":{"name":")" +
         name + R"(","resourceVersion":")" + rv + "\"}}}\n";
}

std::string PodList(const std::string& rv, int count) {
  std::string items;
  for (int i = 0; i < count; ++i) {
    items += std::string(i ? "," : "") + R"({"metadata":{"name":"p)" + std::to_string(i) + R"("}})";
  }
  return R"({"kind":"PodList","metadata":{"resourceVersion":")" + rv + R"("},"items":[)" + items + "]}";
}

// What the handler saw, in order: "RESYNC:<n items>@rv" or "TYPE:name@rv".
struct Recorder {
  std::vector<std::string> seen;
  size_t stop_after = 100;
  bool operator()(const WatchEvent& e) {
    switch (e.type) {
      case WatchEventType::kResync:
        seen.push_back("RESYNC:" + std::to_string(e.items.size()) + "@" + e.resource_version);
        break;
      default: {
        static const char* kNames[] = {"ADDED", "MODIFIED", "DELETED", "BOOKMARK"};
        std::string name(e.object->GetPath({"metadata", "name"}) != nullptr
                             ? e.object->GetPath({"metadata", "name"})->scalar()
                             : "");
        seen.push_back(std::string(kNames[static_cast<int>(e.type)]) + ":" + name + "@" +
                       e.resource_version);
      }
    }
    return seen.size() < stop_after;
  }
};

class WatchTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    pki_ = new TestPki(TestPki::Generate(dir_->path()));
  }
  static void TearDownTestSuite() {
    delete pki_;
    delete dir_;
  }
  void SetUp() override { server_ = std::make_unique<FakeApiServer>(*pki_); }
  void Serve(std::function<void(const RecordedRequest&, ResponseWriter&)> handler) {
    server_->SetHandler([handler](const RecordedRequest& r, ResponseWriter& w) {
      if (!testing::ServeDiscovery(r, w)) handler(r, w);
    });
  }
  std::unique_ptr<Client> NewClient() {
    RestConfig c;
    c.endpoint.server = server_->url();
    c.endpoint.ca_pem = pki_->ca_pem;
    ClientOptions o;
    o.clock = &clock_;
    return Client::Create(c, o);
  }
  std::vector<std::string> WatchVersions() {
    std::vector<std::string> out;
    for (const auto& r : server_->RequestsTo(kPods)) {
      if (r.Query("watch") == "1") out.push_back(r.Query("resourceVersion"));
    }
    return out;
  }
  int Lists() {
    int n = 0;
    for (const auto& r : server_->RequestsTo(kPods)) n += r.Query("watch").empty();
    return n;
  }

  static TempDir* dir_;
  static TestPki* pki_;
  std::unique_ptr<FakeApiServer> server_;
  FakeClock clock_;
};
TempDir* WatchTest::dir_ = nullptr;
TestPki* WatchTest::pki_ = nullptr;

TEST_F(WatchTest, ListsThenStreamsAndResumesFromTheLastBookmark) {
  Serve([](const RecordedRequest& r, ResponseWriter& w) {
    if (r.Query("watch").empty()) return w.Respond(200, PodList("10", 2));
    w.BeginStream();
    if (r.Query("resourceVersion") == "10") {
      std::string added = Event("ADDED", "p3", "11");
      // An event split across chunks must still arrive whole.
      w.WriteChunk(added.substr(0, 20));
      w.WriteChunk(added.substr(20));
      w.WriteChunk(R"({"type":"BOOKMARK","object":{"kind":"Pod","apiVersion":"v1","metadata":{"resourceVersion":"15"}}})"
                   "\n");
    } else {
      w.WriteChunk(Event("MODIFIED", "p3", "16"));
    }
    w.EndStream();  // the server's timeoutSeconds ran out
  });
  Recorder rec;
  rec.stop_after = 4;
  ApiStatus s = NewClient()->Watch(kPod, "a", WatchOptions{}, std::ref(rec));
  ASSERT_TRUE(s.ok()) << s.error().String();
  EXPECT_EQ(rec.seen, (std::vector<std::string>{"RESYNC:2@10", "ADDED:p3@11", "BOOKMARK:@15",
                                                "MODIFIED:p3@16"}));
  EXPECT_EQ(WatchVersions(), (std::vector<std::string>{"10", "15"}));
  auto first = server_->RequestsTo(kPods)[1];
  EXPECT_EQ(first.Query("allowWatchBookmarks"), "true");
  EXPECT_EQ(first.Query("timeoutSeconds"), "300");
}

TEST_F(WatchTest, ADroppedConnectionResumesFromTheLastVersionSeen) {
  Serve([](const RecordedRequest& r, ResponseWriter& w) {
    w.BeginStream();
    if (r.Query("resourceVersion") == "5") {
      w.WriteChunk(Event("ADDED", "a", "6"));
      w.WriteChunk(R"({"type":"MODIFIED","obj)");  // cut mid-event
      return w.Drop();
    }
    w.WriteChunk(Event("DELETED", "a", "7"));
    w.EndStream();
  });
  Recorder rec;
  rec.stop_after = 2;
  WatchOptions o;
  o.resource_version = "5";
  ApiStatus s = NewClient()->Watch(kPod, "a", o, std::ref(rec));
  ASSERT_TRUE(s.ok()) << s.error().String();
  EXPECT_EQ(rec.seen, (std::vector<std::string>{"ADDED:a@6", "DELETED:a@7"}));
  EXPECT_EQ(WatchVersions(), (std::vector<std::string>{"5", "6"}));
  EXPECT_EQ(Lists(), 0);  // resuming from a given version needs no list
}

TEST_F(WatchTest, GoneInTheStreamRelistsAndWatchesFromTheNewVersion) {
  std::atomic<int> lists{0};
  Serve([&](const RecordedRequest& r, ResponseWriter& w) {
    if (r.Query("watch").empty()) return w.Respond(200, PodList(lists++ == 0 ? "10" : "20", 3));
    w.BeginStream();
    if (r.Query("resourceVersion") == "10") {
      w.WriteChunk(R"({"type":"ERROR","object":)" + StatusJson(410, "Expired", "too old resource version: 10") +
                   "}\n");
    } else {
      w.WriteChunk(Event("ADDED", "n", "21"));
    }
    w.EndStream();
  });
  Recorder rec;
  rec.stop_after = 3;
  ApiStatus s = NewClient()->Watch(kPod, "a", WatchOptions{}, std::ref(rec));
  ASSERT_TRUE(s.ok()) << s.error().String();
  EXPECT_EQ(rec.seen, (std::vector<std::string>{"RESYNC:3@10", "RESYNC:3@20", "ADDED:n@21"}));
  EXPECT_EQ(WatchVersions(), (std::vector<std::string>{"10", "20"}));
}

TEST_F(WatchTest, GoneAsTheHttpStatusRelistsToo) {
  Serve([](const RecordedRequest& r, ResponseWriter& w) {
    if (r.Query("watch").empty()) return w.Respond(200, PodList("30", 1));
    if (r.Query("resourceVersion") == "1") {
      return w.Respond(410, StatusJson(410, "Expired", "too old"));
    }
    w.BeginStream();
    w.WriteChunk(Event("ADDED", "z", "31"));
    w.EndStream();
  });
  Recorder rec;
  rec.stop_after = 2;
  WatchOptions o;
  o.resource_version = "1";
  ApiStatus s = NewClient()->Watch(kPod, "a", o, std::ref(rec));
  ASSERT_TRUE(s.ok()) << s.error().String();
  EXPECT_EQ(rec.seen, (std::vector<std::string>{"RESYNC:1@30", "ADDED:z@31"}));
}

TEST_F(WatchTest, ForbiddenEndsTheWatchWithTheServersStatus) {
  Serve([](const RecordedRequest& r, ResponseWriter& w) {
    w.Respond(403, StatusJson(403, "Forbidden", "pods is forbidden: User cannot watch"));
  });
  Recorder rec;
  WatchOptions o;
  o.resource_version = "1";
  ApiStatus s = NewClient()->Watch(kPod, "a", o, std::ref(rec));
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(IsForbidden(s.error()));
  EXPECT_TRUE(rec.seen.empty());
}

TEST_F(WatchTest, ServerErrorsAreRetriedWithBackoffThenReported) {
  Serve([](const RecordedRequest&, ResponseWriter& w) { w.Respond(500, StatusJson(500, "InternalError", "x")); });
  Recorder rec;
  WatchOptions o;
  o.resource_version = "1";
  ApiStatus s = NewClient()->Watch(kPod, "a", o, std::ref(rec));
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(IsServerError(s.error()));
  EXPECT_EQ(WatchVersions().size(), 5u);
  EXPECT_EQ(clock_.sleeps().size(), 4u);
}

}  // namespace
}  // namespace skiff::kube
