#include "kube/curl_transport.h"

#include "kube/curl_library.h"

#include <algorithm>
#include <cctype>
#include <mutex>
#include <vector>

namespace skiff::kube {

namespace {

// Splits "https://host:port/prefix" into its parts; port defaults to 443.
struct ParsedServer {
  std::string scheme, host, port, prefix;
};

ParsedServer ParseServer(std::string_view url) {
  ParsedServer p;
  size_t scheme_end = url.find("://");
  p.scheme = scheme_end == std::string_view::npos ? "https" : std::string(url.substr(0, scheme_end));
  std::string_view rest = scheme_end == std::string_view::npos ? url : url.substr(scheme_end + 3);
  size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  if (slash != std::string_view::npos) p.prefix = std::string(rest.substr(slash));
  while (!p.prefix.empty() && p.prefix.back() == '/') p.prefix.pop_back();
  size_t colon = authority.rfind(':');
  bool bracketed_v6 = !authority.empty() && authority.back() == ']';
  if (colon != std::string_view::npos && !bracketed_v6) {
    p.host = std::string(authority.substr(0, colon));
    p.port = std::string(authority.substr(colon + 1));
  } else {
    p.host = std::string(authority);
    p.port = p.scheme == "http" ? "80" : "443";
  }
  return p;
}

struct CallState {
  const CurlLibrary* lib = nullptr;
  CURL* curl = nullptr;
  HttpResponse* response = nullptr;
  const BodySink* sink = nullptr;
  bool stopped_by_sink = false;
  bool streaming_body = false;
  bool decided = false;
};

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* state = static_cast<CallState*>(user);
  std::string_view line(data, size * count);
  if (line.rfind("HTTP/", 0) == 0) {
    state->response->headers.clear();  // a new response (e.g. after 100-continue)
    return line.size();
  }
  size_t colon = line.find(':');
  if (colon == std::string_view::npos) return line.size();
  std::string name(line.substr(0, colon));
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  std::string_view value = line.substr(colon + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) {
    value.remove_suffix(1);
  }
  state->response->headers.emplace_back(std::move(name), std::string(value));
  return line.size();
}

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* state = static_cast<CallState*>(user);
  size_t n = size * count;
  if (!state->decided) {
    long code = 0;
    state->lib->easy_getinfo(state->curl, CURLINFO_RESPONSE_CODE, &code);
    state->streaming_body = state->sink != nullptr && code >= 200 && code < 300;
    state->decided = true;
  }
  if (state->streaming_body) {
    if (!(*state->sink)(std::string_view(data, n))) {
      state->stopped_by_sink = true;
      return 0;  // makes curl abort the transfer
    }
    return n;
  }
  state->response->body.append(data, n);
  return n;
}

class CurlTransport : public Transport {
 public:
  explicit CurlTransport(ServerEndpoint endpoint)
      : endpoint_(std::move(endpoint)), server_(ParseServer(endpoint_.server)) {
    curl_ = LoadCurlLibrary(load_error_);
    if (curl_ == nullptr) return;
    std::string host = endpoint_.tls_server_name.empty() ? server_.host : endpoint_.tls_server_name;
    base_url_ = server_.scheme + "://" + host + ":" + server_.port + server_.prefix;
    if (!endpoint_.tls_server_name.empty()) {
      // Verify and send SNI for tls_server_name while connecting to the
      // configured host.
      std::string rule = endpoint_.tls_server_name + ":" + server_.port + ":" + server_.host + ":" +
                         server_.port;
      connect_to_ = curl_->slist_append(nullptr, rule.c_str());
    }
  }

  ~CurlTransport() override {
    if (curl_ == nullptr) return;
    for (CURL* c : idle_) curl_->easy_cleanup(c);
    curl_->slist_free_all(connect_to_);
  }

  ApiResult<HttpResponse> Send(const HttpRequest& request) override {
    return Perform(request, nullptr, nullptr);
  }

  ApiResult<HttpResponse> Stream(const HttpRequest& request, const BodySink& sink,
                                 bool* stopped_by_sink) override {
    return Perform(request, &sink, stopped_by_sink);
  }

 private:
  CURL* Acquire() {
    std::lock_guard<std::mutex> lock(mu_);
    if (idle_.empty()) return curl_->easy_init();
    CURL* c = idle_.back();
    idle_.pop_back();
    return c;
  }

  void Release(CURL* c) {
    curl_->easy_reset(c);  // keeps the handle's open connections for reuse
    std::lock_guard<std::mutex> lock(mu_);
    idle_.push_back(c);
  }

  void SetTls(CURL* c, const ClientCertificate* override_cert) {
    if (endpoint_.insecure_skip_tls_verify) {
      curl_->easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
      curl_->easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
    } else {
      curl_->easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
      curl_->easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    }
    if (!endpoint_.ca_pem.empty()) {
      curl_blob blob{endpoint_.ca_pem.data(), endpoint_.ca_pem.size(), CURL_BLOB_NOCOPY};
      curl_->easy_setopt(c, CURLOPT_CAINFO_BLOB, &blob);
    }
    const std::string& cert_pem =
        override_cert != nullptr ? override_cert->cert_pem : endpoint_.client_cert_pem;
    const std::string& key_pem =
        override_cert != nullptr ? override_cert->key_pem : endpoint_.client_key_pem;
    if (!cert_pem.empty() && !key_pem.empty()) {
      // CURL_BLOB_COPY: the request's certificate may be released before
      // curl is done with the handle.
      curl_blob cert{const_cast<char*>(cert_pem.data()), cert_pem.size(), CURL_BLOB_COPY};
      curl_blob key{const_cast<char*>(key_pem.data()), key_pem.size(), CURL_BLOB_COPY};
      curl_->easy_setopt(c, CURLOPT_SSLCERTTYPE, "PEM");
      curl_->easy_setopt(c, CURLOPT_SSLCERT_BLOB, &cert);
      curl_->easy_setopt(c, CURLOPT_SSLKEYTYPE, "PEM");
      curl_->easy_setopt(c, CURLOPT_SSLKEY_BLOB, &key);
    }
    if (connect_to_ != nullptr) curl_->easy_setopt(c, CURLOPT_CONNECT_TO, connect_to_);
    if (!endpoint_.proxy_url.empty()) curl_->easy_setopt(c, CURLOPT_PROXY, endpoint_.proxy_url.c_str());
  }

  ApiResult<HttpResponse> Perform(const HttpRequest& request, const BodySink* sink,
                                  bool* stopped_by_sink) {
    if (curl_ == nullptr) return TransportError(request.method + " " + endpoint_.server + ": " + load_error_);
    CURL* c = Acquire();
    if (c == nullptr) return TransportError("cannot create an HTTP handle");
    HttpResponse response;
    CallState state{curl_, c, &response, sink};
    std::string url = base_url_ + request.path;
    char error_buffer[CURL_ERROR_SIZE] = {0};

    curl_->easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_->easy_setopt(c, CURLOPT_ERRORBUFFER, error_buffer);
    curl_->easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_->easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_->easy_setopt(c, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_2TLS));
    curl_->easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https,http");
    curl_->easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(endpoint_.connect_timeout.count()));
    auto timeout = request.timeout.count() > 0 ? request.timeout : endpoint_.request_timeout;
    curl_->easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
    curl_->easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
    SetTls(c, request.client_certificate.get());

    curl_->easy_setopt(c, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    if (request.method == "HEAD") curl_->easy_setopt(c, CURLOPT_NOBODY, 1L);
    if (!request.body.empty() || request.method == "POST" || request.method == "PUT" ||
        request.method == "PATCH") {
      curl_->easy_setopt(c, CURLOPT_POSTFIELDS, request.body.data());
      curl_->easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    }
    curl_slist* headers = nullptr;
    for (const auto& [name, value] : request.headers) {
      headers = curl_->slist_append(headers, (name + ": " + value).c_str());
    }
    headers = curl_->slist_append(headers, "Expect:");
    curl_->easy_setopt(c, CURLOPT_HTTPHEADER, headers);
    curl_->easy_setopt(c, CURLOPT_HEADERFUNCTION, OnHeader);
    curl_->easy_setopt(c, CURLOPT_HEADERDATA, &state);
    curl_->easy_setopt(c, CURLOPT_WRITEFUNCTION, OnBody);
    curl_->easy_setopt(c, CURLOPT_WRITEDATA, &state);

    CURLcode rc = curl_->easy_perform(c);
    long code = 0;
    curl_->easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
    curl_->slist_free_all(headers);
    Release(c);
    if (stopped_by_sink != nullptr) *stopped_by_sink = state.stopped_by_sink;

    response.status = static_cast<int>(code);
    if (rc == CURLE_OK || state.stopped_by_sink) return response;
    // A stream that began and then broke is a normal end for a watch: the
    // caller resumes from the last version it saw.
    if (state.streaming_body) return response;
    std::string detail = error_buffer[0] != 0 ? error_buffer : curl_->easy_strerror(rc);
    return TransportError(request.method + " " + endpoint_.server + ": " + detail);
  }

  ServerEndpoint endpoint_;
  ParsedServer server_;
  std::string base_url_;
  const CurlLibrary* curl_ = nullptr;  // null when libcurl could not be loaded
  std::string load_error_;
  curl_slist* connect_to_ = nullptr;
  std::mutex mu_;
  std::vector<CURL*> idle_;
};

}  // namespace

std::string_view HttpResponse::Header(std::string_view name) const {
  for (const auto& [n, v] : headers) {
    if (n == name) return v;
  }
  return {};
}

std::unique_ptr<Transport> NewCurlTransport(ServerEndpoint endpoint) {
  return std::make_unique<CurlTransport>(std::move(endpoint));
}

}  // namespace skiff::kube
