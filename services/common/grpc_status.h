// The one place where absl::Status becomes grpc::Status.
#ifndef SENTINEL_SERVICES_COMMON_GRPC_STATUS_H_
#define SENTINEL_SERVICES_COMMON_GRPC_STATUS_H_

#include "absl/status/status.h"
#include "grpcpp/support/status.h"

namespace sentinel::services {

// Keeps the code. Messages of client-facing codes (kInvalidArgument,
// kNotFound, kPermissionDenied, ...) pass through, truncated to 1024 bytes;
// kInternal, kDataLoss and kUnknown carry a generic message instead, since
// their text describes server internals (it is logged to stderr).
grpc::Status ToGrpcStatus(const absl::Status& status);

}  // namespace sentinel::services

#endif  // SENTINEL_SERVICES_COMMON_GRPC_STATUS_H_
