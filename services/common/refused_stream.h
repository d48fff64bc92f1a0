// Streaming reactors that end the call at once with an error, for streams
// refused before they start (authentication, validation, load).
#ifndef SENTINEL_SERVICES_COMMON_REFUSED_STREAM_H_
#define SENTINEL_SERVICES_COMMON_REFUSED_STREAM_H_

#include "absl/status/status.h"
#include "grpcpp/support/server_callback.h"
#include "services/common/grpc_status.h"

namespace sentinel::services {

template <typename Message>
class RefusedWriteReactor final : public grpc::ServerWriteReactor<Message> {
 public:
  // Deletes itself when gRPC is done with it.
  static grpc::ServerWriteReactor<Message>* Create(const grpc::Status& status) {
    return new RefusedWriteReactor(status);
  }
  static grpc::ServerWriteReactor<Message>* Create(const absl::Status& status) {
    return Create(ToGrpcStatus(status));
  }

  void OnDone() override { delete this; }

 private:
  explicit RefusedWriteReactor(const grpc::Status& status) {
    this->Finish(status);
  }
};

template <typename Message>
class RefusedReadReactor final : public grpc::ServerReadReactor<Message> {
 public:
  // Deletes itself when gRPC is done with it.
  static grpc::ServerReadReactor<Message>* Create(const grpc::Status& status) {
    return new RefusedReadReactor(status);
  }
  static grpc::ServerReadReactor<Message>* Create(const absl::Status& status) {
    return Create(ToGrpcStatus(status));
  }

  void OnDone() override { delete this; }

 private:
  explicit RefusedReadReactor(const grpc::Status& status) {
    this->Finish(status);
  }
};

}  // namespace sentinel::services

#endif  // SENTINEL_SERVICES_COMMON_REFUSED_STREAM_H_
