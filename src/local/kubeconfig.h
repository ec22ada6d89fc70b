// The kubeconfig `skiff local` writes so kubectl (and skiff's own client)
// can reach it: one cluster, one user authenticating with the admin client
// certificate, one current context, all data inline.
#pragma once

#include <string>

#include "local/pki.h"

namespace skiff::local {

// Kubeconfig YAML for https://127.0.0.1:`port`.
std::string KubeconfigText(const Pki& pki, int port);

}  // namespace skiff::local
