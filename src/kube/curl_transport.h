// The real Transport: libcurl over TLS to one API server.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "kube/transport.h"

namespace skiff::kube {

// How to reach and trust one API server. Certificates and keys are PEM text
// held in memory; nothing is written to disk.
struct ServerEndpoint {
  std::string server;  // "https://host:port" with an optional path prefix
  std::string ca_pem;  // empty: the system trust store
  bool insecure_skip_tls_verify = false;
  std::string tls_server_name;  // name to verify the certificate against, if not the host
  std::string proxy_url;
  std::string client_cert_pem;
  std::string client_key_pem;
  std::chrono::milliseconds connect_timeout{10000};
  std::chrono::milliseconds request_timeout{60000};
};

// Makes a Transport for `endpoint`. Easy handles are pooled so each thread
// reuses open connections; HTTP/2 is used when the server offers it.
// Redirects are never followed, so credentials stay bound to this server.
std::unique_ptr<Transport> NewCurlTransport(ServerEndpoint endpoint);

}  // namespace skiff::kube
