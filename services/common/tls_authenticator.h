// Authentication by client certificate, for servers using mutual TLS.
#ifndef SENTINEL_SERVICES_COMMON_TLS_AUTHENTICATOR_H_
#define SENTINEL_SERVICES_COMMON_TLS_AUTHENTICATOR_H_

#include <cstddef>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/principal.h"
#include "grpcpp/server_context.h"
#include "services/common/authenticator.h"

namespace sentinel::services {

// The principal is the URI SAN of the client certificate the TLS handshake
// verified (see tls::ServerCredentials), read from the call's AuthContext.
// The x-sentinel-principal header is ignored: with TLS, only the
// certificate names the caller. Thread-safe.
//
// Parsing a certificate costs far more than a small call (OpenSSL 3's PEM
// decoders), and every call on a connection presents the same one, so the
// principals of up to kCachedCertificates certificates are remembered by
// their exact PEM bytes (the handshake has verified each connection's
// certificate before any call; the principal is a function of the bytes).
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

  // Certificates whose principal is remembered; past it the memory starts
  // over.
  static constexpr size_t kCachedCertificates = 4096;

 private:
  mutable absl::Mutex mu_;
  mutable absl::flat_hash_map<std::string, Principal> principals_
      ABSL_GUARDED_BY(mu_);
};

}  // namespace sentinel::services

#endif  // SENTINEL_SERVICES_COMMON_TLS_AUTHENTICATOR_H_
