// The client certificates a server refuses although they chain to its client
// CA: the serials listed by certificate revocation lists (CRLs, RFC 5280)
// that the client CA signed, parsed from PEM and verified with OpenSSL 3.
#ifndef SENTINEL_TLS_REVOCATION_LIST_H_
#define SENTINEL_TLS_REVOCATION_LIST_H_

#include <openssl/x509.h>

#include <cstddef>
#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace sentinel::tls {

// What a CRL names a certificate by: its issuer's name and its serial.
struct CertificateSerial {
  // The issuer name, DER, as the certificate carries it. Issuers copy their
  // subject into what they sign, so a certificate's issuer and its CA's CRL
  // issuer are the same bytes.
  std::string issuer_der;
  // The serial, upper-case hex in whole bytes without leading zero bytes
  // ("0A", "1A2B"), as OpenSSL's BN_bn2hex prints it.
  std::string serial_hex;
};

// The issuer and serial of `certificate`. Empty fields only if OpenSSL fails
// (out of memory); such a serial matches nothing.
CertificateSerial SerialOf(const X509* certificate);

// The revoked serials of a set of verified CRLs. Immutable and thread-safe;
// the default one revokes nothing.
class RevocationList final {
 public:
  RevocationList() = default;

  // Whether a CRL in this list, issued by the certificate's issuer, lists
  // its serial.
  bool IsRevoked(const CertificateSerial& certificate) const;
  bool IsRevoked(const X509* certificate) const {
    return IsRevoked(SerialOf(certificate));
  }

  // Revoked certificates across all CRLs.
  size_t size() const { return size_; }
  // The earliest nextUpdate of its CRLs: when a newer list is due.
  // InfiniteFuture when none has one (and for the empty list).
  absl::Time next_update() const { return next_update_; }

 private:
  friend absl::StatusOr<RevocationList> ParseRevocationList(
      absl::string_view crl_pem, absl::string_view client_ca_pem,
      absl::Time now);

  // issuer_der + '\0' + serial_hex of each revoked certificate.
  absl::flat_hash_set<std::string> revoked_;
  size_t size_ = 0;
  absl::Time next_update_ = absl::InfiniteFuture();
};

// The CRLs in `crl_pem` (one or more PEM "X509 CRL" blocks), each checked
// against the CA certificates in `client_ca_pem` (the server's client CA
// bundle): its issuer is one of those CAs (by name), that CA may sign CRLs
// (no keyUsage extension, or one with cRLSign), its signature verifies with
// that CA's key (X509_CRL_verify), and its nextUpdate, if any, is not before
// `now`. Certificates of a CA without a CRL here are not revoked.
//
// OK: every revoked serial of every CRL. kInvalidArgument, saying which CRL
// (1-based, in file order) and why:
//   "no PEM CRL", "CRL 3 does not parse" (e.g. cut short), "3 PEM blocks
//   of which 2 are CRLs; a CRL file holds CRLs only",
//   "CRL 2 (issuer CN=Other CA): not issued by a client CA",
//   "CRL 1 (issuer CN=Sentinel CA): the signature does not verify against
//    the client CA",
//   "CRL 1 (issuer CN=Sentinel CA): the client CA may not sign CRLs (its
//    keyUsage lacks cRLSign)",
//   "CRL 1 (issuer CN=Sentinel CA): expired: nextUpdate
//    2024-01-01T00:00:00+00:00 is in the past",
//   "no PEM CA certificate" for `client_ca_pem`.
// kInternal only if OpenSSL fails (out of memory).
//
// Example:
//   SENTINEL_ASSIGN_OR_RETURN(
//       RevocationList revoked,
//       ParseRevocationList(crl_pem, client_ca_pem, clock.Now()));
//   if (revoked.IsRevoked(peer_certificate)) return Refuse();
absl::StatusOr<RevocationList> ParseRevocationList(
    absl::string_view crl_pem, absl::string_view client_ca_pem, absl::Time now);

}  // namespace sentinel::tls

#endif  // SENTINEL_TLS_REVOCATION_LIST_H_
