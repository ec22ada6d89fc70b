#include "local/pki.h"

#include <openssl/bio.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

namespace skiff::local {
namespace {

using KeyPtr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using CertPtr = std::unique_ptr<X509, decltype(&X509_free)>;

KeyPtr NewKey() { return KeyPtr(EVP_EC_gen("P-256"), &EVP_PKEY_free); }

std::string ToPem(EVP_PKEY* key) {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  std::string pem(data, static_cast<size_t>(n));
  BIO_free(bio);
  return pem;
}

std::string ToPem(X509* cert) {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(bio, cert);
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  std::string pem(data, static_cast<size_t>(n));
  BIO_free(bio);
  return pem;
}

void AddExtension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  if (ext != nullptr) {
    X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
  }
}

struct Subject {
  const char* common_name;
  const char* organization;  // nullptr for none
};

// Issues a certificate for `key`; self-signed when `issuer` is null.
Result<CertPtr> Issue(EVP_PKEY* key, const Subject& subject, X509* issuer, EVP_PKEY* issuer_key) {
  CertPtr cert(X509_new(), &X509_free);
  X509_set_version(cert.get(), 2);
  unsigned char serial[16];
  RAND_bytes(serial, sizeof serial);
  serial[0] &= 0x7f;
  BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
  BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get()));
  BN_free(bn);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 10L * 365 * 24 * 3600);
  X509_set_pubkey(cert.get(), key);
  X509_NAME* name = X509_get_subject_name(cert.get());
  if (subject.organization != nullptr) {
    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>(subject.organization), -1, -1, 0);
  }
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(subject.common_name), -1, -1, 0);
  X509* signer = issuer != nullptr ? issuer : cert.get();
  X509_set_issuer_name(cert.get(), X509_get_subject_name(signer));
  return cert;
}

Status Sign(X509* cert, EVP_PKEY* key) {
  if (X509_sign(cert, key, EVP_sha256()) == 0) return MakeError("signing a certificate failed");
  return Status::Ok();
}

Result<std::string> ReadFile(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return MakeError("cannot read " + p.string());
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Status WriteFile(const std::filesystem::path& p, const std::string& text, mode_t mode) {
  std::filesystem::path tmp = p;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return MakeError("cannot write " + tmp.string());
    out << text;
    if (!out) return MakeError("cannot write " + tmp.string());
  }
  ::chmod(tmp.c_str(), mode);
  std::error_code ec;
  std::filesystem::rename(tmp, p, ec);
  if (ec) return MakeError("cannot rename " + tmp.string() + ": " + ec.message());
  return Status::Ok();
}

}  // namespace

Result<Pki> GeneratePki() {
  KeyPtr ca_key = NewKey(), server_key = NewKey(), client_key = NewKey();
  if (!ca_key || !server_key || !client_key) return MakeError("EC key generation failed");

  SKIFF_ASSIGN_OR_RETURN(CertPtr ca, Issue(ca_key.get(), {"skiff-local-ca", nullptr}, nullptr, nullptr));
  AddExtension(ca.get(), ca.get(), NID_basic_constraints, "critical,CA:TRUE");
  AddExtension(ca.get(), ca.get(), NID_key_usage, "critical,keyCertSign,cRLSign,digitalSignature");
  AddExtension(ca.get(), ca.get(), NID_subject_key_identifier, "hash");
  SKIFF_RETURN_IF_ERROR(Sign(ca.get(), ca_key.get()));

  SKIFF_ASSIGN_OR_RETURN(CertPtr server,
                         Issue(server_key.get(), {"skiff-local", nullptr}, ca.get(), ca_key.get()));
  AddExtension(server.get(), ca.get(), NID_basic_constraints, "critical,CA:FALSE");
  AddExtension(server.get(), ca.get(), NID_key_usage, "critical,digitalSignature,keyEncipherment");
  AddExtension(server.get(), ca.get(), NID_ext_key_usage, "serverAuth");
  AddExtension(server.get(), ca.get(), NID_subject_alt_name,
               "IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default");
  SKIFF_RETURN_IF_ERROR(Sign(server.get(), ca_key.get()));

  SKIFF_ASSIGN_OR_RETURN(CertPtr client,
                         Issue(client_key.get(), {"admin", "system:masters"}, ca.get(), ca_key.get()));
  AddExtension(client.get(), ca.get(), NID_basic_constraints, "critical,CA:FALSE");
  AddExtension(client.get(), ca.get(), NID_key_usage, "critical,digitalSignature,keyEncipherment");
  AddExtension(client.get(), ca.get(), NID_ext_key_usage, "clientAuth");
  SKIFF_RETURN_IF_ERROR(Sign(client.get(), ca_key.get()));

  Pki pki;
  pki.ca_cert = ToPem(ca.get());
  pki.ca_key = ToPem(ca_key.get());
  pki.server_cert = ToPem(server.get());
  pki.server_key = ToPem(server_key.get());
  pki.client_cert = ToPem(client.get());
  pki.client_key = ToPem(client_key.get());
  return pki;
}

Result<Pki> LoadOrCreatePki(const std::string& dir) {
  namespace fs = std::filesystem;
  fs::path base = fs::path(dir) / "pki";
  struct FileField {
    const char* name;
    std::string Pki::*field;
    mode_t mode;
  };
  const FileField files[] = {
      {"ca.crt", &Pki::ca_cert, 0644},         {"ca.key", &Pki::ca_key, 0600},
      {"server.crt", &Pki::server_cert, 0644}, {"server.key", &Pki::server_key, 0600},
      {"admin.crt", &Pki::client_cert, 0644},  {"admin.key", &Pki::client_key, 0600},
  };
  bool complete = true;
  for (const FileField& f : files) complete = complete && fs::exists(base / f.name);
  Pki pki;
  if (complete) {
    for (const FileField& f : files) {
      SKIFF_ASSIGN_OR_RETURN(pki.*f.field, ReadFile(base / f.name));
    }
    return pki;
  }
  SKIFF_ASSIGN_OR_RETURN(pki, GeneratePki());
  std::error_code ec;
  fs::create_directories(base, ec);
  if (ec) return MakeError("cannot create " + base.string() + ": " + ec.message());
  ::chmod(base.c_str(), 0700);
  for (const FileField& f : files) SKIFF_RETURN_IF_ERROR(WriteFile(base / f.name, pki.*f.field, f.mode));
  return pki;
}

}  // namespace skiff::local
