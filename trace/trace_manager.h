// The trace domain's entry point for the service: ledger ingest, fund
// tracing and infrastructure marks, each validated and audited with the
// caller.
#ifndef SENTINEL_TRACE_TRACE_MANAGER_H_
#define SENTINEL_TRACE_TRACE_MANAGER_H_

#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "common/clock.h"
#include "common/principal.h"
#include "sentinel/v1/trace.pb.h"
#include "trace/ledger_store.h"
#include "trace/trace_limits.h"

namespace sentinel::trace {

// Thread-safe (the store serializes ingests; traces run on snapshots;
// changes of account kinds are serialized here).
class TraceManager final {
 public:
  // `store` and `clock` must outlive the manager. Events may be at most
  // `max_event_future_skew` after the clock.
  TraceManager(
      LedgerStore& store, const Clock& clock,
      absl::Duration max_event_future_skew = kDefaultMaxEventFutureSkew);

  // Stores one batch of an IngestLedger stream (see LedgerStore::Ingest),
  // with an audit entry naming `caller` and the batch's summary when
  // anything is stored. Feed the outcomes to AddToSummary. Errors are
  // storage errors; nothing of the batch was stored then.
  //
  // Example:
  //   SENTINEL_ASSIGN_OR_RETURN(auto outcomes, manager.Ingest(caller, batch));
  //   AddToSummary(batch, outcomes, stream_position, summary);
  absl::StatusOr<std::vector<IngestOutcome>> Ingest(
      const Principal& caller, absl::Span<const v1::LedgerEvent> events);

  // Checks `request` (ResolveTraceRequest) and traces it on a snapshot of
  // the ledger. Every checked trace is an audit entry ("TraceService.
  // TraceFunds", subject: the account and incident, parameters: the
  // request, outcome: the trace's status), durable before this returns;
  // when it cannot be recorded the result is withheld and this returns
  // kUnavailable. kInvalidArgument for a malformed request; storage errors.
  absl::StatusOr<v1::TraceResult> TraceFunds(
      const Principal& caller, const v1::TraceFundsRequest& request);

  // Proposes marks as infrastructure, or marks accounts back as USER,
  // stamping set_by (the caller) and set_at (the clock), durably with an
  // audit entry naming every account whose `after` is the response. A mark
  // as infrastructure is stored as pending (see ApproveAccountKinds); a
  // mark as USER takes effect at once and withdraws any pending proposal.
  // Notes are redacted for secrets (redaction/secret_redactor.h) before
  // they are stored or audited. kInvalidArgument naming the field: 0 or
  // more than kMaxAccountKindEntries entries, an account_id that is not an
  // identifier or repeats, kind unset or unknown, a note longer than
  // kMaxAccountKindNoteBytes or with control characters.
  absl::StatusOr<v1::SetAccountKindsResponse> SetAccountKinds(
      const Principal& caller, const v1::SetAccountKindsRequest& request);

  // Puts pending marks as infrastructure in effect, stamping approved_by and
  // approved_at, durably with an audit entry naming every account; all or
  // nothing. kInvalidArgument naming the field: 0 or more than
  // kMaxAccountKindEntries accounts, one that is not an identifier or
  // repeats; kNotFound naming the account when it has no pending mark;
  // kPermissionDenied when the caller is not a security principal or is the
  // person who proposed one of them.
  absl::StatusOr<v1::ApproveAccountKindsResponse> ApproveAccountKinds(
      const Principal& caller, const v1::ApproveAccountKindsRequest& request);

  // One page of the accounts marked as infrastructure (or of the pending
  // proposals), in account order. kInvalidArgument naming the field: kind
  // USER or unknown, page_size outside 0..kMaxInfrastructurePageSize, a
  // page_token not made by a previous page.
  absl::StatusOr<v1::ListInfrastructureAccountsResponse>
  ListInfrastructureAccounts(
      const v1::ListInfrastructureAccountsRequest& request) const;

 private:
  LedgerStore& store_;
  const Clock& clock_;
  const absl::Duration max_event_future_skew_;
  // Orders changes of account kinds, so that an approval never puts in
  // effect a proposal withdrawn while it was checked.
  absl::Mutex kinds_mu_;
};

}  // namespace sentinel::trace

#endif  // SENTINEL_TRACE_TRACE_MANAGER_H_
