#include "tests/tls/tls_testing.h"

#include <openssl/x509_vfy.h>
#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "gtest/gtest.h"

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

}  // namespace sentinel::testing
