// The TLS handshake's revocation check: a gRPC certificate verifier that
// refuses a client certificate the CRL in force lists.
#ifndef SENTINEL_TLS_REVOCATION_VERIFIER_H_
#define SENTINEL_TLS_REVOCATION_VERIFIER_H_

#include <functional>
#include <memory>

#include "grpcpp/security/tls_certificate_verifier.h"
#include "tls/crl_watcher.h"

namespace sentinel::tls {

// Runs after gRPC has verified the client's chain against the client CA
// (so it sees only certificates of that CA), synchronously on the
// handshake's thread: a revoked certificate, or none, fails the handshake,
// and the client sees UNAVAILABLE. Thread-safe.
//
// Example:
//   options.set_certificate_verifier(
//       grpc::experimental::ExternalCertificateVerifier::Create<
//           RevocationVerifier>(crl));
class RevocationVerifier final
    : public grpc::experimental::ExternalCertificateVerifier {
 public:
  explicit RevocationVerifier(std::shared_ptr<CrlWatcher> crl);

  // Sets `*sync_status` to OK, or UNAUTHENTICATED ("client certificate
  // serial <hex> is revoked", "no client certificate", "client certificate
  // is not PEM"); always returns true (done synchronously).
  bool Verify(grpc::experimental::TlsCustomVerificationCheckRequest* request,
              std::function<void(grpc::Status)> callback,
              grpc::Status* sync_status) override;
  // Nothing to cancel: Verify never goes asynchronous.
  void Cancel(
      grpc::experimental::TlsCustomVerificationCheckRequest* request) override;

 private:
  const std::shared_ptr<CrlWatcher> crl_;
};

}  // namespace sentinel::tls

#endif  // SENTINEL_TLS_REVOCATION_VERIFIER_H_
