// Who may call what: the one table of allowed roles for every RPC of every
// Sentinel service. docs/security.md prints the same matrix.
#ifndef SENTINEL_SERVICES_COMMON_AUTHORIZATION_H_
#define SENTINEL_SERVICES_COMMON_AUTHORIZATION_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
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

}  // namespace sentinel::services

#endif  // SENTINEL_SERVICES_COMMON_AUTHORIZATION_H_
