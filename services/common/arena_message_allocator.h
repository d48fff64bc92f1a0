// Request and response of a unary callback RPC on one protobuf arena per
// call: parsing a request of many strings and building a response of many
// messages then costs a few block allocations instead of one malloc and
// free per field. For the hot batch calls (CheckAccounts).
#ifndef SENTINEL_SERVICES_COMMON_ARENA_MESSAGE_ALLOCATOR_H_
#define SENTINEL_SERVICES_COMMON_ARENA_MESSAGE_ALLOCATOR_H_

#include "google/protobuf/arena.h"
#include "grpcpp/support/message_allocator.h"

namespace sentinel::services {

// Set on a method with the generated SetMessageAllocatorFor_<Method>; must
// outlive the server. Thread-safe (it holds no state).
template <typename Request, typename Response>
class ArenaMessageAllocator final
    : public grpc::MessageAllocator<Request, Response> {
 public:
  grpc::MessageHolder<Request, Response>* AllocateMessages() override {
    return new Holder();
  }

 private:
  // Owns the call's arena; gRPC calls Release once the call is done with
  // both messages.
  class Holder final : public grpc::MessageHolder<Request, Response> {
   public:
    Holder() : arena_(Options()) {
      this->set_request(
          google::protobuf::Arena::CreateMessage<Request>(&arena_));
      this->set_response(
          google::protobuf::Arena::CreateMessage<Response>(&arena_));
    }
    void Release() override { delete this; }

   private:
    static google::protobuf::ArenaOptions Options() {
      google::protobuf::ArenaOptions options;
      // A 1,000-account CheckAccounts takes about 150 KiB.
      options.start_block_size = 4096;
      options.max_block_size = 256 * 1024;
      return options;
    }

    google::protobuf::Arena arena_;
  };
};

}  // namespace sentinel::services

#endif  // SENTINEL_SERVICES_COMMON_ARENA_MESSAGE_ALLOCATOR_H_
