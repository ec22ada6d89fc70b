// HTTP requests and responses as the API layer sees them, independent of
// the network library, so handlers are testable without sockets.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace skiff::local {

struct HttpRequest {
  std::string method;
  std::string path;  // percent-decoded, without the query
  std::map<std::string, std::string> query;
  std::string content_type;
  std::string accept;
  std::string user_agent;  // names the field manager of writes without fieldManager
  std::string body;

  // The query parameter `name`, or "" when absent.
  std::string_view Param(const std::string& name) const {
    auto it = query.find(name);
    return it == query.end() ? std::string_view() : std::string_view(it->second);
  }
};

// Where a streamed response writes; Write returns false once the peer is
// gone, which ends the stream.
class ChunkSink {
 public:
  virtual ~ChunkSink() = default;
  virtual bool Write(std::string_view chunk) = 0;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  // Set for chunked responses (watch): called after the headers are sent.
  std::function<void(ChunkSink&)> stream;
};

// Splits "a=1&b=x%2Fy" into decoded parameters.
std::map<std::string, std::string> ParseQuery(std::string_view query);
std::string PercentDecode(std::string_view s);

}  // namespace skiff::local
