#include "services/common/authenticator.h"

#include "absl/strings/str_cat.h"

namespace sentinel::services {

absl::StatusOr<Principal> HeaderAuthenticator::Authenticate(
    const grpc::ServerContextBase& context) const {
  const auto& metadata = context.client_metadata();
  const auto [first, last] = metadata.equal_range(kPrincipalHeader);
  if (first == last) {
    return absl::UnauthenticatedError(
        absl::StrCat("no identity: send the ", kPrincipalHeader,
                     " header (spiffe://sentinel/role/<role>/user/<name>)"));
  }
  if (std::next(first) != last) {
    return absl::UnauthenticatedError(
        absl::StrCat("more than one ", kPrincipalHeader, " header"));
  }
  absl::StatusOr<Principal> principal = ParsePrincipalUri(
      absl::string_view(first->second.data(), first->second.size()));
  if (!principal.ok()) {
    return absl::UnauthenticatedError(
        absl::StrCat(kPrincipalHeader, ": ", principal.status().message()));
  }
  return principal;
}

}  // namespace sentinel::services
