#include "tests/tls/tls_testing.h"

#include <openssl/x509_vfy.h>
#include <sys/stat.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "gtest/gtest.h"
#include "tls/crl_issuer.h"
#include "tls/revocation_list.h"

namespace sentinel::testing {

std::string ReadFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  EXPECT_TRUE(file.good()) << "cannot read " << path;
  std::stringstream contents;
  contents << file.rdbuf();
  return contents.str();
}

void WriteFile(const std::string& path, absl::string_view contents,
               mode_t mode) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file.write(contents.data(), static_cast<std::streamsize>(contents.size()));
  file.close();
  EXPECT_TRUE(file.good()) << "cannot write " << path;
  EXPECT_EQ(::chmod(path.c_str(), mode), 0) << "cannot chmod " << path;
}

tls::X509Ptr CertificateOf(absl::string_view pem) {
  absl::StatusOr<tls::X509Ptr> certificate = tls::ParseCertificatePem(pem);
  EXPECT_TRUE(certificate.ok()) << certificate.status();
  return certificate.ok() ? *std::move(certificate) : nullptr;
}

int VerifyCertificate(X509* leaf, X509* ca, absl::Time at, int purpose) {
  X509_STORE* store = X509_STORE_new();
  X509_STORE_CTX* context = X509_STORE_CTX_new();
  int result = X509_V_ERR_UNSPECIFIED;
  if (store != nullptr && context != nullptr &&
      X509_STORE_add_cert(store, ca) == 1 &&
      X509_STORE_CTX_init(context, store, leaf, nullptr) == 1) {
    X509_STORE_CTX_set_time(context, 0, absl::ToTimeT(at));
    X509_STORE_CTX_set_purpose(context, purpose);
    result = X509_verify_cert(context) == 1 ? X509_V_OK
                                            : X509_STORE_CTX_get_error(context);
  }
  X509_STORE_CTX_free(context);
  X509_STORE_free(store);
  return result;
}

void ReplaceFile(const std::string& path, absl::string_view contents) {
  const std::string staging = path + ".new";
  WriteFile(staging, contents, 0644);
  EXPECT_EQ(std::rename(staging.c_str(), path.c_str()), 0)
      << "cannot rename " << staging << " to " << path;
}

tls::CertifiedKey MintCa(const std::string& common_name) {
  tls::CertificateSpec spec;
  spec.common_name = common_name;
  spec.usage = tls::CertificateUsage::kCertificateAuthority;
  spec.not_before = absl::Now() - absl::Hours(1);
  spec.not_after = absl::Now() + absl::Hours(24);
  absl::StatusOr<tls::CertifiedKey> ca = tls::IssueCertificate(spec, nullptr);
  EXPECT_TRUE(ca.ok()) << ca.status();
  return ca.ok() ? *std::move(ca) : tls::CertifiedKey();
}

tls::CertifiedKey MintClient(const tls::CertifiedKey& ca,
                             const std::string& uri) {
  tls::CertificateSpec spec;
  spec.common_name = "test client";
  spec.usage = tls::CertificateUsage::kClient;
  spec.uris = {uri};
  spec.not_before = absl::Now() - absl::Hours(1);
  spec.not_after = absl::Now() + absl::Hours(24);
  absl::StatusOr<tls::CertifiedKey> client = tls::IssueCertificate(spec, &ca);
  EXPECT_TRUE(client.ok()) << client.status();
  return client.ok() ? *std::move(client) : tls::CertifiedKey();
}

std::string SerialHexOf(absl::string_view pem) {
  tls::X509Ptr certificate = CertificateOf(pem);
  return certificate != nullptr ? tls::SerialOf(certificate.get()).serial_hex
                                : "";
}

std::string MintCrl(const tls::CertifiedKey& ca,
                    const std::vector<std::string>& serials,
                    absl::Time this_update, absl::Time next_update) {
  tls::CrlSpec spec;
  spec.revoked_serials = serials;
  spec.this_update = this_update;
  spec.next_update = next_update;
  absl::StatusOr<std::string> crl = tls::IssueCrl(spec, ca);
  EXPECT_TRUE(crl.ok()) << crl.status();
  return crl.ok() ? *std::move(crl) : "";
}

}  // namespace sentinel::testing
