// Finishing unary callback RPCs: inline for in-memory answers, on a bounded
// executor for work that blocks (synced writes).
#ifndef SENTINEL_SERVICES_COMMON_UNARY_CALL_H_
#define SENTINEL_SERVICES_COMMON_UNARY_CALL_H_

#include <functional>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/bounded_executor.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/server_callback.h"
#include "services/common/grpc_status.h"

namespace sentinel::services {

// Finishes the call with `status`, converted by ToGrpcStatus.
grpc::ServerUnaryReactor* FinishUnary(grpc::CallbackServerContext* context,
                                      const absl::Status& status);
// Finishes the call with `status` as it is (an OverloadedStatus, say).
grpc::ServerUnaryReactor* FinishUnary(grpc::CallbackServerContext* context,
                                      const grpc::Status& status);

// Moves `result`'s value, if any, into `*response` and returns its status:
// the last step of a handler's work.
template <typename Response>
absl::Status Deliver(absl::StatusOr<Response> result, Response* response) {
  if (result.ok()) *response = *std::move(result);
  return result.status();
}

// Delivers `result` into `*response` and finishes the call.
template <typename Response>
grpc::ServerUnaryReactor* FinishUnary(grpc::CallbackServerContext* context,
                                      absl::StatusOr<Response> result,
                                      Response* response) {
  return FinishUnary(context, Deliver(std::move(result), response));
}

// How long a caller refused for load is told to wait before retrying.
inline constexpr absl::Duration kRetryAfterOverload = absl::Milliseconds(100);

// A RESOURCE_EXHAUSTED status carrying a google.rpc.RetryInfo detail that
// asks the caller to wait `retry_after`.
grpc::Status OverloadedStatus(const std::string& message,
                              absl::Duration retry_after);

// The OverloadedStatus of a call refused because `executor`'s queue is full.
grpc::Status QueueFullStatus(const BoundedExecutor& executor);

// Why a call taken from a queue should not run any more: kCancelled when the
// caller cancelled it, kDeadlineExceeded when its deadline has passed; OK
// when it is still wanted.
absl::Status AbandonedCall(const grpc::CallbackServerContext& context);

// Runs `work` on `executor` and finishes the call with its status. When the
// executor's queue is full the call fails at once with RESOURCE_EXHAUSTED
// and a retry hint (OverloadedStatus);
// when the call's deadline has passed or it was cancelled by the time a
// worker takes it, it fails with kDeadlineExceeded / kCancelled and `work`
// never runs (so nothing is written for a caller who gave up).
grpc::ServerUnaryReactor* FinishOnExecutor(BoundedExecutor& executor,
                                           grpc::CallbackServerContext* context,
                                           std::function<absl::Status()> work);

}  // namespace sentinel::services

#endif  // SENTINEL_SERVICES_COMMON_UNARY_CALL_H_
