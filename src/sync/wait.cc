#include "sync/wait.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace skiff::sync {
namespace {

using SteadyClock = std::chrono::steady_clock;

// Longest single watch request: bounds how long a finished wait lingers on a
// server that sends neither events nor bookmarks.
constexpr int kMaxWatchRequestSeconds = 5;
constexpr auto kRedrawInterval = std::chrono::milliseconds(500);

// "deployment.apps/web -n shop": how kubectl names an object.
std::string DisplayName(const ResId& id) {
  std::string kind = id.gvk.kind;
  std::transform(kind.begin(), kind.end(), kind.begin(), [](unsigned char c) { return std::tolower(c); });
  std::string out = kind;
  if (!id.gvk.group.empty()) out += "." + id.gvk.group;
  out += "/" + id.name;
  if (!id.ns.empty()) out += " -n " + id.ns;
  return out;
}

// The objects one watch covers: same kind, same namespace.
struct WatchGroup {
  Gvk gvk;
  std::string ns;
  std::vector<size_t> members;  // indexes into the requested ids
};

std::vector<WatchGroup> GroupByKindAndNamespace(const std::vector<ResId>& ids) {
  std::vector<WatchGroup> groups;
  for (size_t i = 0; i < ids.size(); ++i) {
    auto it = std::find_if(groups.begin(), groups.end(), [&](const WatchGroup& g) {
      return g.gvk == ids[i].gvk && g.ns == ids[i].ns;
    });
    if (it == groups.end()) {
      groups.push_back(WatchGroup{ids[i].gvk, ids[i].ns, {}});
      it = groups.end() - 1;
    }
    it->members.push_back(i);
  }
  return groups;
}

// What every watch thread reports into and the waiting thread reads.
// Invariant: `health[i]` is the last verdict seen for ids[i]; guarded by mu.
class WaitBoard {
 public:
  WaitBoard(const std::vector<ResId>& ids, const WaitOptions& options)
      : ids_(ids), options_(options), health_(ids.size()), printed_(ids.size(), false) {
    live_ = options.live_progress && options.out != nullptr && isatty(fileno(options.out));
  }

  void Report(size_t index, HealthStatus status) {
    std::lock_guard<std::mutex> lock(mu_);
    HealthStatus& old = health_[index];
    if (printed_[index] && old.health == status.health && old.reason == status.reason) return;
    old = std::move(status);
    changed_ = true;
    if (!live_) PrintChange(index);
    printed_[index] = true;
    cv_.notify_all();
  }

  void Fail(kube::ApiError error) {
    std::lock_guard<std::mutex> lock(mu_);
    if (!error_) error_ = std::move(error);
    cv_.notify_all();
  }

  bool done() const { return done_.load(); }

  // Blocks until every object is Healthy, a watch fails, or `deadline`.
  Result<WaitOutcome> Await(SteadyClock::time_point deadline) {
    std::unique_lock<std::mutex> lock(mu_);
    auto start = SteadyClock::now();
    WaitOutcome outcome;
    while (true) {
      if (error_) break;
      outcome.all_healthy = AllHealthy();
      if (outcome.all_healthy) break;
      if (SteadyClock::now() >= deadline) {
        outcome.timed_out = true;
        break;
      }
      if (live_) Redraw(SteadyClock::now() - start);
      cv_.wait_until(lock, std::min(deadline, SteadyClock::now() + kRedrawInterval));
    }
    if (live_) Redraw(SteadyClock::now() - start);
    done_ = true;
    if (error_) return Error{error_->String()};
    for (size_t i = 0; i < ids_.size(); ++i) outcome.objects.emplace_back(ids_[i], health_[i]);
    return outcome;
  }

 private:
  bool AllHealthy() const {
    return std::all_of(health_.begin(), health_.end(),
                       [](const HealthStatus& h) { return h.health == Health::kHealthy; });
  }

  std::string Line(size_t i) const {
    std::string line = DisplayName(ids_[i]) + ": " + std::string(HealthName(health_[i].health));
    if (!health_[i].reason.empty()) line += " (" + health_[i].reason + ")";
    return line;
  }

  void PrintChange(size_t i) {
    if (options_.out == nullptr) return;
    std::fprintf(options_.out, "%s\n", Line(i).c_str());
    std::fflush(options_.out);
  }

  // Rewrites the block of lines in place: cursor up over the last drawing,
  // then each line cleared before it is written.
  void Redraw(SteadyClock::duration elapsed) {
    std::string text;
    if (drawn_lines_ > 0) text += "\x1b[" + std::to_string(drawn_lines_) + "F";
    int counts[4] = {0, 0, 0, 0};
    for (size_t i = 0; i < ids_.size(); ++i) {
      ++counts[static_cast<int>(health_[i].health)];
      text += "\x1b[2K" + Line(i) + "\n";
    }
    auto seconds = std::chrono::duration_cast<std::chrono::seconds>(elapsed).count();
    text += "\x1b[2K" + std::to_string(counts[0]) + "/" + std::to_string(ids_.size()) +
            " healthy, " + std::to_string(counts[1]) + " progressing, " +
            std::to_string(counts[2]) + " degraded, " + std::to_string(counts[3]) + " missing (" +
            std::to_string(seconds) + "s)\n";
    drawn_lines_ = ids_.size() + 1;
    std::fputs(text.c_str(), options_.out);
    std::fflush(options_.out);
    changed_ = false;
  }

  const std::vector<ResId>& ids_;
  const WaitOptions& options_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<HealthStatus> health_;
  std::vector<bool> printed_;
  std::optional<kube::ApiError> error_;
  std::atomic<bool> done_{false};
  bool live_ = false;
  bool changed_ = false;
  size_t drawn_lines_ = 0;
};

// Index of the member of `group` that `object` is, or -1.
long MemberIndex(const WatchGroup& group, const std::vector<ResId>& ids, const Node* object) {
  if (object == nullptr) return -1;
  std::string_view name = object->GetPath({"metadata", "name"}) != nullptr
                              ? object->GetPath({"metadata", "name"})->scalar()
                              : std::string_view();
  for (size_t i : group.members)
    if (ids[i].name == name) return static_cast<long>(i);
  return -1;
}

void WatchGroupUntilDone(kube::Client& client, const WatchGroup& group,
                         const std::vector<ResId>& ids, WaitBoard& board) {
  kube::WatchOptions options;
  if (group.members.size() == 1) options.field_selector = "metadata.name=" + ids[group.members[0]].name;
  options.timeout_seconds = kMaxWatchRequestSeconds;
  options.keep_watching = [&board] { return !board.done(); };
  auto handler = [&](const kube::WatchEvent& event) {
    if (board.done()) return false;
    switch (event.type) {
      case kube::WatchEventType::kResync: {
        std::vector<bool> seen(ids.size(), false);
        for (const Node* item : event.items) {
          long i = MemberIndex(group, ids, item);
          if (i < 0) continue;
          seen[i] = true;
          board.Report(i, AssessHealth(item));
        }
        for (size_t i : group.members)
          if (!seen[i]) board.Report(i, AssessHealth(nullptr));
        break;
      }
      case kube::WatchEventType::kAdded:
      case kube::WatchEventType::kModified: {
        long i = MemberIndex(group, ids, event.object);
        if (i >= 0) board.Report(i, AssessHealth(event.object));
        break;
      }
      case kube::WatchEventType::kDeleted: {
        long i = MemberIndex(group, ids, event.object);
        if (i >= 0) board.Report(i, AssessHealth(nullptr));
        break;
      }
      case kube::WatchEventType::kBookmark:
        break;
    }
    return !board.done();
  };
  kube::ApiStatus status = client.Watch(group.gvk, group.ns, options, handler);
  if (!status.ok() && !board.done())
    board.Fail(status.error());
}

}  // namespace

Result<WaitOutcome> WaitForHealthy(kube::Client& client, const std::vector<ResId>& ids,
                                   const WaitOptions& options) {
  auto deadline = SteadyClock::now() + options.timeout;
  WaitBoard board(ids, options);
  std::vector<WatchGroup> groups = GroupByKindAndNamespace(ids);
  std::vector<std::thread> watchers;
  watchers.reserve(groups.size());
  for (const WatchGroup& group : groups)
    watchers.emplace_back([&client, &group, &ids, &board] { WatchGroupUntilDone(client, group, ids, board); });
  Result<WaitOutcome> outcome = board.Await(deadline);
  for (std::thread& t : watchers) t.join();
  return outcome;
}

}  // namespace skiff::sync
