#include "local/object_store.h"

#include <sqlite3.h>

#include <algorithm>

namespace skiff::local {
namespace {

constexpr char kSep = '\x1f';

std::string Prefix(const std::string& storage_kind, const std::string& ns) {
  std::string p = storage_kind;
  p += kSep;
  if (!ns.empty()) {
    p += ns;
    p += kSep;
  }
  return p;
}

}  // namespace

std::string ObjectKey::Encode() const {
  std::string k = storage_kind;
  k += kSep;
  k += ns;
  k += kSep;
  k += name;
  return k;
}

const char* EventTypeName(EventType t) {
  switch (t) {
    case EventType::kAdded: return "ADDED";
    case EventType::kModified: return "MODIFIED";
    case EventType::kDeleted: return "DELETED";
  }
  return "";
}

Result<std::unique_ptr<ObjectStore>> ObjectStore::Open(const std::string& path, size_t history) {
  std::unique_ptr<ObjectStore> store(new ObjectStore());
  store->history_limit_ = history;
  if (path.empty()) return store;
  if (sqlite3_open(path.c_str(), &store->db_) != SQLITE_OK) {
    return MakeError("cannot open " + path + ": " + sqlite3_errmsg(store->db_));
  }
  sqlite3_busy_timeout(store->db_, 5000);
  Status s = store->Exec(
      "PRAGMA journal_mode=WAL;"
      "PRAGMA synchronous=NORMAL;"
      "CREATE TABLE IF NOT EXISTS objects(key TEXT PRIMARY KEY, ns TEXT NOT NULL, name TEXT NOT NULL,"
      " rv INTEGER NOT NULL, json TEXT NOT NULL);"
      "CREATE TABLE IF NOT EXISTS meta(name TEXT PRIMARY KEY, value INTEGER NOT NULL);");
  if (!s.ok()) return s.error().Wrap(path);
  s = store->Load();
  if (!s.ok()) return s.error().Wrap(path);
  return store;
}

ObjectStore::~ObjectStore() {
  if (db_ != nullptr) sqlite3_close(db_);
}

Status ObjectStore::Exec(const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err != nullptr ? err : "unknown sqlite error";
    sqlite3_free(err);
    return MakeError(msg);
  }
  return Status::Ok();
}

Status ObjectStore::Load() {
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db_, "SELECT key, ns, name, rv, json FROM objects", -1, &st, nullptr) != SQLITE_OK) {
    return MakeError(sqlite3_errmsg(db_));
  }
  auto text = [&](int col) {
    const unsigned char* t = sqlite3_column_text(st, col);
    return std::string(t != nullptr ? reinterpret_cast<const char*>(t) : "",
                       static_cast<size_t>(sqlite3_column_bytes(st, col)));
  };
  while (sqlite3_step(st) == SQLITE_ROW) {
    StoredObject o{text(1), text(2), text(4), sqlite3_column_int64(st, 3)};
    if (o.rv > rv_) rv_ = o.rv;
    objects_[text(0)] = std::move(o);
  }
  sqlite3_finalize(st);
  if (sqlite3_prepare_v2(db_, "SELECT value FROM meta WHERE name='rv'", -1, &st, nullptr) != SQLITE_OK) {
    return MakeError(sqlite3_errmsg(db_));
  }
  if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int64(st, 0) > rv_) rv_ = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  horizon_ = rv_;
  return Status::Ok();
}

Status ObjectStore::Persist(const std::string& key, const std::string* json, int64_t rv) {
  if (db_ == nullptr) return Status::Ok();
  SKIFF_RETURN_IF_ERROR(Exec("BEGIN IMMEDIATE"));
  sqlite3_stmt* st = nullptr;
  const char* sql = json != nullptr
                        ? "INSERT OR REPLACE INTO objects(key, ns, name, rv, json) VALUES(?1, ?2, ?3, ?4, ?5)"
                        : "DELETE FROM objects WHERE key = ?1";
  int rc = sqlite3_prepare_v2(db_, sql, -1, &st, nullptr);
  if (rc == SQLITE_OK) {
    sqlite3_bind_text(st, 1, key.data(), static_cast<int>(key.size()), SQLITE_STATIC);
    if (json != nullptr) {
      const StoredObject& o = objects_.at(key);
      sqlite3_bind_text(st, 2, o.ns.data(), static_cast<int>(o.ns.size()), SQLITE_STATIC);
      sqlite3_bind_text(st, 3, o.name.data(), static_cast<int>(o.name.size()), SQLITE_STATIC);
      sqlite3_bind_int64(st, 4, rv);
      sqlite3_bind_text(st, 5, json->data(), static_cast<int>(json->size()), SQLITE_STATIC);
    }
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
  }
  if (rc != SQLITE_DONE) {
    std::string msg = sqlite3_errmsg(db_);
    (void)Exec("ROLLBACK");
    return MakeError("storing object: " + msg);
  }
  std::string meta = "INSERT OR REPLACE INTO meta(name, value) VALUES('rv', " + std::to_string(rv) + ")";
  Status s = Exec(meta.c_str());
  if (!s.ok()) {
    (void)Exec("ROLLBACK");
    return s;
  }
  return Exec("COMMIT");
}

std::optional<StoredObject> ObjectStore::Get(const ObjectKey& key) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = objects_.find(key.Encode());
  if (it == objects_.end()) return std::nullopt;
  return it->second;
}

void ObjectStore::List(const std::string& storage_kind, const std::string& ns, const std::string& after,
                       const std::function<bool(const StoredObject&)>& visit) const {
  std::vector<StoredObject> batch;
  {
    std::lock_guard<std::mutex> lock(mu_);
    std::string prefix = Prefix(storage_kind, ns);
    auto it = after.empty() ? objects_.lower_bound(prefix) : objects_.upper_bound(storage_kind + kSep + after);
    for (; it != objects_.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it) {
      batch.push_back(it->second);
    }
  }
  for (const StoredObject& o : batch) {
    if (!visit(o)) return;
  }
}

std::string ObjectStore::PositionOf(const StoredObject& o) { return o.ns + kSep + o.name; }

int64_t ObjectStore::CurrentRv() const {
  std::lock_guard<std::mutex> lock(mu_);
  return rv_;
}

Status ObjectStore::Put(const ObjectKey& key, const std::string& json, int64_t rv, EventType type) {
  std::lock_guard<std::mutex> lock(mu_);
  std::string k = key.Encode();
  auto old = objects_.find(k);
  std::optional<StoredObject> previous;
  if (old != objects_.end()) previous = old->second;
  objects_[k] = StoredObject{key.ns, key.name, json, rv};
  Status s = Persist(k, &json, rv);
  if (!s.ok()) {
    if (previous) objects_[k] = *previous; else objects_.erase(k);
    return s;
  }
  rv_ = rv;
  Record(WatchEvent{rv, type, key.storage_kind, key.ns, json});
  return Status::Ok();
}

Status ObjectStore::Delete(const ObjectKey& key, const std::string& final_json, int64_t rv) {
  std::lock_guard<std::mutex> lock(mu_);
  std::string k = key.Encode();
  SKIFF_RETURN_IF_ERROR(Persist(k, nullptr, rv));
  objects_.erase(k);
  rv_ = rv;
  Record(WatchEvent{rv, EventType::kDeleted, key.storage_kind, key.ns, final_json});
  return Status::Ok();
}

void ObjectStore::Record(WatchEvent e) {
  events_.push_back(std::move(e));
  while (events_.size() > history_limit_) {
    horizon_ = events_.front().rv;
    events_.pop_front();
  }
  changed_.notify_all();
}

int64_t ObjectStore::horizon() const {
  std::lock_guard<std::mutex> lock(mu_);
  return horizon_;
}

bool ObjectStore::EventsSince(int64_t since, std::vector<WatchEvent>& out) const {
  std::lock_guard<std::mutex> lock(mu_);
  if (since < horizon_) return false;
  auto it = std::upper_bound(events_.begin(), events_.end(), since,
                             [](int64_t v, const WatchEvent& e) { return v < e.rv; });
  out.insert(out.end(), it, events_.end());
  return true;
}

bool ObjectStore::WaitForEvents(int64_t since, std::chrono::steady_clock::time_point deadline) const {
  std::unique_lock<std::mutex> lock(mu_);
  changed_.wait_until(lock, deadline, [&] { return shut_down_ || rv_ > since; });
  return rv_ > since;
}

void ObjectStore::Shutdown() {
  std::lock_guard<std::mutex> lock(mu_);
  shut_down_ = true;
  changed_.notify_all();
}

bool ObjectStore::shut_down() const {
  std::lock_guard<std::mutex> lock(mu_);
  return shut_down_;
}

}  // namespace skiff::local
