// The HTTPS front end: TLS on 127.0.0.1 with the local CA's server
// certificate, client certificates required, one thread per connection,
// requests handed to an ApiRouter. The only place Boost.Beast is compiled.
#pragma once

#include <functional>
#include <memory>

#include "base/result.h"
#include "local/api_router.h"
#include "local/pki.h"

namespace skiff::local {

class HttpServer {
 public:
  // Binds 127.0.0.1:`port` (0 picks a free port); nothing is served until
  // Run.
  static Result<std::unique_ptr<HttpServer>> Bind(const Pki& pki, int port, ApiRouter& router);
  ~HttpServer();

  int port() const;
  // Serves until SIGINT/SIGTERM or Stop(); then calls `before_close` (to
  // end long-running streams), closes every connection (waiting up to a few
  // seconds for their threads) and returns.
  void Run(const std::function<void()>& before_close);
  // Thread-safe; makes Run return.
  void Stop();

 private:
  struct Impl;
  explicit HttpServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace skiff::local
