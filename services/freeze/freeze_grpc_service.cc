#include "services/freeze/freeze_grpc_service.h"

#include "services/common/feed_write_reactor.h"
#include "services/common/refused_stream.h"
#include "services/common/unary_call.h"

namespace sentinel::services {
namespace {

constexpr char kFreezeAccount[] = "/sentinel.v1.FreezeService/FreezeAccount";
constexpr char kRequestUnfreeze[] =
    "/sentinel.v1.FreezeService/RequestUnfreeze";
constexpr char kApproveUnfreeze[] =
    "/sentinel.v1.FreezeService/ApproveUnfreeze";
constexpr char kGetFreezeState[] = "/sentinel.v1.FreezeService/GetFreezeState";
constexpr char kCheckAccounts[] = "/sentinel.v1.FreezeService/CheckAccounts";
constexpr char kWatchFreezes[] = "/sentinel.v1.FreezeService/WatchFreezes";
constexpr char kListFrozenAccounts[] =
    "/sentinel.v1.FreezeService/ListFrozenAccounts";

}  // namespace

FreezeGrpcService::FreezeGrpcService(freeze::FreezeManager& manager,
                                     const CallGate& gate,
                                     BoundedExecutor& writes)
    : manager_(manager), gate_(gate), writes_(writes) {}

grpc::ServerUnaryReactor* FreezeGrpcService::FreezeAccount(
    grpc::CallbackServerContext* context,
    const v1::FreezeAccountRequest* request, v1::FreezeRecord* response) {
  absl::StatusOr<Principal> caller = gate_.Admit(*context, kFreezeAccount);
  if (!caller.ok()) return FinishUnary(context, caller.status());
  return FinishOnExecutor(writes_, context, [=, this, caller = *caller] {
    return Deliver(manager_.FreezeAccount(caller, *request), response);
  });
}

grpc::ServerUnaryReactor* FreezeGrpcService::RequestUnfreeze(
    grpc::CallbackServerContext* context,
    const v1::RequestUnfreezeRequest* request, v1::UnfreezeRequest* response) {
  absl::StatusOr<Principal> caller = gate_.Admit(*context, kRequestUnfreeze);
  if (!caller.ok()) return FinishUnary(context, caller.status());
  return FinishOnExecutor(writes_, context, [=, this, caller = *caller] {
    return Deliver(manager_.RequestUnfreeze(caller, *request), response);
  });
}

grpc::ServerUnaryReactor* FreezeGrpcService::ApproveUnfreeze(
    grpc::CallbackServerContext* context,
    const v1::ApproveUnfreezeRequest* request, v1::FreezeRecord* response) {
  absl::StatusOr<Principal> caller = gate_.Admit(*context, kApproveUnfreeze);
  if (!caller.ok()) return FinishUnary(context, caller.status());
  return FinishOnExecutor(writes_, context, [=, this, caller = *caller] {
    return Deliver(manager_.ApproveUnfreeze(caller, *request), response);
  });
}

grpc::ServerUnaryReactor* FreezeGrpcService::GetFreezeState(
    grpc::CallbackServerContext* context,
    const v1::GetFreezeStateRequest* request,
    v1::AccountFreezeState* response) {
  absl::StatusOr<Principal> caller = gate_.Admit(*context, kGetFreezeState);
  if (!caller.ok()) return FinishUnary(context, caller.status());
  return FinishUnary(context, manager_.GetFreezeState(*request), response);
}

grpc::ServerUnaryReactor* FreezeGrpcService::CheckAccounts(
    grpc::CallbackServerContext* context,
    const v1::CheckAccountsRequest* request,
    v1::CheckAccountsResponse* response) {
  absl::StatusOr<Principal> caller = gate_.Admit(*context, kCheckAccounts);
  if (!caller.ok()) return FinishUnary(context, caller.status());
  return FinishUnary(context, manager_.CheckAccounts(*request), response);
}

grpc::ServerWriteReactor<v1::FreezeEvent>* FreezeGrpcService::WatchFreezes(
    grpc::CallbackServerContext* context,
    const v1::WatchFreezesRequest* request) {
  absl::StatusOr<Principal> caller = gate_.Admit(*context, kWatchFreezes);
  if (!caller.ok()) {
    return RefusedWriteReactor<v1::FreezeEvent>::Create(caller.status());
  }
  auto* reactor = new FeedWriteReactor<v1::FreezeEvent>(
      manager_.Subscribe(request->from_version()),
      ResyncEventOfKind<v1::FreezeEvent>(v1::FREEZE_EVENT_KIND_RESYNC_REQUIRED),
      "from_version");
  reactor->starter().Start();
  return reactor;
}

grpc::ServerUnaryReactor* FreezeGrpcService::ListFrozenAccounts(
    grpc::CallbackServerContext* context,
    const v1::ListFrozenAccountsRequest* request,
    v1::ListFrozenAccountsResponse* response) {
  absl::StatusOr<Principal> caller = gate_.Admit(*context, kListFrozenAccounts);
  if (!caller.ok()) return FinishUnary(context, caller.status());
  return FinishUnary(context, manager_.ListFrozenAccounts(*request), response);
}

}  // namespace sentinel::services
