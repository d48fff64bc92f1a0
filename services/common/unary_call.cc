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

grpc::ServerUnaryReactor* FinishOnExecutor(BoundedExecutor& executor,
                                           grpc::CallbackServerContext* context,
                                           std::function<absl::Status()> work) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  const bool scheduled =
      executor.TrySchedule([reactor, context, work = std::move(work)] {
        if (context->IsCancelled()) {
          reactor->Finish(grpc::Status(grpc::StatusCode::CANCELLED,
                                       "call cancelled before it ran"));
          return;
        }
        if (context->deadline() < std::chrono::system_clock::now()) {
          reactor->Finish(grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED,
                                       "deadline passed before the call ran"));
          return;
        }
        reactor->Finish(ToGrpcStatus(work()));
      });
  if (!scheduled) {
    reactor->Finish(OverloadedStatus(
        absl::StrCat(executor.name(), " queue is full; retry with backoff"),
        kRetryAfterOverload));
  }
  return reactor;
}

}  // namespace sentinel::services
