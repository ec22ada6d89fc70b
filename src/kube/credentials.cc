#include "kube/credentials.h"

#include <fstream>
#include <sstream>

#include "model/node.h"
#include "yaml/yaml.h"

namespace skiff::kube {

namespace {

constexpr auto kTokenFileReread = std::chrono::seconds(60);

std::string Scalar(const Node* map, std::string_view key) {
  if (map == nullptr || !map->IsMap()) return {};
  const Node* v = map->Get(key);
  return v != nullptr && v->IsScalar() && !v->IsNull() ? std::string(v->scalar()) : std::string();
}

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

}  // namespace

std::string EncodeBase64(std::string_view data) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (unsigned char c : data) {
    acc = (acc << 8) | c;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out.push_back(kAlphabet[(acc >> bits) & 0x3f]);
    }
  }
  if (bits > 0) out.push_back(kAlphabet[(acc << (6 - bits)) & 0x3f]);
  while (out.size() % 4 != 0) out.push_back('=');
  return out;
}

ExecCredentialSource::ExecCredentialSource(ExecConfig config, const ServerEndpoint& cluster,
                                           ProcessRunner& runner, Clock& clock)
    : config_(std::move(config)), cluster_(cluster), runner_(runner), clock_(clock) {
  // The plugin never needs our own client key.
  cluster_.client_cert_pem.clear();
  cluster_.client_key_pem.clear();
}

ApiResult<ExecCredential> ExecCredentialSource::Get() {
  std::lock_guard<std::mutex> lock(mu_);
  if (cached_ && (!cached_->expiry || clock_.Now() < *cached_->expiry)) return *cached_;
  auto fresh = RunPlugin();
  if (!fresh.ok()) return fresh.error();
  cached_ = *fresh;
  return fresh;
}

void ExecCredentialSource::Invalidate() {
  std::lock_guard<std::mutex> lock(mu_);
  cached_.reset();
}

std::string ExecCredentialSource::ExecInfoJson() const {
  Arena arena(4096);
  Node* root = arena.NewMap();
  root->Set("apiVersion", arena.NewString(config_.api_version));
  root->Set("kind", arena.NewString("ExecCredential"));
  Node* spec = arena.GetOrCreateMap(root, "spec");
  // skiff runs unattended: a plugin must never wait for a human.
  spec->Set("interactive", arena.NewBool(false));
  if (config_.provide_cluster_info) {
    Node* cluster = arena.GetOrCreateMap(spec, "cluster");
    cluster->Set("server", arena.NewString(cluster_.server));
    if (!cluster_.tls_server_name.empty()) {
      cluster->Set("tls-server-name", arena.NewString(cluster_.tls_server_name));
    }
    if (cluster_.insecure_skip_tls_verify) cluster->Set("insecure-skip-tls-verify", arena.NewBool(true));
    if (!cluster_.ca_pem.empty()) {
      cluster->Set("certificate-authority-data", arena.NewString(arena.Str(EncodeBase64(cluster_.ca_pem))));
    }
    if (!cluster_.proxy_url.empty()) cluster->Set("proxy-url", arena.NewString(cluster_.proxy_url));
  }
  std::string out;
  EmitJson(root, out);
  return out;
}

ApiResult<ExecCredential> ExecCredentialSource::RunPlugin() {
  std::string who = "exec plugin " + config_.command;
  if (config_.interactive_mode == "Always") {
    return LocalError(who + ": interactiveMode Always needs a terminal, which skiff never has");
  }
  std::vector<std::string> argv{config_.command};
  argv.insert(argv.end(), config_.args.begin(), config_.args.end());
  auto env = config_.env;
  env.emplace_back("KUBERNETES_EXEC_INFO", ExecInfoJson());
  auto run = runner_.Run(argv, env);
  if (!run.ok()) {
    std::string hint = config_.install_hint.empty() ? "" : "\n" + config_.install_hint;
    return LocalError(who + ": " + run.error().message + hint);
  }
  // Plugin output is not echoed: it may hold the very credential.
  if (run->exit_code != 0) {
    return LocalError(who + " exited with status " + std::to_string(run->exit_code));
  }
  Arena arena(8192);
  auto parsed = ParseJson(run->stdout_text, arena);
  if (!parsed.ok() || !(*parsed)->IsMap()) return LocalError(who + ": output is not JSON");
  const Node* cred = *parsed;
  if (Scalar(cred, "kind") != "ExecCredential") {
    return LocalError(who + ": output kind is \"" + Scalar(cred, "kind") + "\", want ExecCredential");
  }
  if (Scalar(cred, "apiVersion") != config_.api_version) {
    return LocalError(who + ": output apiVersion \"" + Scalar(cred, "apiVersion") +
                      "\" differs from the configured " + config_.api_version);
  }
  const Node* status = cred->Get("status");
  ExecCredential out;
  out.token = Scalar(status, "token");
  std::string cert = Scalar(status, "clientCertificateData");
  std::string key = Scalar(status, "clientKeyData");
  if (!cert.empty() && !key.empty()) {
    out.certificate = std::make_shared<ClientCertificate>(ClientCertificate{cert, key});
  }
  if (out.token.empty() && out.certificate == nullptr) {
    return LocalError(who + ": status has neither token nor clientCertificateData+clientKeyData");
  }
  std::string expiry = Scalar(status, "expirationTimestamp");
  if (!expiry.empty()) {
    Clock::TimePoint t;
    if (!ParseRfc3339(expiry, &t)) {
      return LocalError(who + ": status.expirationTimestamp \"" + expiry + "\" is not RFC 3339");
    }
    out.expiry = t;
  }
  return out;
}

Authenticator::Authenticator(const RestConfig& config, ProcessRunner& runner, Clock& clock)
    : token_(config.token), token_file_(config.token_file), clock_(clock) {
  if (config.exec) {
    exec_ = std::make_unique<ExecCredentialSource>(*config.exec, config.endpoint, runner, clock);
  }
}

ApiResult<std::string> Authenticator::FileToken() {
  std::lock_guard<std::mutex> lock(mu_);
  auto now = clock_.Now();
  if (!file_token_.empty() && now - file_token_read_ < kTokenFileReread) return file_token_;
  std::ifstream in(token_file_, std::ios::binary);
  if (!in) return LocalError(token_file_ + ": cannot read token file");
  std::ostringstream s;
  s << in.rdbuf();
  file_token_ = Trim(s.str());
  file_token_read_ = now;
  return file_token_;
}

ApiStatus Authenticator::Authorize(HttpRequest& request) {
  std::string token = token_;
  if (exec_ != nullptr) {
    auto cred = exec_->Get();
    if (!cred.ok()) return cred.error();
    if (!cred->token.empty()) token = cred->token;
    if (cred->certificate != nullptr) request.client_certificate = cred->certificate;
  } else if (!token_file_.empty()) {
    auto t = FileToken();
    if (!t.ok()) return t.error();
    token = *t;
  }
  if (!token.empty()) request.headers.emplace_back("Authorization", "Bearer " + token);
  return ApiStatus();
}

bool Authenticator::Refresh() {
  if (exec_ != nullptr) {
    exec_->Invalidate();
    return true;
  }
  if (!token_file_.empty()) {
    std::lock_guard<std::mutex> lock(mu_);
    file_token_.clear();
    return true;
  }
  return false;
}

}  // namespace skiff::kube
