#include "services/trace/trace_grpc_service.h"

#include "services/common/unary_call.h"
#include "services/trace/ledger_ingest.h"

namespace sentinel::services {
namespace {

constexpr char kIngestLedger[] = "/sentinel.v1.TraceService/IngestLedger";
constexpr char kTraceFunds[] = "/sentinel.v1.TraceService/TraceFunds";
constexpr char kFreezeTraceCandidates[] =
    "/sentinel.v1.TraceService/FreezeTraceCandidates";
constexpr char kSetAccountKinds[] = "/sentinel.v1.TraceService/SetAccountKinds";
constexpr char kApproveAccountKinds[] =
    "/sentinel.v1.TraceService/ApproveAccountKinds";
constexpr char kListInfrastructureAccounts[] =
    "/sentinel.v1.TraceService/ListInfrastructureAccounts";

}  // namespace

TraceGrpcService::TraceGrpcService(trace::TraceManager& traces,
                                   freeze::AccountFreezer& freezer,
                                   const CallGate& gate,
                                   TraceExecutors executors,
                                   size_t max_ingest_streams)
    : traces_(traces),
      freezer_(freezer),
      gate_(gate),
      executors_(executors),
      // The ledger feed is one system: it may use every slot.
      ingest_streams_(max_ingest_streams, max_ingest_streams) {}

grpc::ServerReadReactor<v1::LedgerEvent>* TraceGrpcService::IngestLedger(
    grpc::CallbackServerContext* context, v1::IngestSummary* response) {
  return LedgerIngestReactor::Start(
      context, gate_.Admit(*context, kIngestLedger), traces_, executors_.ingest,
      ingest_streams_, response);
}

grpc::ServerUnaryReactor* TraceGrpcService::TraceFunds(
    grpc::CallbackServerContext* context, const v1::TraceFundsRequest* request,
    v1::TraceResult* response) {
  absl::StatusOr<Principal> caller = gate_.Admit(*context, kTraceFunds);
  if (!caller.ok()) return FinishUnary(context, caller.status());
  return FinishOnExecutor(
      executors_.work, context, [=, this, caller = *caller] {
        return Deliver(traces_.TraceFunds(caller, *request), response);
      });
}

grpc::ServerUnaryReactor* TraceGrpcService::FreezeTraceCandidates(
    grpc::CallbackServerContext* context,
    const v1::FreezeTraceCandidatesRequest* request,
    v1::FreezeTraceCandidatesResponse* response) {
  absl::StatusOr<Principal> caller =
      gate_.Admit(*context, kFreezeTraceCandidates);
  if (!caller.ok()) return FinishUnary(context, caller.status());
  return FinishOnExecutor(
      executors_.work, context, [=, this, caller = *caller] {
        return gate_.Outcome(caller, kFreezeTraceCandidates,
                             Deliver(trace::FreezeTraceCandidates(
                                         traces_, freezer_, caller, *request),
                                     response));
      });
}

grpc::ServerUnaryReactor* TraceGrpcService::SetAccountKinds(
    grpc::CallbackServerContext* context,
    const v1::SetAccountKindsRequest* request,
    v1::SetAccountKindsResponse* response) {
  absl::StatusOr<Principal> caller = gate_.Admit(*context, kSetAccountKinds);
  if (!caller.ok()) return FinishUnary(context, caller.status());
  return FinishOnExecutor(
      executors_.work, context, [=, this, caller = *caller] {
        return gate_.Outcome(
            caller, kSetAccountKinds,
            Deliver(traces_.SetAccountKinds(caller, *request), response));
      });
}

grpc::ServerUnaryReactor* TraceGrpcService::ApproveAccountKinds(
    grpc::CallbackServerContext* context,
    const v1::ApproveAccountKindsRequest* request,
    v1::ApproveAccountKindsResponse* response) {
  absl::StatusOr<Principal> caller =
      gate_.Admit(*context, kApproveAccountKinds);
  if (!caller.ok()) return FinishUnary(context, caller.status());
  return FinishOnExecutor(
      executors_.work, context, [=, this, caller = *caller] {
        return gate_.Outcome(
            caller, kApproveAccountKinds,
            Deliver(traces_.ApproveAccountKinds(caller, *request), response));
      });
}

grpc::ServerUnaryReactor* TraceGrpcService::ListInfrastructureAccounts(
    grpc::CallbackServerContext* context,
    const v1::ListInfrastructureAccountsRequest* request,
    v1::ListInfrastructureAccountsResponse* response) {
  absl::StatusOr<Principal> caller =
      gate_.Admit(*context, kListInfrastructureAccounts);
  if (!caller.ok()) return FinishUnary(context, caller.status());
  return FinishOnExecutor(executors_.work, context, [=, this] {
    return Deliver(traces_.ListInfrastructureAccounts(*request), response);
  });
}

}  // namespace sentinel::services
