// Where the cluster is and who we are to it: kubeconfig files merged the way
// kubectl merges them, or the in-cluster service account.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/result.h"
#include "kube/curl_transport.h"

namespace skiff::kube {

// A client.authentication.k8s.io exec plugin (users[].user.exec). `command`
// is already resolved against the kubeconfig's directory when it is a
// relative path with a slash.
struct ExecConfig {
  std::string api_version;  // client.authentication.k8s.io/v1 or /v1beta1
  std::string command;
  std::vector<std::string> args;
  std::vector<std::pair<std::string, std::string>> env;
  std::string interactive_mode;  // Never, IfAvailable, Always ("" = IfAvailable)
  bool provide_cluster_info = false;
  std::string install_hint;
};

// Everything needed to talk to one cluster as one identity.
// Invariant: endpoint.server is non-empty; file paths are absolute.
struct RestConfig {
  ServerEndpoint endpoint;  // server, trust, proxy, static client certificate
  std::string token;        // static bearer token
  std::string token_file;   // re-read periodically (projected tokens rotate)
  std::optional<ExecConfig> exec;
  std::string ns = "default";  // namespace for namespaced calls without one
  std::string context;         // the context name used, for messages
  std::string cluster_name;   // the cluster entry used, for messages
};

struct KubeconfigOptions {
  // --kubeconfig: exactly this file, no merging. Empty: use `kubeconfig_env`.
  std::string explicit_path;
  // The KUBECONFIG value (':'-separated). Empty: $HOME/.kube/config.
  std::string kubeconfig_env;
  std::string home;
  std::string context;            // --context
  std::string namespace_override;  // --namespace
  // Tenant-supplied kubeconfigs must not run commands: a repository must never run code inside skiff.
  bool allow_exec_plugins = true;
};

// Fills kubeconfig_env and home from the process environment.
KubeconfigOptions KubeconfigOptionsFromEnvironment();

// Loads, merges and resolves the kubeconfig files. Errors name the file and
// the entry (context, cluster or user) at fault.
Result<RestConfig> LoadKubeconfig(const KubeconfigOptions& options);

// The in-cluster service account: `<root>/token`, `<root>/ca.crt`,
// `<root>/namespace`, and the API server from KUBERNETES_SERVICE_HOST/PORT.
struct InClusterOptions {
  std::string root = "/var/run/secrets/kubernetes.io/serviceaccount";
  std::string service_host;
  std::string service_port;
};
InClusterOptions InClusterOptionsFromEnvironment();
Result<RestConfig> LoadInClusterConfig(const InClusterOptions& options);

// Standard base64 (RFC 4648) with padding; whitespace is ignored.
Result<std::string> DecodeBase64(std::string_view text);

}  // namespace skiff::kube
