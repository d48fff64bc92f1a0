// How the client library reaches a Sentinel server: the address, the
// channel credentials (mutual TLS in production), and extra call metadata,
// plus the one conversion of grpc::Status into absl::Status the library
// uses.
#ifndef SENTINEL_CLIENT_SERVER_CONNECTION_H_
#define SENTINEL_CLIENT_SERVER_CONNECTION_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/status.h"

namespace sentinel::client {

struct ServerConnection {
  // "host:port" of the server, e.g. "sentinel.internal:7443".
  std::string address;
  // Usually mutual TLS: tls::ChannelCredentials() with the client's
  // certificate, or tls::DevelopmentChannelCredentials() for the development
  // PKI of a server started without TLS flags. Required.
  std::shared_ptr<grpc::ChannelCredentials> credentials;
  // Metadata added to every call. For a plain-text server on loopback
  // (--insecure) this carries the caller's identity:
  // {"x-sentinel-principal", "spiffe://sentinel/role/internal/user/engine"}.
  std::vector<std::pair<std::string, std::string>> metadata;
};

// OK when `connection` has an address and credentials; otherwise
// kInvalidArgument naming the missing field.
absl::Status ValidateConnection(const ServerConnection& connection);

// A channel to `connection.address` whose own reconnection backoff stays
// within [min_backoff, max_backoff], so that a restarted server is reached
// again as quickly as the caller's retry policy asks.
std::shared_ptr<grpc::Channel> OpenChannel(const ServerConnection& connection,
                                           absl::Duration min_backoff,
                                           absl::Duration max_backoff);

// Adds the connection's metadata to `context`.
void PrepareContext(const ServerConnection& connection,
                    grpc::ClientContext* context);

// The same code and message as an absl::Status.
absl::Status FromGrpcStatus(const grpc::Status& status);

}  // namespace sentinel::client

#endif  // SENTINEL_CLIENT_SERVER_CONNECTION_H_
