#include "services/common/grpc_status.h"

#include <cstdio>
#include <string>

namespace sentinel::services {
namespace {

constexpr size_t kMaxMessageBytes = 1024;

bool IsInternal(absl::StatusCode code) {
  return code == absl::StatusCode::kInternal ||
         code == absl::StatusCode::kDataLoss ||
         code == absl::StatusCode::kUnknown;
}

}  // namespace

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  const auto code = static_cast<grpc::StatusCode>(status.code());
  if (IsInternal(status.code())) {
    std::fprintf(stderr, "internal error: %s\n", status.ToString().c_str());
    return grpc::Status(code, "internal error; see the server log");
  }
  std::string message(status.message());
  if (message.size() > kMaxMessageBytes) {
    message.resize(kMaxMessageBytes);
    message += "...";
  }
  return grpc::Status(code, message);
}

}  // namespace sentinel::services
