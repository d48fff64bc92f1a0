// Authentication by client certificate, for servers using mutual TLS.
#ifndef SENTINEL_SERVICES_COMMON_TLS_AUTHENTICATOR_H_
#define SENTINEL_SERVICES_COMMON_TLS_AUTHENTICATOR_H_

#include <cstddef>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/principal.h"
#include "grpcpp/server_context.h"
#include "services/common/authenticator.h"
#include "tls/crl_watcher.h"
#include "tls/revocation_list.h"

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
//
// With a CRL, every call is also checked against the CRL in force, not only
// each handshake (tls::ServerCredentials with a CrlWatcher): a connection
// opened before its certificate was revoked gets no further call through.
// Calls already running (a watch stream) are not ended.
class TlsAuthenticator final : public Authenticator {
 public:
  // Refuses no certificate for revocation.
  TlsAuthenticator() = default;
  // Refuses calls whose certificate `crl` revokes; `crl` may be null (none).
  explicit TlsAuthenticator(std::shared_ptr<tls::CrlWatcher> crl);

  // OK: the certificate's principal. kUnauthenticated: "no client
  // certificate" (a plaintext call, or a server not requiring client
  // certificates), "client certificate serial <hex> is revoked", or what
  // tls::PrincipalFromCertificatePem finds wrong with the certificate.
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
  // What a certificate's bytes say, parsed once.
  struct Known {
    Principal principal;
    tls::CertificateSerial serial;
  };

  // OK when `serial` is not revoked (or there is no CRL).
  absl::Status CheckRevocation(const tls::CertificateSerial& serial) const;

  const std::shared_ptr<tls::CrlWatcher> crl_;
  mutable absl::Mutex mu_;
  mutable absl::flat_hash_map<std::string, Known> known_ ABSL_GUARDED_BY(mu_);
};

}  // namespace sentinel::services

#endif  // SENTINEL_SERVICES_COMMON_TLS_AUTHENTICATOR_H_
