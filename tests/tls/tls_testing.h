// Helpers shared by the TLS tests: files with a given mode, replaced
// atomically, X509_verify_cert against one CA at a chosen time, and CAs,
// client certificates and CRLs minted on the spot.
#ifndef SENTINEL_TESTS_TLS_TLS_TESTING_H_
#define SENTINEL_TESTS_TLS_TLS_TESTING_H_

#include <openssl/x509.h>
#include <sys/types.h>

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "tls/certificate_issuer.h"
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

// Writes `contents` to a sibling of `path` and renames it over `path`, as
// an operator installing a new file should. Fails the test on error.
void ReplaceFile(const std::string& path, absl::string_view contents);

// A self-signed CA named CN=<common_name>, valid from an hour ago for a day.
// Fails the test on error (then empty).
tls::CertifiedKey MintCa(const std::string& common_name);

// A client certificate of `ca` with the URI SAN `uri`, valid from an hour
// ago for a day. Fails the test on error (then empty).
tls::CertifiedKey MintClient(const tls::CertifiedKey& ca,
                             const std::string& uri);

// The serial of the certificate `pem`, hex ("" and a test failure if it
// does not parse).
std::string SerialHexOf(absl::string_view pem);

// A CRL of `ca` revoking `serials`, valid from `this_update` to
// `next_update`. Fails the test on error (then empty).
std::string MintCrl(const tls::CertifiedKey& ca,
                    const std::vector<std::string>& serials,
                    absl::Time this_update, absl::Time next_update);

}  // namespace sentinel::testing

#endif  // SENTINEL_TESTS_TLS_TLS_TESTING_H_
