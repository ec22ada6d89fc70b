// The HTTP layer under the client, as an interface so tests can replace the
// network, inject failures and count requests.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kube/api_error.h"

namespace skiff::kube {

// A client certificate and its key, PEM text.
struct ClientCertificate {
  std::string cert_pem;
  std::string key_pem;
};

struct HttpRequest {
  std::string method = "GET";
  std::string path;  // path and query, e.g. "/api/v1/namespaces/a/pods?limit=5"
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // 0 means the transport's default; watches pass a long one.
  std::chrono::milliseconds timeout{0};
  // Overrides the transport's configured client certificate (exec plugins
  // hand out certificates that rotate).
  std::shared_ptr<const ClientCertificate> client_certificate;
};

struct HttpResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;

  // First header named `name` (lower case), or empty.
  std::string_view Header(std::string_view name) const;
};

// Receives a streamed body piece by piece; return false to stop the stream.
using BodySink = std::function<bool(std::string_view chunk)>;

class Transport {
 public:
  virtual ~Transport() = default;
  // Sends one request and reads the whole answer. A failure to get any
  // answer is an ApiError with transport_failure set.
  virtual ApiResult<HttpResponse> Send(const HttpRequest& request) = 0;
  // Sends one request; a 2xx body goes to `sink` as it arrives (the returned
  // response has an empty body), any other answer is read whole. The stream
  // ending, being dropped, or `sink` returning false all return normally;
  // `stopped_by_sink` tells which.
  virtual ApiResult<HttpResponse> Stream(const HttpRequest& request, const BodySink& sink,
                                         bool* stopped_by_sink) = 0;
};

}  // namespace skiff::kube
