// A small HTTPS server on loopback that plays a Kubernetes API server in
// tests: real TLS (certificates made with the openssl tool at test time),
// real HTTP/1.1 with keep-alive and chunked streaming, and handlers written
// per test so they can answer, stream, stall or drop on purpose.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace skiff::kube::testing {

// A throwaway CA with a server and a client certificate, as PEM text.
struct TestPki {
  std::string ca_pem;
  std::string server_cert_pem, server_key_pem;
  std::string client_cert_pem, client_key_pem;
  // Writes into `dir` (which must exist). `server_san` is an openssl
  // subjectAltName value such as "IP:127.0.0.1,DNS:localhost".
  static TestPki Generate(const std::string& dir,
                          const std::string& server_san = "IP:127.0.0.1,DNS:localhost");
};

struct RecordedRequest {
  std::string method;
  std::string target;  // path and query as sent
  std::string path;
  std::map<std::string, std::string> query;  // decoded
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
  std::string client_cn;  // subject CN of the client certificate, if any

  std::string Query(const std::string& name) const;
  std::string Header(const std::string& name) const;
};

// How a handler answers. Exactly one of Respond or BeginStream..EndStream,
// or Drop at any point.
class ResponseWriter {
 public:
  virtual ~ResponseWriter() = default;
  virtual void Respond(int status, std::string_view body,
                       const std::vector<std::pair<std::string, std::string>>& headers = {}) = 0;
  virtual void BeginStream(int status = 200) = 0;
  virtual bool WriteChunk(std::string_view data) = 0;
  virtual void EndStream() = 0;
  // Closes the connection at once, mid-response if need be.
  virtual void Drop() = 0;
};

using Handler = std::function<void(const RecordedRequest&, ResponseWriter&)>;

class FakeApiServer {
 public:
  explicit FakeApiServer(const TestPki& pki, bool require_client_cert = false);
  ~FakeApiServer();
  FakeApiServer(const FakeApiServer&) = delete;
  FakeApiServer& operator=(const FakeApiServer&) = delete;

  void SetHandler(Handler handler);
  int port() const { return port_; }
  std::string url() const { return "https://127.0.0.1:" + std::to_string(port_); }
  std::vector<RecordedRequest> requests();
  // Requests whose path (without query) equals `path`.
  std::vector<RecordedRequest> RequestsTo(const std::string& path);
  int connections() const { return connections_; }

 private:
  void AcceptLoop();
  void Serve(int fd);

  struct Impl;
  std::unique_ptr<Impl> impl_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> connections_{0};
  std::thread accept_thread_;
  std::mutex mu_;
  Handler handler_;
  std::vector<RecordedRequest> requests_;
  std::vector<std::thread> conn_threads_;
  std::vector<int> conn_fds_;
};

// Answers /api, /apis and the discovery documents for core/v1 (pods,
// configmaps, namespaces, pods/status) and apps/v1 (deployments), plus any
// extra apiextensions given in `crd_group_version` (kind "Widget",
// resource "widgets") when `crds_installed` says so. Returns whether it
// handled the request.
bool ServeDiscovery(const RecordedRequest& request, ResponseWriter& writer,
                    bool crds_installed = false);

// A JSON "metav1.Status" body.
std::string StatusJson(int code, const std::string& reason, const std::string& message);

}  // namespace skiff::kube::testing
