#include "kube/kubeconfig.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>

#include "model/node.h"
#include "yaml/yaml.h"

namespace skiff::kube {

namespace {

namespace fs = std::filesystem;

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError(path + ": cannot read file");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string Scalar(const Node* map, std::string_view key) {
  if (map == nullptr || !map->IsMap()) return {};
  const Node* v = map->Get(key);
  return v != nullptr && v->IsScalar() && !v->IsNull() ? std::string(v->scalar()) : std::string();
}

bool Bool(const Node* map, std::string_view key) {
  std::string v = Scalar(map, key);
  return v == "true" || v == "True" || v == "TRUE";
}

// Named entries (clusters, users, contexts) where the first file to define a
// name wins, each remembering the directory its relative paths resolve in.
struct NamedEntry {
  const Node* body = nullptr;
  std::string dir;
  std::string file;
  uint32_t line = 0;
};

struct MergedConfig {
  std::vector<std::unique_ptr<Arena>> arenas;
  std::map<std::string, NamedEntry> clusters, users, contexts;
  std::string current_context;
};

std::string Where(const NamedEntry& e) { return e.file + ":" + std::to_string(e.line); }

void MergeNamed(const Node* root, std::string_view list_key, std::string_view body_key,
                const std::string& file, std::map<std::string, NamedEntry>& into) {
  const Node* list = root->Get(list_key);
  if (list == nullptr || !list->IsSeq()) return;
  std::string dir = fs::path(file).parent_path().string();
  for (const Node* item : list->items()) {
    std::string name = Scalar(item, "name");
    if (name.empty() || into.count(name) != 0) continue;
    into[name] = NamedEntry{item->Get(body_key), dir, file, item->pos().line};
  }
}

Status MergeFile(const std::string& file, MergedConfig& merged) {
  SKIFF_ASSIGN_OR_RETURN(std::string text, ReadFile(file));
  merged.arenas.push_back(std::make_unique<Arena>());
  Arena& arena = *merged.arenas.back();
  SKIFF_ASSIGN_OR_RETURN(auto docs, ParseYamlStream(text, arena.Str(file), arena));
  if (docs.empty() || docs[0].root == nullptr) return Status::Ok();
  const Node* root = docs[0].root;
  if (!root->IsMap()) return MakeError(file + ": a kubeconfig must be a map");
  MergeNamed(root, "clusters", "cluster", file, merged.clusters);
  MergeNamed(root, "users", "user", file, merged.users);
  MergeNamed(root, "contexts", "context", file, merged.contexts);
  if (merged.current_context.empty()) merged.current_context = Scalar(root, "current-context");
  return Status::Ok();
}

std::string Resolve(const std::string& dir, const std::string& path) {
  if (path.empty() || fs::path(path).is_absolute()) return path;
  return (fs::path(dir) / path).lexically_normal().string();
}

// Reads "<field>-data" (base64) or "<field>" (a file path).
Result<std::string> DataOrFile(const NamedEntry& e, std::string_view field) {
  std::string data = Scalar(e.body, std::string(field) + "-data");
  if (!data.empty()) {
    auto decoded = DecodeBase64(data);
    if (!decoded.ok()) return decoded.error().Wrap(Where(e) + ": " + std::string(field) + "-data");
    return decoded;
  }
  std::string path = Scalar(e.body, field);
  if (path.empty()) return std::string();
  auto content = ReadFile(Resolve(e.dir, path));
  if (!content.ok()) return content.error().Wrap(Where(e) + ": " + std::string(field));
  return content;
}

Status FillCluster(const NamedEntry& e, RestConfig& out) {
  out.endpoint.server = Scalar(e.body, "server");
  if (out.endpoint.server.empty()) {
    return MakeError(Where(e) + ": cluster \"" + out.cluster_name + "\" has no server");
  }
  SKIFF_ASSIGN_OR_RETURN(out.endpoint.ca_pem, DataOrFile(e, "certificate-authority"));
  out.endpoint.insecure_skip_tls_verify = Bool(e.body, "insecure-skip-tls-verify");
  out.endpoint.tls_server_name = Scalar(e.body, "tls-server-name");
  out.endpoint.proxy_url = Scalar(e.body, "proxy-url");
  return Status::Ok();
}

Result<ExecConfig> ParseExec(const NamedEntry& e, const Node* exec) {
  ExecConfig c;
  c.api_version = Scalar(exec, "apiVersion");
  c.command = Scalar(exec, "command");
  if (c.command.empty()) return MakeError(Where(e) + ": user.exec.command is empty");
  if (c.command.find('/') != std::string::npos) c.command = Resolve(e.dir, c.command);
  if (c.api_version != "client.authentication.k8s.io/v1" &&
      c.api_version != "client.authentication.k8s.io/v1beta1") {
    return MakeError(Where(e) + ": user.exec.apiVersion \"" + c.api_version +
                     "\" is not client.authentication.k8s.io/v1 or v1beta1");
  }
  if (const Node* args = exec->Get("args"); args != nullptr && args->IsSeq()) {
    for (const Node* a : args->items()) c.args.emplace_back(a->scalar());
  }
  if (const Node* env = exec->Get("env"); env != nullptr && env->IsSeq()) {
    for (const Node* kv : env->items()) c.env.emplace_back(Scalar(kv, "name"), Scalar(kv, "value"));
  }
  c.interactive_mode = Scalar(exec, "interactiveMode");
  if (c.api_version.ends_with("/v1") && c.interactive_mode.empty()) {
    return MakeError(Where(e) + ": user.exec.interactiveMode is required by " + c.api_version);
  }
  c.provide_cluster_info = Bool(exec, "provideClusterInfo");
  c.install_hint = Scalar(exec, "installHint");
  return c;
}

Status FillUser(const NamedEntry& e, const KubeconfigOptions& options, RestConfig& out) {
  if (e.body == nullptr) return Status::Ok();
  SKIFF_ASSIGN_OR_RETURN(out.endpoint.client_cert_pem, DataOrFile(e, "client-certificate"));
  SKIFF_ASSIGN_OR_RETURN(out.endpoint.client_key_pem, DataOrFile(e, "client-key"));
  if (out.endpoint.client_cert_pem.empty() != out.endpoint.client_key_pem.empty()) {
    return MakeError(Where(e) + ": a client certificate needs both certificate and key");
  }
  out.token = Scalar(e.body, "token");
  std::string token_file = Scalar(e.body, "tokenFile");
  // As in kubectl, an inline token takes precedence over tokenFile.
  if (!token_file.empty() && out.token.empty()) out.token_file = Resolve(e.dir, token_file);
  if (const Node* exec = e.body->Get("exec"); exec != nullptr && exec->IsMap()) {
    if (!options.allow_exec_plugins) {
      return MakeError(Where(e) + ": exec credential plugins are not allowed for this kubeconfig");
    }
    SKIFF_ASSIGN_OR_RETURN(ExecConfig exec_config, ParseExec(e, exec));
    out.exec = std::move(exec_config);
  }
  return Status::Ok();
}

std::vector<std::string> FilesToMerge(const KubeconfigOptions& options) {
  if (!options.explicit_path.empty()) return {options.explicit_path};
  std::vector<std::string> files;
  if (!options.kubeconfig_env.empty()) {
    std::string_view rest = options.kubeconfig_env;
    while (!rest.empty()) {
      size_t colon = rest.find(':');
      std::string_view part = rest.substr(0, colon);
      if (!part.empty()) files.emplace_back(part);
      rest = colon == std::string_view::npos ? std::string_view() : rest.substr(colon + 1);
    }
    return files;
  }
  if (!options.home.empty()) files.push_back(options.home + "/.kube/config");
  return files;
}

std::string Getenv(const char* name) {
  const char* v = std::getenv(name);
  return v == nullptr ? std::string() : std::string(v);
}

}  // namespace

KubeconfigOptions KubeconfigOptionsFromEnvironment() {
  KubeconfigOptions o;
  o.kubeconfig_env = Getenv("KUBECONFIG");
  o.home = Getenv("HOME");
  return o;
}

Result<RestConfig> LoadKubeconfig(const KubeconfigOptions& options) {
  MergedConfig merged;
  bool any = false;
  for (const std::string& file : FilesToMerge(options)) {
    // Like kubectl, files in the KUBECONFIG list that do not exist are
    // skipped; an explicit --kubeconfig must exist.
    if (options.explicit_path.empty() && !fs::exists(file)) continue;
    SKIFF_RETURN_IF_ERROR(MergeFile(file, merged));
    any = true;
  }
  if (!any) return MakeError("no kubeconfig found (set KUBECONFIG or --kubeconfig)");
  RestConfig out;
  out.context = options.context.empty() ? merged.current_context : options.context;
  if (out.context.empty()) return MakeError("kubeconfig: no current-context and no --context");
  auto ctx = merged.contexts.find(out.context);
  if (ctx == merged.contexts.end()) {
    return MakeError("kubeconfig: context \"" + out.context + "\" not found");
  }
  out.cluster_name = Scalar(ctx->second.body, "cluster");
  std::string user_name = Scalar(ctx->second.body, "user");
  auto cluster = merged.clusters.find(out.cluster_name);
  if (cluster == merged.clusters.end()) {
    return MakeError(Where(ctx->second) + ": context \"" + out.context + "\" names cluster \"" +
                     out.cluster_name + "\", which is not defined");
  }
  SKIFF_RETURN_IF_ERROR(FillCluster(cluster->second, out));
  if (!user_name.empty()) {
    auto user = merged.users.find(user_name);
    if (user == merged.users.end()) {
      return MakeError(Where(ctx->second) + ": context \"" + out.context + "\" names user \"" +
                       user_name + "\", which is not defined");
    }
    SKIFF_RETURN_IF_ERROR(FillUser(user->second, options, out));
  }
  std::string ns = Scalar(ctx->second.body, "namespace");
  if (!options.namespace_override.empty()) ns = options.namespace_override;
  if (!ns.empty()) out.ns = ns;
  return out;
}

InClusterOptions InClusterOptionsFromEnvironment() {
  InClusterOptions o;
  o.service_host = Getenv("KUBERNETES_SERVICE_HOST");
  o.service_port = Getenv("KUBERNETES_SERVICE_PORT");
  return o;
}

Result<RestConfig> LoadInClusterConfig(const InClusterOptions& options) {
  if (options.service_host.empty() || options.service_port.empty()) {
    return MakeError("not running in a cluster: KUBERNETES_SERVICE_HOST/PORT are not set");
  }
  RestConfig out;
  bool v6 = options.service_host.find(':') != std::string::npos;
  out.endpoint.server = "https://" + (v6 ? "[" + options.service_host + "]" : options.service_host) +
                        ":" + options.service_port;
  out.token_file = options.root + "/token";
  SKIFF_ASSIGN_OR_RETURN(std::string token, ReadFile(out.token_file));
  if (token.empty()) return MakeError(out.token_file + ": service account token is empty");
  SKIFF_ASSIGN_OR_RETURN(out.endpoint.ca_pem, ReadFile(options.root + "/ca.crt"));
  auto ns = ReadFile(options.root + "/namespace");
  if (ns.ok()) {
    std::string n = *ns;
    while (!n.empty() && (n.back() == '\n' || n.back() == ' ')) n.pop_back();
    if (!n.empty()) out.ns = n;
  }
  out.context = "in-cluster";
  return out;
}

Result<std::string> DecodeBase64(std::string_view text) {
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  size_t padding = 0;
  for (char c : text) {
    int v;
    if (c >= 'A' && c <= 'Z') v = c - 'A';
    else if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
    else if (c >= '0' && c <= '9') v = c - '0' + 52;
    else if (c == '+') v = 62;
    else if (c == '/') v = 63;
    else if (c == '=') { ++padding; continue; }
    else if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
    else return MakeError("invalid base64");
    if (padding != 0) return MakeError("invalid base64: data after padding");
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  if (bits >= 6) return MakeError("invalid base64: truncated");
  return out;
}

}  // namespace skiff::kube
