// How a call's principal is established (see CallGate for the check every
// handler runs first).
#ifndef SENTINEL_SERVICES_COMMON_AUTHENTICATOR_H_
#define SENTINEL_SERVICES_COMMON_AUTHENTICATOR_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/call_headers.h"
#include "common/principal.h"
#include "grpcpp/server_context.h"

namespace sentinel::services {

// Thread-safe.
class Authenticator {
 public:
  virtual ~Authenticator() = default;

  // The caller of this call. kUnauthenticated, saying why, when there is no
  // identity or it is malformed.
  virtual absl::StatusOr<Principal> Authenticate(
      const grpc::ServerContextBase& context) const = 0;
};

// For --insecure servers on loopback: the principal is the
// x-sentinel-principal header, "spiffe://sentinel/role/<role>/user/<name>".
class HeaderAuthenticator final : public Authenticator {
 public:
  absl::StatusOr<Principal> Authenticate(
      const grpc::ServerContextBase& context) const override;
};

}  // namespace sentinel::services

#endif  // SENTINEL_SERVICES_COMMON_AUTHENTICATOR_H_
