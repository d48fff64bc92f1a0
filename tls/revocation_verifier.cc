// The peer certificate gRPC hands the verifier, parsed and looked up.
#include "tls/revocation_verifier.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "tls/pem.h"

namespace sentinel::tls {

RevocationVerifier::RevocationVerifier(std::shared_ptr<CrlWatcher> crl)
    : crl_(std::move(crl)) {}

bool RevocationVerifier::Verify(
    grpc::experimental::TlsCustomVerificationCheckRequest* request,
    std::function<void(grpc::Status)> /*callback*/, grpc::Status* sync_status) {
  const grpc::string_ref pem = request->peer_cert();
  if (pem.empty()) {
    *sync_status = grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                                "no client certificate");
    return true;
  }
  absl::StatusOr<X509Ptr> certificate =
      ParseCertificatePem(absl::string_view(pem.data(), pem.size()));
  if (!certificate.ok()) {
    *sync_status = grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                                "client certificate is not PEM");
    return true;
  }
  const CertificateSerial serial = SerialOf(certificate->get());
  if (crl_->IsRevoked(serial)) {
    *sync_status = grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                                absl::StrCat("client certificate serial ",
                                             serial.serial_hex, " is revoked"));
    return true;
  }
  *sync_status = grpc::Status::OK;
  return true;
}

void RevocationVerifier::Cancel(
    grpc::experimental::TlsCustomVerificationCheckRequest* /*request*/) {}

}  // namespace sentinel::tls
