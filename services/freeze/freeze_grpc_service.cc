#include "services/freeze/freeze_grpc_service.h"

#include <limits>
#include <memory>

#include "absl/strings/str_cat.h"
#include "common/time_util.h"
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
constexpr char kRejectUnfreezeRequest[] =
    "/sentinel.v1.FreezeService/RejectUnfreezeRequest";
constexpr char kCancelUnfreezeRequest[] =
    "/sentinel.v1.FreezeService/CancelUnfreezeRequest";
constexpr char kListUnfreezeRequests[] =
    "/sentinel.v1.FreezeService/ListUnfreezeRequests";
constexpr char kGetFreezeState[] = "/sentinel.v1.FreezeService/GetFreezeState";
constexpr char kCheckAccounts[] = "/sentinel.v1.FreezeService/CheckAccounts";
constexpr char kWatchFreezes[] = "/sentinel.v1.FreezeService/WatchFreezes";
constexpr char kListFrozenAccounts[] =
    "/sentinel.v1.FreezeService/ListFrozenAccounts";

// The request's heartbeat interval (zero when unset), or INVALID_ARGUMENT
// naming the field.
absl::StatusOr<absl::Duration> HeartbeatInterval(
    const v1::WatchFreezesRequest& request) {
  if (!request.has_heartbeat_interval()) return absl::ZeroDuration();
  const google::protobuf::Duration& proto = request.heartbeat_interval();
  const bool valid = proto.nanos() > -1000000000 &&
                     proto.nanos() < 1000000000 &&
                     !(proto.seconds() > 0 && proto.nanos() < 0) &&
                     !(proto.seconds() < 0 && proto.nanos() > 0);
  if (!valid) {
    return absl::InvalidArgumentError(
        "heartbeat_interval: not a valid duration");
  }
  const absl::Duration interval = FromProtoDuration(proto);
  if (interval == absl::ZeroDuration()) return interval;
  if (interval < FreezeGrpcService::kMinHeartbeatInterval ||
      interval > FreezeGrpcService::kMaxHeartbeatInterval) {
    return absl::InvalidArgumentError(absl::StrCat(
        "heartbeat_interval: must be 0 (no heartbeats) or between ",
        absl::FormatDuration(FreezeGrpcService::kMinHeartbeatInterval), " and ",
        absl::FormatDuration(FreezeGrpcService::kMaxHeartbeatInterval),
        ", got ", absl::FormatDuration(interval)));
  }
  return interval;
}

}  // namespace

FreezeGrpcService::FreezeGrpcService(freeze::FreezeManager& manager,
                                     const CallGate& gate,
                                     BoundedExecutor& writes,
                                     const Clock& clock)
    : manager_(manager),
      gate_(gate),
      writes_(writes),
      clock_(clock),
      watchers_(std::numeric_limits<size_t>::max(), kMaxWatchStreamsPerPerson) {
  SetMessageAllocatorFor_CheckAccounts(&check_accounts_allocator_);
}

grpc::ServerUnaryReactor* FreezeGrpcService::FreezeAccount(
    grpc::CallbackServerContext* context,
    const v1::FreezeAccountRequest* request, v1::FreezeRecord* response) {
  absl::StatusOr<Principal> caller = gate_.Admit(*context, kFreezeAccount);
  if (!caller.ok()) return FinishUnary(context, caller.status());
  return FinishOnExecutor(writes_, context, [=, this, caller = *caller] {
    return gate_.Outcome(
        caller, kFreezeAccount,
        Deliver(manager_.FreezeAccount(caller, *request), response));
  });
}

grpc::ServerUnaryReactor* FreezeGrpcService::RequestUnfreeze(
    grpc::CallbackServerContext* context,
    const v1::RequestUnfreezeRequest* request, v1::UnfreezeRequest* response) {
  absl::StatusOr<Principal> caller = gate_.Admit(*context, kRequestUnfreeze);
  if (!caller.ok()) return FinishUnary(context, caller.status());
  return FinishOnExecutor(writes_, context, [=, this, caller = *caller] {
    return gate_.Outcome(
        caller, kRequestUnfreeze,
        Deliver(manager_.RequestUnfreeze(caller, *request), response));
  });
}

grpc::ServerUnaryReactor* FreezeGrpcService::ApproveUnfreeze(
    grpc::CallbackServerContext* context,
    const v1::ApproveUnfreezeRequest* request, v1::FreezeRecord* response) {
  absl::StatusOr<Principal> caller = gate_.Admit(*context, kApproveUnfreeze);
  if (!caller.ok()) return FinishUnary(context, caller.status());
  return FinishOnExecutor(writes_, context, [=, this, caller = *caller] {
    return gate_.Outcome(
        caller, kApproveUnfreeze,
        Deliver(manager_.ApproveUnfreeze(caller, *request), response));
  });
}

grpc::ServerUnaryReactor* FreezeGrpcService::RejectUnfreezeRequest(
    grpc::CallbackServerContext* context,
    const v1::RejectUnfreezeRequestRequest* request,
    v1::UnfreezeRequest* response) {
  absl::StatusOr<Principal> caller =
      gate_.Admit(*context, kRejectUnfreezeRequest);
  if (!caller.ok()) return FinishUnary(context, caller.status());
  return FinishOnExecutor(writes_, context, [=, this, caller = *caller] {
    return gate_.Outcome(
        caller, kRejectUnfreezeRequest,
        Deliver(manager_.RejectUnfreeze(caller, *request), response));
  });
}

grpc::ServerUnaryReactor* FreezeGrpcService::CancelUnfreezeRequest(
    grpc::CallbackServerContext* context,
    const v1::CancelUnfreezeRequestRequest* request,
    v1::UnfreezeRequest* response) {
  absl::StatusOr<Principal> caller =
      gate_.Admit(*context, kCancelUnfreezeRequest);
  if (!caller.ok()) return FinishUnary(context, caller.status());
  return FinishOnExecutor(writes_, context, [=, this, caller = *caller] {
    return gate_.Outcome(
        caller, kCancelUnfreezeRequest,
        Deliver(manager_.CancelUnfreeze(caller, *request), response));
  });
}

grpc::ServerUnaryReactor* FreezeGrpcService::ListUnfreezeRequests(
    grpc::CallbackServerContext* context,
    const v1::ListUnfreezeRequestsRequest* request,
    v1::ListUnfreezeRequestsResponse* response) {
  absl::StatusOr<Principal> caller =
      gate_.Admit(*context, kListUnfreezeRequests);
  if (!caller.ok()) return FinishUnary(context, caller.status());
  return FinishOnExecutor(writes_, context, [=, this] {
    return Deliver(manager_.ListUnfreezeRequests(*request), response);
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
  return FinishUnary(context, manager_.CheckAccountsInto(*request, response));
}

grpc::ServerWriteReactor<v1::FreezeEvent>* FreezeGrpcService::WatchFreezes(
    grpc::CallbackServerContext* context,
    const v1::WatchFreezesRequest* request) {
  absl::StatusOr<Principal> caller = gate_.Admit(*context, kWatchFreezes);
  if (!caller.ok()) {
    return RefusedWriteReactor<v1::FreezeEvent>::Create(caller.status());
  }
  absl::StatusOr<absl::Duration> interval = HeartbeatInterval(*request);
  if (!interval.ok()) {
    return RefusedWriteReactor<v1::FreezeEvent>::Create(interval.status());
  }
  std::shared_ptr<const void> share = watchers_.TakeShared(*caller);
  if (share == nullptr) {
    return RefusedWriteReactor<v1::FreezeEvent>::Create(
        TooManyWatchStreams(*caller));
  }
  FeedWriteReactor<v1::FreezeEvent>::Heartbeat heartbeat;
  heartbeat.interval = *interval;
  heartbeat.make = [this](uint64_t version) {
    v1::FreezeEvent event;
    event.set_version(version);
    event.set_kind(v1::FREEZE_EVENT_KIND_HEARTBEAT);
    *event.mutable_time() = ToProtoTime(clock_.Now());
    return event;
  };
  auto* reactor = new FeedWriteReactor<v1::FreezeEvent>(
      manager_.Subscribe(request->from_version()),
      ResyncEventOfKind<v1::FreezeEvent>(v1::FREEZE_EVENT_KIND_RESYNC_REQUIRED),
      "from_version", std::move(heartbeat));
  reactor->HoldUntilDone(std::move(share));
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
