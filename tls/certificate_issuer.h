// Minting X.509 certificates with OpenSSL 3: CAs, server and client
// certificates with chosen names, SANs and validity. The development PKI is
// built with it, and tests use it for certificates no real PKI would issue
// (expired, from another CA, with no or several URI SANs).
#ifndef SENTINEL_TLS_CERTIFICATE_ISSUER_H_
#define SENTINEL_TLS_CERTIFICATE_ISSUER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "tls/pem.h"

namespace sentinel::tls {

// What a certificate's key may be used for.
enum class CertificateUsage {
  // basicConstraints CA:TRUE and keyUsage keyCertSign, cRLSign (both
  // critical).
  kCertificateAuthority,
  // basicConstraints CA:FALSE, keyUsage digitalSignature (both critical),
  // extendedKeyUsage serverAuth.
  kServer,
  // basicConstraints CA:FALSE, keyUsage digitalSignature (both critical),
  // extendedKeyUsage clientAuth.
  kClient,
};

struct CertificateSpec {
  // The subject is CN=<common_name>; must not be empty.
  std::string common_name;
  CertificateUsage usage = CertificateUsage::kClient;
  // subjectAltName entries, in this order: URIs, DNS names, IP addresses
  // ("127.0.0.1", "::1"). The URIs are stored as given, unchecked. No
  // subjectAltName extension when all three are empty.
  std::vector<std::string> uris;
  std::vector<std::string> dns_names;
  std::vector<std::string> ip_addresses;
  // Validity, to the second. An already expired window is allowed.
  absl::Time not_before;
  absl::Time not_after;
};

// A new ECDSA P-256 key and a certificate for it as `spec` says, with a
// random 128-bit serial, subjectKeyIdentifier and, when issued by a CA,
// authorityKeyIdentifier, signed with ECDSA-SHA256 by `issuer`'s key, or by
// its own key when `issuer` is null (self-signed: the issuer name is the
// subject's).
//
// OK: the certificate and its key, PEM. Errors:
//   kInvalidArgument  an empty common name, not_after before not_before, an
//                     IP address that does not parse, or an `issuer` whose
//                     certificate or key does not parse or whose key does not
//                     match its certificate;
//   kInternal         OpenSSL failed (out of memory, no randomness).
//
// Example:
//   CertificateSpec spec;
//   spec.common_name = "Sentinel development CA";
//   spec.usage = CertificateUsage::kCertificateAuthority;
//   spec.not_before = now - absl::Minutes(5);
//   spec.not_after = now + absl::Hours(24 * 3650);
//   SENTINEL_ASSIGN_OR_RETURN(CertifiedKey ca, IssueCertificate(spec,
//   nullptr));
absl::StatusOr<CertifiedKey> IssueCertificate(const CertificateSpec& spec,
                                              const CertifiedKey* issuer);

}  // namespace sentinel::tls

#endif  // SENTINEL_TLS_CERTIFICATE_ISSUER_H_
