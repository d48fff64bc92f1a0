// Authentication by client certificate, for servers using mutual TLS.
#ifndef SENTINEL_SERVICES_COMMON_TLS_AUTHENTICATOR_H_
#define SENTINEL_SERVICES_COMMON_TLS_AUTHENTICATOR_H_

#include "absl/status/statusor.h"
#include "common/principal.h"
#include "grpcpp/server_context.h"
#include "services/common/authenticator.h"

namespace sentinel::services {

// The principal is the URI SAN of the client certificate the TLS handshake
// verified (see tls::ServerCredentials), read from the call's AuthContext.
// The x-sentinel-principal header is ignored: with TLS, only the
// certificate names the caller. Stateless and thread-safe.
class TlsAuthenticator final : public Authenticator {
 public:
  // OK: the certificate's principal. kUnauthenticated: "no client
  // certificate" (a plaintext call, or a server not requiring client
  // certificates), or what tls::PrincipalFromCertificatePem finds wrong with
  // the certificate.
  //
  // Example:
  //   TlsAuthenticator authenticator;
  //   SENTINEL_ASSIGN_OR_RETURN(Principal caller,
  //                             authenticator.Authenticate(*context));
  absl::StatusOr<Principal> Authenticate(
      const grpc::ServerContextBase& context) const override;
};

}  // namespace sentinel::services

#endif  // SENTINEL_SERVICES_COMMON_TLS_AUTHENTICATOR_H_
