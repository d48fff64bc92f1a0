#include "services/common/tls_authenticator.h"

#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "grpc/grpc_security_constants.h"
#include "grpcpp/security/auth_context.h"
#include "tls/peer_identity.h"
#include "tls/pem.h"

namespace sentinel::services {

TlsAuthenticator::TlsAuthenticator(std::shared_ptr<tls::CrlWatcher> crl)
    : crl_(std::move(crl)) {}

absl::Status TlsAuthenticator::CheckRevocation(
    const tls::CertificateSerial& serial) const {
  if (crl_ == nullptr || !crl_->IsRevoked(serial)) return absl::OkStatus();
  return absl::UnauthenticatedError(absl::StrCat(
      "client certificate serial ", serial.serial_hex, " is revoked"));
}

absl::StatusOr<Principal> TlsAuthenticator::Authenticate(
    const grpc::ServerContextBase& context) const {
  const std::shared_ptr<const grpc::AuthContext> auth = context.auth_context();
  if (auth == nullptr) {
    return absl::UnauthenticatedError("no client certificate");
  }
  // The verified leaf certificate; gRPC sets the property only when the
  // client presented one.
  const std::vector<grpc::string_ref> certificates =
      auth->FindPropertyValues(GRPC_X509_PEM_CERT_PROPERTY_NAME);
  if (certificates.empty()) {
    return absl::UnauthenticatedError("no client certificate");
  }
  const absl::string_view pem(certificates.front().data(),
                              certificates.front().size());
  std::optional<Known> known;
  {
    absl::MutexLock lock(&mu_);
    auto it = known_.find(pem);
    if (it != known_.end()) known = it->second;
  }
  if (known.has_value()) {
    absl::Status revocation = CheckRevocation(known->serial);
    if (!revocation.ok()) return revocation;
    return known->principal;
  }
  tls::CertificateSerial serial;
  if (crl_ != nullptr) {
    absl::StatusOr<tls::X509Ptr> certificate = tls::ParseCertificatePem(pem);
    if (!certificate.ok()) {
      return absl::UnauthenticatedError("client certificate is not PEM");
    }
    serial = tls::SerialOf(certificate->get());
    absl::Status revocation = CheckRevocation(serial);
    if (!revocation.ok()) return revocation;
  }
  absl::StatusOr<Principal> principal = tls::PrincipalFromCertificatePem(pem);
  if (principal.ok()) {
    absl::MutexLock lock(&mu_);
    if (known_.size() >= kCachedCertificates) known_.clear();
    known_.emplace(std::string(pem), Known{*principal, std::move(serial)});
  }
  return principal;
}

}  // namespace sentinel::services
