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
  return tls::PrincipalFromCertificatePem(absl::string_view(
      certificates.front().data(), certificates.front().size()));
}

}  // namespace sentinel::services
