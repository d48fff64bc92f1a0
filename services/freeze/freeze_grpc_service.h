// FreezeService over gRPC: a thin adapter that authorizes each call, hands it
// to the freeze domain, and converts the result.
//
// In-memory reads (GetFreezeState, CheckAccounts, ListFrozenAccounts) finish
// inline in the reaction; ListUnfreezeRequests reads the store, on the
// `writes` executor; CheckAccounts parses and answers on a per-call
// arena. Writes block on a synced RocksDB write, so they run
// on the `writes` executor and fail fast with RESOURCE_EXHAUSTED when it is
// full.
//
// WatchFreezes streams are pumped by FeedWriteReactor; with a
// heartbeat_interval they carry FREEZE_EVENT_KIND_HEARTBEAT events timed by
// a per-stream gRPC alarm (no thread of the service's own). Closing the
// manager's feed ends every stream, which is what servers do at shutdown
// before waiting for calls.
#ifndef SENTINEL_SERVICES_FREEZE_FREEZE_GRPC_SERVICE_H_
#define SENTINEL_SERVICES_FREEZE_FREEZE_GRPC_SERVICE_H_

#include "absl/time/time.h"
#include "common/bounded_executor.h"
#include "common/clock.h"
#include "freeze/freeze_manager.h"
#include "sentinel/v1/freeze.grpc.pb.h"
#include "services/common/arena_message_allocator.h"
#include "services/common/call_gate.h"
#include "services/common/stream_slots.h"

namespace sentinel::services {

class FreezeGrpcService final : public v1::FreezeService::CallbackService {
 public:
  // Bounds of WatchFreezesRequest.heartbeat_interval (0 disables).
  static constexpr absl::Duration kMinHeartbeatInterval =
      absl::Milliseconds(100);
  static constexpr absl::Duration kMaxHeartbeatInterval = absl::Seconds(60);

  // All four must outlive the service. `clock` stamps heartbeat events.
  FreezeGrpcService(freeze::FreezeManager& manager, const CallGate& gate,
                    BoundedExecutor& writes,
                    const Clock& clock = SystemClock());

  grpc::ServerUnaryReactor* FreezeAccount(
      grpc::CallbackServerContext* context,
      const v1::FreezeAccountRequest* request,
      v1::FreezeRecord* response) override;
  grpc::ServerUnaryReactor* RequestUnfreeze(
      grpc::CallbackServerContext* context,
      const v1::RequestUnfreezeRequest* request,
      v1::UnfreezeRequest* response) override;
  grpc::ServerUnaryReactor* ApproveUnfreeze(
      grpc::CallbackServerContext* context,
      const v1::ApproveUnfreezeRequest* request,
      v1::FreezeRecord* response) override;
  grpc::ServerUnaryReactor* RejectUnfreezeRequest(
      grpc::CallbackServerContext* context,
      const v1::RejectUnfreezeRequestRequest* request,
      v1::UnfreezeRequest* response) override;
  grpc::ServerUnaryReactor* CancelUnfreezeRequest(
      grpc::CallbackServerContext* context,
      const v1::CancelUnfreezeRequestRequest* request,
      v1::UnfreezeRequest* response) override;
  grpc::ServerUnaryReactor* ListUnfreezeRequests(
      grpc::CallbackServerContext* context,
      const v1::ListUnfreezeRequestsRequest* request,
      v1::ListUnfreezeRequestsResponse* response) override;
  grpc::ServerUnaryReactor* GetFreezeState(
      grpc::CallbackServerContext* context,
      const v1::GetFreezeStateRequest* request,
      v1::AccountFreezeState* response) override;
  grpc::ServerUnaryReactor* CheckAccounts(
      grpc::CallbackServerContext* context,
      const v1::CheckAccountsRequest* request,
      v1::CheckAccountsResponse* response) override;
  grpc::ServerWriteReactor<v1::FreezeEvent>* WatchFreezes(
      grpc::CallbackServerContext* context,
      const v1::WatchFreezesRequest* request) override;
  grpc::ServerUnaryReactor* ListFrozenAccounts(
      grpc::CallbackServerContext* context,
      const v1::ListFrozenAccountsRequest* request,
      v1::ListFrozenAccountsResponse* response) override;

 private:
  freeze::FreezeManager& manager_;
  const CallGate& gate_;
  BoundedExecutor& writes_;
  const Clock& clock_;
  // WatchFreezes streams, each person's share (kMaxWatchStreamsPerPerson).
  StreamSlots watchers_;
  ArenaMessageAllocator<v1::CheckAccountsRequest, v1::CheckAccountsResponse>
      check_accounts_allocator_;
};

}  // namespace sentinel::services

#endif  // SENTINEL_SERVICES_FREEZE_FREEZE_GRPC_SERVICE_H_
