#include "services/common/tls_authenticator.h"

#include <memory>
#include <vector>

#include "absl/status/status.h"
#include "grpc/grpc_security_constants.h"
#include "grpcpp/security/auth_context.h"
#include "tls/peer_identity.h"

namespace sentinel::services {

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
  {
    absl::MutexLock lock(&mu_);
    auto it = principals_.find(pem);
    if (it != principals_.end()) return it->second;
  }
  absl::StatusOr<Principal> principal = tls::PrincipalFromCertificatePem(pem);
  if (principal.ok()) {
    absl::MutexLock lock(&mu_);
    if (principals_.size() >= kCachedCertificates) principals_.clear();
    principals_.emplace(std::string(pem), *principal);
  }
  return principal;
}

}  // namespace sentinel::services
