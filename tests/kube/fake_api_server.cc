#include "fake_api_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace skiff::kube::testing {

namespace {

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void Run(const std::string& command) {
  std::string quiet = command + " >/dev/null 2>&1";
  if (std::system(quiet.c_str()) != 0) throw std::runtime_error("failed: " + command);
}

std::string UrlDecode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      out.push_back(static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16)));
      i += 2;
    } else if (s[i] == '+') {
      out.push_back(' ');
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

void ParseTarget(RecordedRequest& r) {
  size_t q = r.target.find('?');
  r.path = r.target.substr(0, q);
  if (q == std::string::npos) return;
  std::string_view rest = std::string_view(r.target).substr(q + 1);
  while (!rest.empty()) {
    size_t amp = rest.find('&');
    std::string_view kv = rest.substr(0, amp);
    size_t eq = kv.find('=');
    r.query[UrlDecode(kv.substr(0, eq))] =
        eq == std::string_view::npos ? "" : UrlDecode(kv.substr(eq + 1));
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
  }
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string ReasonPhrase(int status) {
  switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 401: return "Unauthorized";
    case 404: return "Not Found";
    case 409: return "Conflict";
    case 410: return "Gone";
    case 422: return "Unprocessable Entity";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    default: return "Status";
  }
}

// One TLS connection; reads requests and writes answers.
class Connection : public ResponseWriter {
 public:
  Connection(SSL* ssl, int fd) : ssl_(ssl), fd_(fd) {}

  // Reads one request; false at end of connection.
  bool ReadRequest(RecordedRequest& r) {
    size_t header_end;
    while ((header_end = buf_.find("\r\n\r\n")) == std::string::npos) {
      if (!Fill()) return false;
    }
    std::istringstream head(buf_.substr(0, header_end));
    std::string line;
    std::getline(head, line);
    std::istringstream request_line(line);
    std::string version;
    request_line >> r.method >> r.target >> version;
    while (std::getline(head, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      size_t colon = line.find(':');
      if (colon == std::string::npos) continue;
      std::string value = line.substr(colon + 1);
      value.erase(0, value.find_first_not_of(' '));
      r.headers[Lower(line.substr(0, colon))] = value;
    }
    buf_.erase(0, header_end + 4);
    size_t length = r.headers.count("content-length") ? std::stoul(r.headers["content-length"]) : 0;
    while (buf_.size() < length) {
      if (!Fill()) return false;
    }
    r.body = buf_.substr(0, length);
    buf_.erase(0, length);
    ParseTarget(r);
    return true;
  }

  void Respond(int status, std::string_view body,
               const std::vector<std::pair<std::string, std::string>>& headers) override {
    std::string out = "HTTP/1.1 " + std::to_string(status) + " " + ReasonPhrase(status) + "\r\n";
    out += "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
    for (const auto& [k, v] : headers) out += k + ": " + v + "\r\n";
    out += "\r\n";
    out += body;
    Write(out);
    responded_ = true;
  }

  void BeginStream(int status) override {
    Write("HTTP/1.1 " + std::to_string(status) + " " + ReasonPhrase(status) +
          "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
    responded_ = true;
  }

  bool WriteChunk(std::string_view data) override {
    if (data.empty()) return true;
    std::ostringstream size;
    size << std::hex << data.size();
    return Write(size.str() + "\r\n" + std::string(data) + "\r\n");
  }

  void EndStream() override { Write("0\r\n\r\n"); }

  void Drop() override {
    dropped_ = true;
    ::shutdown(fd_, SHUT_RDWR);
  }

  bool dropped() const { return dropped_; }
  bool responded() const { return responded_; }
  void ResetForNextRequest() { responded_ = false; }

 private:
  bool Fill() {
    char tmp[16384];
    int n = SSL_read(ssl_, tmp, sizeof tmp);
    if (n <= 0) return false;
    buf_.append(tmp, static_cast<size_t>(n));
    return true;
  }

  bool Write(const std::string& data) {
    if (dropped_) return false;
    size_t off = 0;
    while (off < data.size()) {
      int n = SSL_write(ssl_, data.data() + off, static_cast<int>(data.size() - off));
      if (n <= 0) return false;
      off += static_cast<size_t>(n);
    }
    return true;
  }

  SSL* ssl_;
  int fd_;
  std::string buf_;
  bool dropped_ = false;
  bool responded_ = false;
};

std::string ClientCommonName(SSL* ssl) {
  X509* cert = SSL_get1_peer_certificate(ssl);
  if (cert == nullptr) return {};
  char cn[256] = {0};
  X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, cn, sizeof cn);
  X509_free(cert);
  return cn;
}

bool LoadPem(SSL_CTX* ctx, const TestPki& pki) {
  BIO* cert_bio = BIO_new_mem_buf(pki.server_cert_pem.data(), static_cast<int>(pki.server_cert_pem.size()));
  X509* cert = PEM_read_bio_X509(cert_bio, nullptr, nullptr, nullptr);
  BIO_free(cert_bio);
  BIO* key_bio = BIO_new_mem_buf(pki.server_key_pem.data(), static_cast<int>(pki.server_key_pem.size()));
  EVP_PKEY* key = PEM_read_bio_PrivateKey(key_bio, nullptr, nullptr, nullptr);
  BIO_free(key_bio);
  BIO* ca_bio = BIO_new_mem_buf(pki.ca_pem.data(), static_cast<int>(pki.ca_pem.size()));
  X509* ca = PEM_read_bio_X509(ca_bio, nullptr, nullptr, nullptr);
  BIO_free(ca_bio);
  bool ok = cert != nullptr && key != nullptr && ca != nullptr &&
            SSL_CTX_use_certificate(ctx, cert) == 1 && SSL_CTX_use_PrivateKey(ctx, key) == 1 &&
            X509_STORE_add_cert(SSL_CTX_get_cert_store(ctx), ca) == 1;
  X509_free(cert);
  EVP_PKEY_free(key);
  X509_free(ca);
  return ok;
}

}  // namespace

std::string RecordedRequest::Query(const std::string& name) const {
  auto it = query.find(name);
  return it == query.end() ? std::string() : it->second;
}

std::string RecordedRequest::Header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? std::string() : it->second;
}

TestPki TestPki::Generate(const std::string& dir, const std::string& server_san) {
  const std::string key_opts = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
  Run("openssl req -x509 " + key_opts + " -keyout " + dir + "/ca.key -out " + dir +
      "/ca.crt -subj /CN=skiff-test-ca -days 2");
  std::ofstream(dir + "/server.ext") << "subjectAltName=" << server_san << "\n";
  std::ofstream(dir + "/client.ext") << "extendedKeyUsage=clientAuth\n";
  for (std::string who : {"server", "client"}) {
    std::string cn = who == "server" ? "fake-apiserver" : "skiff-test-user";
    Run("openssl req " + key_opts + " -keyout " + dir + "/" + who + ".key -out " + dir + "/" + who +
        ".csr -subj /CN=" + cn);
    Run("openssl x509 -req -in " + dir + "/" + who + ".csr -CA " + dir + "/ca.crt -CAkey " + dir +
        "/ca.key -CAcreateserial -out " + dir + "/" + who + ".crt -days 2 -extfile " + dir + "/" +
        who + ".ext");
  }
  TestPki pki;
  pki.ca_pem = ReadAll(dir + "/ca.crt");
  pki.server_cert_pem = ReadAll(dir + "/server.crt");
  pki.server_key_pem = ReadAll(dir + "/server.key");
  pki.client_cert_pem = ReadAll(dir + "/client.crt");
  pki.client_key_pem = ReadAll(dir + "/client.key");
  return pki;
}

struct FakeApiServer::Impl {
  SSL_CTX* ctx = nullptr;
};

FakeApiServer::FakeApiServer(const TestPki& pki, bool require_client_cert)
    : impl_(std::make_unique<Impl>()) {
  std::signal(SIGPIPE, SIG_IGN);  // a client that hangs up must not end the test
  impl_->ctx = SSL_CTX_new(TLS_server_method());
  if (!LoadPem(impl_->ctx, pki)) throw std::runtime_error("fake server: bad PEM");
  if (require_client_cert) {
    SSL_CTX_set_verify(impl_->ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
  }
  listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      listen(listen_fd_, 64) != 0) {
    throw std::runtime_error("fake server: cannot listen");
  }
  socklen_t len = sizeof addr;
  getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  accept_thread_ = std::thread([this] { AcceptLoop(); });
}

FakeApiServer::~FakeApiServer() {
  stopping_ = true;
  accept_thread_.join();
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (int fd : conn_fds_) ::shutdown(fd, SHUT_RDWR);
  }
  for (std::thread& t : conn_threads_) t.join();
  close(listen_fd_);
  SSL_CTX_free(impl_->ctx);
}

void FakeApiServer::SetHandler(Handler handler) {
  std::lock_guard<std::mutex> lock(mu_);
  handler_ = std::move(handler);
}

std::vector<RecordedRequest> FakeApiServer::requests() {
  std::lock_guard<std::mutex> lock(mu_);
  return requests_;
}

std::vector<RecordedRequest> FakeApiServer::RequestsTo(const std::string& path) {
  std::vector<RecordedRequest> out;
  for (RecordedRequest& r : requests()) {
    if (r.path == path) out.push_back(std::move(r));
  }
  return out;
}

void FakeApiServer::AcceptLoop() {
  while (!stopping_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (poll(&p, 1, 50) <= 0) continue;
    int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    ++connections_;
    std::lock_guard<std::mutex> lock(mu_);
    conn_fds_.push_back(fd);
    conn_threads_.emplace_back([this, fd] { Serve(fd); });
  }
}

void FakeApiServer::Serve(int fd) {
  SSL* ssl = SSL_new(impl_->ctx);
  SSL_set_fd(ssl, fd);
  if (SSL_accept(ssl) == 1) {
    Connection conn(ssl, fd);
    std::string cn = ClientCommonName(ssl);
    RecordedRequest request;
    while (!stopping_ && conn.ReadRequest(request)) {
      request.client_cn = cn;
      Handler handler;
      {
        std::lock_guard<std::mutex> lock(mu_);
        requests_.push_back(request);
        handler = handler_;
      }
      conn.ResetForNextRequest();
      if (handler) handler(request, conn);
      if (!conn.responded() && !conn.dropped()) {
        ResponseWriter& writer = conn;
        writer.Respond(404, StatusJson(404, "NotFound", "no handler"));
      }
      if (conn.dropped()) break;
      request = RecordedRequest();
    }
  }
  SSL_free(ssl);
  std::lock_guard<std::mutex> lock(mu_);
  ::shutdown(fd, SHUT_RDWR);
  for (int& f : conn_fds_) {
    if (f == fd) f = -1;
  }
  close(fd);
}

std::string StatusJson(int code, const std::string& reason, const std::string& message) {
  return R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":")" +
         message + R"(","reason":")" + reason + R"(","code":)" + std::to_string(code) + "}";
}

bool ServeDiscovery(const RecordedRequest& r, ResponseWriter& w, bool crds_installed) {
  if (r.path == "/api") {
    w.Respond(200, R"({"kind":"APIVersions","versions":["v1"]})");
  } else if (r.path == "/apis") {
    std::string groups =
        R"({"name":"apps","versions":[{"groupVersion":"apps/v1","version":"v1"}],)"
        R"("preferredVersion":{"groupVersion":"apps/v1","version":"v1"}})";
    if (crds_installed) {
      groups += R"(,{"name":"example.skiff.dev","versions":[{"groupVersion":"example.skiff.dev/v1","version":"v1"}]})";
    }
    w.Respond(200, R"({"kind":"APIGroupList","apiVersion":"v1","groups":[)" + groups + "]}");
  } else if (r.path == "/api/v1") {
    w.Respond(200, R"({"kind":"APIResourceList","groupVersion":"v1","resources":[)"
                   R"({"name":"pods","singularName":"pod","namespaced":true,"kind":"Pod","verbs":["get","list","watch","create","update","patch","delete"]},)"
                   R"({"name":"pods/status","singularName":"","namespaced":true,"kind":"Pod","verbs":["get","patch","update"]},)"
                   R"({"name":"configmaps","singularName":"configmap","namespaced":true,"kind":"ConfigMap","verbs":["get","list"]},)"
                   R"({"name":"namespaces","singularName":"namespace","namespaced":false,"kind":"Namespace","verbs":["get","list"]}]})");
  } else if (r.path == "/apis/apps/v1") {
    w.Respond(200, R"({"kind":"APIResourceList","groupVersion":"apps/v1","resources":[)"
                   R"({"name":"deployments","singularName":"deployment","namespaced":true,"kind":"Deployment","verbs":["get","list"]},)"
                   R"({"name":"deployments/status","singularName":"","namespaced":true,"kind":"Deployment","verbs":["get"]}]})");
  } else if (r.path == "/apis/example.skiff.dev/v1") {
    if (!crds_installed) {
      w.Respond(404, StatusJson(404, "NotFound", "the server could not find the requested resource"));
    } else {
      w.Respond(200, R"({"kind":"APIResourceList","groupVersion":"example.skiff.dev/v1","resources":[)"
                     R"({"name":"widgets","singularName":"widget","namespaced":false,"kind":"Widget","verbs":["get","list"]}]})");
    }
  } else {
    return false;
  }
  return true;
}

}  // namespace skiff::kube::testing
