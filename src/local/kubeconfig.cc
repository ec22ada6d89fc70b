#include "local/kubeconfig.h"

#include <openssl/evp.h>

#include <string_view>

namespace skiff::local {
namespace {

std::string Base64(std::string_view in) {
  std::string out(4 * ((in.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(in.data()), static_cast<int>(in.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

}  // namespace

std::string KubeconfigText(const Pki& pki, int port) {
  std::string s;
  s += "apiVersion: v1\n";
  s += "kind: Config\n";
  s += "clusters:\n";
  s += "- name: skiff-local\n";
  s += "  cluster:\n";
  s += "    server: https://127.0.0.1:" + std::to_string(port) + "\n";
  s += "    certificate-authority-data: " + Base64(pki.ca_cert) + "\n";
  s += "users:\n";
  s += "- name: admin\n";
  s += "  user:\n";
  s += "    client-certificate-data: " + Base64(pki.client_cert) + "\n";
  s += "    client-key-data: " + Base64(pki.client_key) + "\n";
  s += "contexts:\n";
  s += "- name: skiff-local\n";
  s += "  context:\n";
  s += "    cluster: skiff-local\n";
  s += "    user: admin\n";
  s += "    namespace: default\n";
  s += "current-context: skiff-local\n";
  return s;
}

}  // namespace skiff::local
