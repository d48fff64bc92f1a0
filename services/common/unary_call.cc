#include "services/common/unary_call.h"

#include <chrono>
#include <utility>

#include "absl/strings/str_cat.h"

namespace sentinel::services {

grpc::ServerUnaryReactor* FinishUnary(grpc::CallbackServerContext* context,
                                      const absl::Status& status) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(ToGrpcStatus(status));
  return reactor;
}

grpc::ServerUnaryReactor* FinishOnExecutor(
    BoundedExecutor& executor, grpc::CallbackServerContext* context,
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
    reactor->Finish(ToGrpcStatus(absl::ResourceExhaustedError(absl::StrCat(
        executor.name(), " queue is full; retry with backoff"))));
  }
  return reactor;
}

}  // namespace sentinel::services
