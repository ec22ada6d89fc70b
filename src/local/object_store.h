// Durable storage of API objects: an in-memory index, written through to
// SQLite (WAL) in the data directory, plus a bounded history of change
// events that watches resume from.
//
// Invariants:
//  - resourceVersions come from one global counter that is persisted in the
//    same transaction as the write that used it, so they stay monotonic
//    across restarts.
//  - Events in the history are in increasing resourceVersion order; a watch
//    may resume from any version >= horizon() (older ones are gone: 410).
//  - Thread-safe; callers that read-modify-write hold their own lock around
//    the sequence (see ApiHandler).
#pragma once

#include <condition_variable>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"

struct sqlite3;

namespace skiff::local {

// Where an object lives: "group/plural" (shared by all versions), namespace
// ("" when cluster-scoped) and name.
struct ObjectKey {
  std::string storage_kind;
  std::string ns;
  std::string name;
  std::string Encode() const;
};

enum class EventType { kAdded, kModified, kDeleted };
const char* EventTypeName(EventType t);

struct WatchEvent {
  int64_t rv = 0;
  EventType type = EventType::kAdded;
  std::string storage_kind;
  std::string ns;
  std::string json;  // the object as of this event
};

struct StoredObject {
  std::string ns;
  std::string name;
  std::string json;
  int64_t rv = 0;
};

class ObjectStore {
 public:
  // `path` empty keeps everything in memory (tests). `history` bounds the
  // number of events kept for watch resumption.
  static Result<std::unique_ptr<ObjectStore>> Open(const std::string& path, size_t history = 4096);
  ~ObjectStore();

  std::optional<StoredObject> Get(const ObjectKey& key) const;
  // Visits objects of `storage_kind` in (namespace, name) order, in `ns` only
  // when it is non-empty, starting after position token `after` ("" = from the
  // start), until `visit` returns false.
  void List(const std::string& storage_kind, const std::string& ns, const std::string& after,
            const std::function<bool(const StoredObject&)>& visit) const;
  // Continuation token of an object for List's `after`.
  static std::string PositionOf(const StoredObject& o);

  int64_t CurrentRv() const;
  // The version the next write must carry (CurrentRv() + 1).
  int64_t NextRv() const { return CurrentRv() + 1; }

  // Stores `json` (whose metadata.resourceVersion is `rv` == NextRv()) and
  // records an event.
  Status Put(const ObjectKey& key, const std::string& json, int64_t rv, EventType type);
  // Removes the object; `final_json` (with resourceVersion `rv`) is what the
  // DELETED event carries.
  Status Delete(const ObjectKey& key, const std::string& final_json, int64_t rv);

  int64_t horizon() const;
  // Appends to `out` the events with rv > `since` (all kinds); false when
  // `since` is older than the horizon (the caller answers 410 Gone).
  bool EventsSince(int64_t since, std::vector<WatchEvent>& out) const;
  // Blocks until an event newer than `since` exists, Shutdown() is called,
  // or `deadline` passes; returns whether new events exist.
  bool WaitForEvents(int64_t since, std::chrono::steady_clock::time_point deadline) const;
  // Wakes every waiter for good (server shutdown).
  void Shutdown();
  bool shut_down() const;

 private:
  ObjectStore() = default;
  Status Exec(const char* sql);
  Status Load();
  Status Persist(const std::string& key, const std::string* json, int64_t rv);
  void Record(WatchEvent e);

  sqlite3* db_ = nullptr;
  size_t history_limit_ = 4096;
  mutable std::mutex mu_;
  mutable std::condition_variable changed_;
  std::map<std::string, StoredObject> objects_;  // by ObjectKey::Encode()
  std::deque<WatchEvent> events_;
  int64_t rv_ = 0;
  int64_t horizon_ = 0;
  bool shut_down_ = false;
};

}  // namespace skiff::local
