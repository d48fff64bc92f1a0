// Who may call what: the one table of allowed roles for every RPC of every
// Sentinel service, and the one table of the services that may act for a
// person. docs/security.md prints both.
#ifndef SENTINEL_SERVICES_COMMON_AUTHORIZATION_H_
#define SENTINEL_SERVICES_COMMON_AUTHORIZATION_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "common/principal.h"
#include "sentinel/v1/common.pb.h"

namespace sentinel::services {

// One row of the matrix.
struct MethodPolicy {
  // Full gRPC method name, e.g. "/sentinel.v1.FreezeService/FreezeAccount".
  absl::string_view method;
  std::vector<v1::Role> allowed_roles;
};

// Every row, in service and method order. Methods absent from the table are
// denied to everyone.
const std::vector<MethodPolicy>& AuthorizationTable();

// Whether `role` may call `method`. Unknown methods: false.
bool IsAllowed(absl::string_view method, v1::Role role);

// The Sentinel services that may carry a person's call with the
// x-sentinel-on-behalf-of header ("intake", "trace", "console"), in order.
const std::vector<absl::string_view>& DelegatingServices();

// Whether `caller` is a Sentinel service in DelegatingServices().
bool MayActOnBehalf(const Principal& caller);

}  // namespace sentinel::services

#endif  // SENTINEL_SERVICES_COMMON_AUTHORIZATION_H_
