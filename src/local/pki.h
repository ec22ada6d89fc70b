// The local control plane's own certificate authority and the three
// certificates it issues: the server's (127.0.0.1 and localhost), and the
// client certificate of user "admin" in group system:masters that the written
// kubeconfig presents.
#pragma once

#include <string>

#include "base/result.h"

namespace skiff::local {

// PEM texts. Invariant: server and client certificates are signed by `ca_cert`.
struct Pki {
  std::string ca_cert;
  std::string ca_key;
  std::string server_cert;
  std::string server_key;
  std::string client_cert;
  std::string client_key;
};

// Generates a fresh CA and the certificates it signs (EC P-256, 10 years).
Result<Pki> GeneratePki();

// Reads the PKI from `dir` if all files are there, else generates one and
// writes it there (keys with mode 0600), so a restart keeps the kubeconfig
// valid.
Result<Pki> LoadOrCreatePki(const std::string& dir);

}  // namespace skiff::local
