#include "local/local_server.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "local/api_router.h"
#include "local/atomic_file.h"
#include "local/control_plane.h"
#include "local/fault_injector.h"
#include "local/http_server.h"
#include "local/kubeconfig.h"
#include "local/lifecycle_controller.h"
#include "local/object_writes.h"
#include "local/pki.h"
#include "local/workload_controller.h"
#include "model/node.h"
#include "local/json_codec.h"

namespace skiff::local {
namespace {

// A fresh store gets the namespaces every cluster has.
Status SeedNamespaces(ControlPlane& cp) {
  auto res = cp.Find("", "v1", "namespaces");
  if (!res) return MakeError("catalog has no namespaces");
  std::lock_guard<std::mutex> lock(cp.write_mu());
  for (const char* name : {"default", "kube-system", "kube-public", "kube-node-lease"}) {
    if (cp.store().Get(KeyOf(*res, "", name))) continue;
    Arena arena;
    Node* ns = arena.NewMap();
    ns->Set("apiVersion", arena.NewString("v1"));
    ns->Set("kind", arena.NewString("Namespace"));
    arena.GetOrCreateMap(ns, "metadata")->Set("name", arena.NewString(name));
    auto stored = StoreNew(cp, *res, ns, arena, false);
    if (!stored.ok()) return stored.error();
  }
  return Status::Ok();
}

Result<std::string> ReadText(const std::string& path) {
  std::ifstream in(path);
  if (!in) return MakeError("cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

Status RunLocal(const LocalOptions& options, const std::function<void(int port)>& on_ready) {
  std::error_code ec;
  std::filesystem::create_directories(options.data_dir, ec);
  if (ec) return MakeError("cannot create data directory " + options.data_dir + ": " + ec.message());
  SKIFF_ASSIGN_OR_RETURN(Pki pki, LoadOrCreatePki(options.data_dir));
  SKIFF_ASSIGN_OR_RETURN(std::unique_ptr<ControlPlane> cp, ControlPlane::Open(options.data_dir));
  SKIFF_RETURN_IF_ERROR(SeedNamespaces(*cp));
  FaultInjector faults;
  if (!options.faults_file.empty()) {
    SKIFF_ASSIGN_OR_RETURN(std::string rules, ReadText(options.faults_file));
    Status s = faults.AddRules(rules);
    if (!s.ok()) return s.error().Wrap(options.faults_file);
  }
  ApiRouter router(*cp, faults);
  SKIFF_ASSIGN_OR_RETURN(std::unique_ptr<HttpServer> server, HttpServer::Bind(pki, options.port, router));
  int port = server->port();
  router.set_server_address("127.0.0.1:" + std::to_string(port));
  SKIFF_RETURN_IF_ERROR(WriteFileAtomically(options.data_dir + "/kubeconfig", KubeconfigText(pki, port), 0600));
  LifecycleController lifecycle(*cp);
  lifecycle.Start();
  WorkloadController workloads(*cp, options.rollout_delay);
  workloads.Start();
  if (on_ready) on_ready(port);
  server->Run([&] { cp->store().Shutdown(); });
  workloads.Stop();
  lifecycle.Stop();
  return Status::Ok();
}

}  // namespace skiff::local
