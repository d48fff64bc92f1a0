#include "services/common/unary_call.h"

#include <chrono>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/time_util.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace sentinel::services {

grpc::ServerUnaryReactor* FinishUnary(grpc::CallbackServerContext* context,
                                      const absl::Status& status) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(ToGrpcStatus(status));
  return reactor;
}

grpc::ServerUnaryReactor* FinishUnary(grpc::CallbackServerContext* context,
                                      const grpc::Status& status) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(status);
  return reactor;
}

grpc::Status OverloadedStatus(const std::string& message,
                              absl::Duration retry_after) {
  google::rpc::RetryInfo retry;
  *retry.mutable_retry_delay() = ToProtoDuration(retry_after);
  google::rpc::Status details;
  details.set_code(static_cast<int32_t>(grpc::StatusCode::RESOURCE_EXHAUSTED));
  details.set_message(message);
  details.add_details()->PackFrom(retry);
  return grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, message,
                      details.SerializeAsString());
}

grpc::Status QueueFullStatus(const BoundedExecutor& executor) {
  return OverloadedStatus(
      absl::StrCat(executor.name(), " queue is full; retry with backoff"),
      kRetryAfterOverload);
}

absl::Status AbandonedCall(const grpc::CallbackServerContext& context) {
  if (context.IsCancelled()) {
    return absl::CancelledError("call cancelled before it ran");
  }
  if (context.deadline() < std::chrono::system_clock::now()) {
    return absl::DeadlineExceededError("deadline passed before the call ran");
  }
  return absl::OkStatus();
}

grpc::ServerUnaryReactor* FinishOnExecutor(BoundedExecutor& executor,
                                           grpc::CallbackServerContext* context,
                                           std::function<absl::Status()> work) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  const bool scheduled =
      executor.TrySchedule([reactor, context, work = std::move(work)] {
        absl::Status abandoned = AbandonedCall(*context);
        reactor->Finish(ToGrpcStatus(abandoned.ok() ? work() : abandoned));
      });
  if (!scheduled) reactor->Finish(QueueFullStatus(executor));
  return reactor;
}

}  // namespace sentinel::services
