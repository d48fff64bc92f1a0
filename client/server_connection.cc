#include "client/server_connection.h"

#include <algorithm>
#include <cstdint>

#include "grpcpp/create_channel.h"
#include "grpcpp/support/channel_arguments.h"

namespace sentinel::client {
namespace {

int Milliseconds(absl::Duration duration) {
  return static_cast<int>(std::clamp<int64_t>(
      absl::ToInt64Milliseconds(duration), 1, 24 * 3600 * 1000));
}

}  // namespace

absl::Status ValidateConnection(const ServerConnection& connection) {
  if (connection.address.empty()) {
    return absl::InvalidArgumentError("address: required (host:port)");
  }
  if (connection.credentials == nullptr) {
    return absl::InvalidArgumentError(
        "credentials: required (e.g. tls::ChannelCredentials)");
  }
  return absl::OkStatus();
}

std::shared_ptr<grpc::Channel> OpenChannel(const ServerConnection& connection,
                                           absl::Duration min_backoff,
                                           absl::Duration max_backoff) {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, Milliseconds(min_backoff));
  args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, Milliseconds(min_backoff));
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, Milliseconds(max_backoff));
  // Its own connections: a fresh channel must not inherit a stuck one.
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  return grpc::CreateCustomChannel(connection.address, connection.credentials,
                                   args);
}

void PrepareContext(const ServerConnection& connection,
                    grpc::ClientContext* context) {
  for (const auto& [key, value] : connection.metadata) {
    context->AddMetadata(key, value);
  }
}

absl::Status FromGrpcStatus(const grpc::Status& status) {
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                      status.error_message());
}

}  // namespace sentinel::client
