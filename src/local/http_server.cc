#include "local/http_server.h"

#include <sys/socket.h>

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <chrono>
#include <condition_variable>
#include <set>
#include <thread>

namespace skiff::local {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using TlsStream = asio::ssl::stream<tcp::socket>;

struct HttpServer::Impl {
  ApiRouter& router;
  asio::io_context ioc;
  asio::ssl::context tls{asio::ssl::context::tls_server};
  tcp::acceptor acceptor{ioc};
  asio::signal_set signals{ioc, SIGINT, SIGTERM};

  std::mutex mu;
  std::condition_variable idle;
  std::set<int> open_fds;
  int active = 0;
  bool stopping = false;

  explicit Impl(ApiRouter& r) : router(r) {}

  void Accept();
  void Session(tcp::socket socket);
  void ShutDown();
  bool Track(int fd);
  void Untrack(int fd);
};

namespace {

HttpRequest ToRequest(const http::request<http::string_body>& msg) {
  HttpRequest req;
  auto method = msg.method_string();
  req.method.assign(method.data(), method.size());
  auto raw_target = msg.target();
  std::string_view target(raw_target.data(), raw_target.size());
  size_t q = target.find('?');
  req.path = PercentDecode(target.substr(0, q));
  if (q != std::string_view::npos) req.query = ParseQuery(target.substr(q + 1));
  auto content_type = msg[http::field::content_type];
  auto accept = msg[http::field::accept];
  req.content_type.assign(content_type.data(), content_type.size());
  req.accept.assign(accept.data(), accept.size());
  auto user_agent = msg[http::field::user_agent];
  req.user_agent.assign(user_agent.data(), user_agent.size());
  req.body = msg.body();
  return req;
}

class TlsChunkSink : public ChunkSink {
 public:
  explicit TlsChunkSink(TlsStream& s) : stream_(s) {}
  bool Write(std::string_view chunk) override {
    beast::error_code ec;
    asio::write(stream_, http::make_chunk(asio::const_buffer(chunk.data(), chunk.size())), ec);
    return !ec;
  }

 private:
  TlsStream& stream_;
};

bool WriteResponse(TlsStream& stream, const HttpResponse& r, unsigned version, bool keep_alive) {
  beast::error_code ec;
  if (r.stream) {
    http::response<http::empty_body> head{static_cast<http::status>(r.status), version};
    head.set(http::field::content_type, r.content_type);
    for (const auto& [k, v] : r.headers) head.insert(k, v);  // Warning may repeat
    head.chunked(true);
    http::response_serializer<http::empty_body> sr{head};
    http::write_header(stream, sr, ec);
    if (ec) return false;
    TlsChunkSink sink(stream);
    r.stream(sink);
    asio::write(stream, http::make_chunk_last(), ec);
    return false;  // one stream per connection keeps shutdown simple
  }
  http::response<http::string_body> res{static_cast<http::status>(r.status), version};
  res.set(http::field::content_type, r.content_type);
  for (const auto& [k, v] : r.headers) res.insert(k, v);
  res.body() = r.body;
  res.keep_alive(keep_alive);
  res.prepare_payload();
  http::write(stream, res, ec);
  return !ec && keep_alive;
}

}  // namespace

bool HttpServer::Impl::Track(int fd) {
  std::lock_guard<std::mutex> lock(mu);
  if (stopping) return false;
  open_fds.insert(fd);
  ++active;
  return true;
}

void HttpServer::Impl::Untrack(int fd) {
  std::lock_guard<std::mutex> lock(mu);
  open_fds.erase(fd);
  --active;
  idle.notify_all();
}

void HttpServer::Impl::Accept() {
  acceptor.async_accept([this](beast::error_code ec, tcp::socket socket) {
    if (ec) return;  // acceptor closed
    int fd = socket.native_handle();
    if (!Track(fd)) return;
    std::thread([this, s = std::move(socket), fd]() mutable {
      Session(std::move(s));
      Untrack(fd);
    }).detach();
    Accept();
  });
}

void HttpServer::Impl::Session(tcp::socket socket) {
  TlsStream stream(std::move(socket), tls);
  beast::error_code ec;
  stream.handshake(asio::ssl::stream_base::server, ec);
  if (ec) return;
  beast::flat_buffer buffer;
  while (true) {
    http::request_parser<http::string_body> parser;
    parser.body_limit(64u << 20);
    http::read(stream, buffer, parser, ec);
    if (ec) break;
    const auto& msg = parser.get();
    HttpRequest req = ToRequest(msg);
    if (auto fault = router.FaultFor(req)) {
      if (fault->kind == FaultAction::Kind::kDrop) break;
      if (fault->kind == FaultAction::Kind::kHang) {
        std::unique_lock<std::mutex> lock(mu);
        idle.wait_for(lock, std::chrono::seconds(fault->seconds), [this] { return stopping; });
        break;
      }
      HttpResponse r;
      r.status = fault->status;
      std::string reason = fault->status == 429   ? "TooManyRequests"
                           : fault->status == 409 ? "Conflict"
                                                  : "InternalError";
      r.body = R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"injected fault","reason":")" +
               reason + R"(","code":)" + std::to_string(fault->status) + "}";
      if (fault->status == 429) r.headers.emplace_back("Retry-After", std::to_string(fault->seconds));
      if (!WriteResponse(stream, r, msg.version(), msg.keep_alive())) break;
      continue;
    }
    HttpResponse r = router.Handle(req);
    if (!WriteResponse(stream, r, msg.version(), msg.keep_alive())) break;
  }
  stream.shutdown(ec);
  stream.next_layer().close(ec);
}

void HttpServer::Impl::ShutDown() {
  beast::error_code ec;
  acceptor.close(ec);
  signals.cancel(ec);
  std::unique_lock<std::mutex> lock(mu);
  stopping = true;
  idle.notify_all();
  // Unblocks sessions waiting in read(); their threads then finish.
  for (int fd : open_fds) ::shutdown(fd, SHUT_RDWR);
  idle.wait_for(lock, std::chrono::seconds(5), [this] { return active == 0; });
}

Result<std::unique_ptr<HttpServer>> HttpServer::Bind(const Pki& pki, int port, ApiRouter& router) {
  auto impl = std::make_unique<Impl>(router);
  beast::error_code ec;
  auto& tls = impl->tls;
  tls.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                  asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1);
  tls.use_certificate_chain(asio::buffer(pki.server_cert), ec);
  if (!ec) tls.use_private_key(asio::buffer(pki.server_key), asio::ssl::context::pem, ec);
  if (!ec) tls.add_certificate_authority(asio::buffer(pki.ca_cert), ec);
  if (ec) return MakeError("TLS setup: " + ec.message());
  tls.set_verify_mode(asio::ssl::verify_peer | asio::ssl::verify_fail_if_no_peer_cert);

  tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port));
  impl->acceptor.open(endpoint.protocol(), ec);
  if (!ec) impl->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) impl->acceptor.bind(endpoint, ec);
  if (!ec) impl->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return MakeError("cannot listen on 127.0.0.1:" + std::to_string(port) + ": " + ec.message());
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
}

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HttpServer::~HttpServer() = default;

int HttpServer::port() const { return impl_->acceptor.local_endpoint().port(); }

void HttpServer::Run(const std::function<void()>& before_close) {
  impl_->signals.async_wait([this](beast::error_code ec, int) {
    if (!ec) impl_->ioc.stop();
  });
  impl_->Accept();
  impl_->ioc.run();
  if (before_close) before_close();
  impl_->ShutDown();
}

void HttpServer::Stop() { impl_->ioc.stop(); }

}  // namespace skiff::local
