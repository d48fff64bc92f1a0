// The caller's identity in a client certificate: its one URI SAN,
// spiffe://sentinel/role/<role>/user/<name>.
#ifndef SENTINEL_TLS_PEER_IDENTITY_H_
#define SENTINEL_TLS_PEER_IDENTITY_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/principal.h"

namespace sentinel::tls {

// The principal named by the client certificate `pem` (as gRPC reports it,
// already verified against the client CA by the TLS handshake; this does not
// verify it). Other SAN types (DNS, IP, email) are ignored.
//
// OK: the principal of the certificate's only URI SAN. kUnauthenticated,
// saying what is wrong: "client certificate is not PEM", "client
// certificate has no URI SAN", "client certificate has 2 URI SANs",
// "client certificate has more than one subjectAltName extension", or
// "client certificate URI SAN \"<uri>\": <why ParsePrincipalUri refuses
// it>".
//
// Example:
//   SENTINEL_ASSIGN_OR_RETURN(Principal caller,
//                             PrincipalFromCertificatePem(pem));
absl::StatusOr<Principal> PrincipalFromCertificatePem(absl::string_view pem);

}  // namespace sentinel::tls

#endif  // SENTINEL_TLS_PEER_IDENTITY_H_
