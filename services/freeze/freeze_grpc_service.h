// FreezeService over gRPC: a thin adapter that authorizes each call, hands it
// to the freeze domain, and converts the result.
//
// In-memory reads (GetFreezeState, CheckAccounts, ListFrozenAccounts) finish
// inline in the reaction. Writes block on a synced RocksDB write, so they run
// on the `writes` executor and fail fast with RESOURCE_EXHAUSTED when it is
// full.
#ifndef SENTINEL_SERVICES_FREEZE_FREEZE_GRPC_SERVICE_H_
#define SENTINEL_SERVICES_FREEZE_FREEZE_GRPC_SERVICE_H_

#include "common/bounded_executor.h"
#include "freeze/freeze_manager.h"
#include "sentinel/v1/freeze.grpc.pb.h"
#include "services/common/call_gate.h"

namespace sentinel::services {

class FreezeGrpcService final : public v1::FreezeService::CallbackService {
 public:
  // All three must outlive the service.
  FreezeGrpcService(freeze::FreezeManager& manager, const CallGate& gate,
                    BoundedExecutor& writes);

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
};

}  // namespace sentinel::services

#endif  // SENTINEL_SERVICES_FREEZE_FREEZE_GRPC_SERVICE_H_
