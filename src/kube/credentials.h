// Supplies each request's credentials: a static token, a token file that is
// re-read as it rotates, or an exec plugin's token or client certificate
// cached until it expires.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "kube/api_error.h"
#include "kube/clock.h"
#include "kube/kubeconfig.h"
#include "kube/process_runner.h"
#include "kube/transport.h"

namespace skiff::kube {

// What an exec plugin returned. `expiry` unset means "valid until a 401".
struct ExecCredential {
  std::string token;
  std::shared_ptr<const ClientCertificate> certificate;
  std::optional<Clock::TimePoint> expiry;
};

// Runs an exec plugin per client.authentication.k8s.io and parses its
// ExecCredential. Invariant: a cached credential is handed out only before
// its expiry; Invalidate() forces the next Get() to run the plugin again.
class ExecCredentialSource {
 public:
  ExecCredentialSource(ExecConfig config, const ServerEndpoint& cluster, ProcessRunner& runner,
                       Clock& clock);
  ApiResult<ExecCredential> Get();
  void Invalidate();

 private:
  ApiResult<ExecCredential> RunPlugin();
  std::string ExecInfoJson() const;

  ExecConfig config_;
  ServerEndpoint cluster_;
  ProcessRunner& runner_;
  Clock& clock_;
  std::mutex mu_;
  std::optional<ExecCredential> cached_;
};

// Adds credentials to requests for one RestConfig.
class Authenticator {
 public:
  Authenticator(const RestConfig& config, ProcessRunner& runner, Clock& clock);
  ApiStatus Authorize(HttpRequest& request);
  // Called after a 401: drops cached credentials. Returns true when a retry
  // could present different ones (exec plugin or token file).
  bool Refresh();

 private:
  ApiResult<std::string> FileToken();

  std::string token_;
  std::string token_file_;
  Clock& clock_;
  std::unique_ptr<ExecCredentialSource> exec_;
  std::mutex mu_;
  std::string file_token_;
  Clock::TimePoint file_token_read_{};
};

std::string EncodeBase64(std::string_view data);

}  // namespace skiff::kube
