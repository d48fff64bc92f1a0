// PEM encoding and decoding of X.509 certificates and private keys, the
// owning pointers for the OpenSSL objects involved, and CertifiedKey, the
// pair of a certificate and its private key.
//
// Nothing here logs or puts key material into a status message.
#ifndef SENTINEL_TLS_PEM_H_
#define SENTINEL_TLS_PEM_H_

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace sentinel::tls {

struct X509Deleter {
  void operator()(X509* certificate) const { X509_free(certificate); }
};
using X509Ptr = std::unique_ptr<X509, X509Deleter>;

struct PkeyDeleter {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyDeleter>;

// A PEM certificate (or chain, leaf first) and the PEM private key of its
// first certificate. Move-only, so that one object owns the key text; it is
// wiped with OPENSSL_cleanse when the object is destroyed or assigned to.
struct CertifiedKey {
  CertifiedKey() = default;
  CertifiedKey(std::string certificate_pem, std::string private_key_pem);
  ~CertifiedKey();
  CertifiedKey(CertifiedKey&& other) = default;
  CertifiedKey& operator=(CertifiedKey&& other);
  CertifiedKey(const CertifiedKey&) = delete;
  CertifiedKey& operator=(const CertifiedKey&) = delete;

  std::string certificate_pem;
  // Unencrypted PKCS#8 PEM. Secret: never log it.
  std::string private_key_pem;
};

// The first certificate in `pem`.
//
// OK: the certificate. kInvalidArgument ("not a PEM certificate") when `pem`
// holds none.
//
// Example:
//   SENTINEL_ASSIGN_OR_RETURN(X509Ptr certificate, ParseCertificatePem(pem));
absl::StatusOr<X509Ptr> ParseCertificatePem(absl::string_view pem);

// The unencrypted private key in `pem`. Never prompts for a password.
//
// OK: the key. kInvalidArgument ("not an unencrypted PEM private key") when
// `pem` holds none; the message never quotes `pem`.
//
// Example:
//   SENTINEL_ASSIGN_OR_RETURN(PkeyPtr key, ParsePrivateKeyPem(pem));
absl::StatusOr<PkeyPtr> ParsePrivateKeyPem(absl::string_view pem);

// A CertifiedKey as OpenSSL objects.
struct ParsedCertifiedKey {
  // The first certificate of the chain.
  X509Ptr certificate;
  PkeyPtr key;
};

// The parsed certificate and key of `pair`, checked to belong together.
//
// OK: both, the key matching the first certificate's public key.
// kInvalidArgument: "not a PEM certificate", "not an unencrypted PEM private
// key", or "the private key does not match the certificate".
//
// Example:
//   SENTINEL_ASSIGN_OR_RETURN(ParsedCertifiedKey ca, ParseCertifiedKey(pair));
absl::StatusOr<ParsedCertifiedKey> ParseCertifiedKey(const CertifiedKey& pair);

// PEM text of `certificate`.
//
// OK: the text. kInternal only if OpenSSL fails (out of memory).
//
// Example:
//   SENTINEL_ASSIGN_OR_RETURN(std::string pem, CertificateToPem(cert.get()));
absl::StatusOr<std::string> CertificateToPem(X509* certificate);

// Unencrypted PKCS#8 PEM text of `key`. Secret: the caller owns its wiping
// (e.g. by moving it into a CertifiedKey).
//
// OK: the text. kInternal only if OpenSSL fails (out of memory).
//
// Example:
//   SENTINEL_ASSIGN_OR_RETURN(std::string pem, PrivateKeyToPem(key.get()));
absl::StatusOr<std::string> PrivateKeyToPem(EVP_PKEY* key);

}  // namespace sentinel::tls

#endif  // SENTINEL_TLS_PEM_H_
