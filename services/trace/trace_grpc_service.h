// TraceService over gRPC: a thin adapter that authorizes each call, hands it
// to the trace domain, and converts the result.
//
// IngestLedger streams store their batches on the `ingest` executor (see
// ledger_ingest.h). Everything else reads RocksDB or makes a synced write
// (every trace is audited), so it runs on the `work` executor and fails
// fast with RESOURCE_EXHAUSTED when that is full.
#ifndef SENTINEL_SERVICES_TRACE_TRACE_GRPC_SERVICE_H_
#define SENTINEL_SERVICES_TRACE_TRACE_GRPC_SERVICE_H_

#include <cstddef>

#include "common/bounded_executor.h"
#include "sentinel/v1/trace.grpc.pb.h"
#include "services/common/call_gate.h"
#include "services/common/stream_slots.h"
#include "trace/candidate_freezes.h"
#include "trace/trace_manager.h"

namespace sentinel::services {

// The executors TraceService runs on.
struct TraceExecutors {
  // Stores IngestLedger batches.
  BoundedExecutor& ingest;
  // Traces, candidate freezes, account kinds.
  BoundedExecutor& work;
};

// IngestLedger streams in progress at once, by default.
inline constexpr size_t kDefaultMaxIngestStreams = 8;

class TraceGrpcService final : public v1::TraceService::CallbackService {
 public:
  // Every reference must outlive the service. At most `max_ingest_streams`
  // IngestLedger streams run at once.
  TraceGrpcService(trace::TraceManager& traces, freeze::AccountFreezer& freezer,
                   const CallGate& gate, TraceExecutors executors,
                   size_t max_ingest_streams = kDefaultMaxIngestStreams);

  grpc::ServerReadReactor<v1::LedgerEvent>* IngestLedger(
      grpc::CallbackServerContext* context,
      v1::IngestSummary* response) override;
  grpc::ServerUnaryReactor* TraceFunds(grpc::CallbackServerContext* context,
                                       const v1::TraceFundsRequest* request,
                                       v1::TraceResult* response) override;
  grpc::ServerUnaryReactor* FreezeTraceCandidates(
      grpc::CallbackServerContext* context,
      const v1::FreezeTraceCandidatesRequest* request,
      v1::FreezeTraceCandidatesResponse* response) override;
  grpc::ServerUnaryReactor* SetAccountKinds(
      grpc::CallbackServerContext* context,
      const v1::SetAccountKindsRequest* request,
      v1::SetAccountKindsResponse* response) override;
  grpc::ServerUnaryReactor* ApproveAccountKinds(
      grpc::CallbackServerContext* context,
      const v1::ApproveAccountKindsRequest* request,
      v1::ApproveAccountKindsResponse* response) override;
  grpc::ServerUnaryReactor* ListInfrastructureAccounts(
      grpc::CallbackServerContext* context,
      const v1::ListInfrastructureAccountsRequest* request,
      v1::ListInfrastructureAccountsResponse* response) override;

 private:
  trace::TraceManager& traces_;
  freeze::AccountFreezer& freezer_;
  const CallGate& gate_;
  TraceExecutors executors_;
  StreamSlots ingest_streams_;
};

}  // namespace sentinel::services

#endif  // SENTINEL_SERVICES_TRACE_TRACE_GRPC_SERVICE_H_
