// Helpers shared by the TLS tests: files with a given mode, and
// X509_verify_cert against one CA at a chosen time.
#ifndef SENTINEL_TESTS_TLS_TLS_TESTING_H_
#define SENTINEL_TESTS_TLS_TLS_TESTING_H_

#include <openssl/x509.h>
#include <sys/types.h>

#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "tls/pem.h"

namespace sentinel::testing {

// The whole file; empty (and a test failure) if it cannot be read.
std::string ReadFile(const std::string& path);

// Creates or truncates `path` with `contents`, then sets `mode`. Fails the
// test on error.
void WriteFile(const std::string& path, absl::string_view contents,
               mode_t mode);

// The certificate in `pem`; null (and a test failure) if it does not parse.
tls::X509Ptr CertificateOf(absl::string_view pem);

// X509_verify_cert of `leaf` against `ca` as the only trust anchor, at time
// `at`, for `purpose` (X509_PURPOSE_SSL_SERVER or X509_PURPOSE_SSL_CLIENT,
// which checks the extended key usage). X509_V_OK on success, otherwise
// OpenSSL's verification error (e.g. X509_V_ERR_CERT_HAS_EXPIRED).
int VerifyCertificate(X509* leaf, X509* ca, absl::Time at, int purpose);

}  // namespace sentinel::testing

#endif  // SENTINEL_TESTS_TLS_TLS_TESTING_H_
