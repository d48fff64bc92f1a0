// Signing certificate revocation lists with OpenSSL 3, for the development
// PKI and tests: a CA's CRL revoking chosen serials, with chosen validity.
// Production CRLs come from the CA's own tooling (deploy/gen-certs.sh
// revoke, or your PKI).
#ifndef SENTINEL_TLS_CRL_ISSUER_H_
#define SENTINEL_TLS_CRL_ISSUER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "tls/pem.h"

namespace sentinel::tls {

struct CrlSpec {
  // Serials of the certificates to revoke, hex as `openssl x509 -serial`
  // or SerialOf (tls/revocation_list.h) print them (either case, leading zeros
  // allowed). May be empty: a CRL that revokes nothing.
  std::vector<std::string> revoked_serials;
  // thisUpdate, and nextUpdate (when a newer CRL is due); also the
  // revocation date of every entry. To the second; an already expired
  // window is allowed.
  absl::Time this_update;
  absl::Time next_update;
  // The cRLNumber extension: increases with each CRL the CA issues.
  long crl_number = 1;
};

// A v2 CRL as `spec` says, issued and signed (SHA-256) by `issuer`, with an
// authorityKeyIdentifier of its key.
//
// OK: the CRL, PEM ("-----BEGIN X509 CRL-----"). Errors:
//   kInvalidArgument  a serial that is not hex, next_update before
//                     this_update, or an `issuer` whose certificate or key
//                     does not parse or match;
//   kInternal         OpenSSL failed (out of memory).
//
// Example:
//   CrlSpec spec;
//   spec.revoked_serials = {SerialOf(stolen.get()).serial_hex};
//   spec.this_update = now;
//   spec.next_update = now + absl::Hours(24 * 30);
//   SENTINEL_ASSIGN_OR_RETURN(std::string crl_pem, IssueCrl(spec, ca));
absl::StatusOr<std::string> IssueCrl(const CrlSpec& spec,
                                     const CertifiedKey& issuer);

}  // namespace sentinel::tls

#endif  // SENTINEL_TLS_CRL_ISSUER_H_
