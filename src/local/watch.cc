// ResourceHandler::Watch: the chunked stream of {"type","object"} events.
#include <chrono>
#include <charconv>

#include "local/api_status.h"
#include "local/object_meta.h"
#include "local/object_writes.h"
#include "local/resource_handler.h"
#include "local/selectors.h"
#include "local/json_codec.h"

namespace skiff::local {
namespace {

using Clock = std::chrono::steady_clock;

struct WatchFilter {
  std::string storage_kind;
  std::string ns;
  Selector labels;
  Selector fields;

  bool Matches(const std::string& kind, const std::string& ns_of, const std::string& json) const {
    if (kind != storage_kind || (!ns.empty() && ns_of != ns)) return false;
    if (labels.empty() && fields.empty()) return true;
    Arena arena(4096);
    auto root = ParseJsonText(json, arena);
    if (!root.ok()) return false;
    return labels.MatchesLabels((*root)->GetPath({"metadata", "labels"})) && fields.MatchesFields(*root);
  }
};

std::string EventLine(std::string_view type, const std::string& object_json) {
  std::string line = "{\"type\":\"";
  line += type;
  line += "\",\"object\":";
  line += object_json;
  line += "}\n";
  return line;
}

std::string Bookmark(const ApiResource& res, int64_t rv) {
  return EventLine("BOOKMARK", "{\"kind\":" + JsonQuote(res.kind) + ",\"apiVersion\":" + JsonQuote(res.ApiVersion()) +
                                   ",\"metadata\":{\"resourceVersion\":" + JsonQuote(std::to_string(rv)) + "}}");
}

}  // namespace

HttpResponse ResourceHandler::Watch(const HttpRequest& req, const ResourceTarget& t) {
  auto labels = Selector::ParseLabels(req.Param("labelSelector"));
  if (!labels.ok()) return BadRequest("unable to parse requirement: " + labels.error().message);
  auto fields = Selector::ParseFields(req.Param("fieldSelector"));
  if (!fields.ok()) return BadRequest(fields.error().message);
  WatchFilter filter{t.res.StorageKind(), t.ns, std::move(*labels), std::move(*fields)};

  std::string_view rv_text = req.Param("resourceVersion");
  int64_t since = 0;
  std::string initial;
  if (rv_text.empty() || rv_text == "0") {
    // "Start at most recent", preceded by the current state as ADDED events.
    std::lock_guard<std::mutex> lock(cp_.write_mu());
    since = cp_.store().CurrentRv();
    cp_.store().List(t.res.StorageKind(), t.ns, "", [&](const StoredObject& o) {
      if (filter.Matches(filter.storage_kind, o.ns, o.json)) initial += EventLine("ADDED", AsVersion(o.json, t.res));
      return true;
    });
  } else {
    auto [p, ec] = std::from_chars(rv_text.data(), rv_text.data() + rv_text.size(), since);
    if (ec != std::errc() || p != rv_text.data() + rv_text.size()) {
      return BadRequest("invalid resourceVersion \"" + std::string(rv_text) + "\"");
    }
  }
  bool bookmarks = req.Param("allowWatchBookmarks") == "true";
  long timeout_s = 1800;
  if (!req.Param("timeoutSeconds").empty()) timeout_s = std::atol(std::string(req.Param("timeoutSeconds")).c_str());
  ResourceTarget target = t;
  ObjectStore& store = cp_.store();

  HttpResponse r;
  r.status = 200;
  r.stream = [&store, target, filter = std::move(filter), since, initial = std::move(initial), bookmarks,
              timeout_s](ChunkSink& sink) mutable {
    if (!initial.empty() && !sink.Write(initial)) return;
    auto deadline = Clock::now() + std::chrono::seconds(timeout_s);
    auto next_bookmark = Clock::now() + std::chrono::seconds(1);
    int64_t last = since;
    std::vector<WatchEvent> events;
    while (Clock::now() < deadline && !store.shut_down()) {
      events.clear();
      if (!store.EventsSince(last, events)) {
        std::string msg = "too old resource version: " + std::to_string(last) + " (" +
                          std::to_string(store.horizon()) + ")";
        sink.Write(EventLine("ERROR", StatusJson(410, "Expired", msg)));
        return;
      }
      std::string batch;
      for (const WatchEvent& e : events) {
        last = e.rv;
        if (filter.Matches(e.storage_kind, e.ns, e.json)) {
          batch += EventLine(EventTypeName(e.type), AsVersion(e.json, target.res));
        }
      }
      if (!batch.empty() && !sink.Write(batch)) return;
      if (bookmarks && Clock::now() >= next_bookmark) {
        if (!sink.Write(Bookmark(target.res, last))) return;
        next_bookmark = Clock::now() + std::chrono::seconds(1);
      }
      store.WaitForEvents(last, std::min(deadline, Clock::now() + std::chrono::milliseconds(500)));
    }
  };
  return r;
}

}  // namespace skiff::local
