// The storage contract of the trace domain: the exchange's ledger, laid out
// for tracing, and the accounts marked as exchange infrastructure.
//
// Reads go through a LedgerView: a consistent snapshot, so that a trace sees
// one state of the ledger however long it runs and whatever is ingested
// meanwhile. Every change is committed atomically with its audit entry,
// durably (WAL synced), before the call returns.
#ifndef SENTINEL_TRACE_LEDGER_STORE_H_
#define SENTINEL_TRACE_LEDGER_STORE_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "sentinel/v1/audit.pb.h"
#include "sentinel/v1/trace.pb.h"
#include "trace/event_chunk.h"
#include "trace/ledger_position.h"

namespace sentinel::trace {

// What became of one event of an Ingest batch.
struct IngestOutcome {
  enum class Disposition {
    // Stored by this call.
    kAccepted,
    // Its event_id was already stored, or accepted earlier in the batch,
    // with the same content; not stored again.
    kDuplicate,
    // Refused; nothing of it was stored. `reason` names the field.
    kRejected,
  };
  Disposition disposition = Disposition::kAccepted;
  std::string reason;
};

// Makes the audit entry committed with an ingest batch from the batch's
// summary (positions counted from the batch's first event). An error aborts
// the batch, storing nothing.
using IngestAuditEntry =
    std::function<absl::StatusOr<v1::AuditEntry>(const v1::IngestSummary&)>;

// An asset and an amount of it.
struct AssetBalance {
  std::string asset;
  int64_t balance = 0;
};

// A consistent, read-only snapshot of the ledger. Errors are storage
// failures (kInternal, kDataLoss for a stored value that does not parse).
// Thread-safe; a trace uses one view, and nothing gains from sharing it.
class LedgerView {
 public:
  virtual ~LedgerView() = default;

  // Up to `limit` events in which `account` takes part (as sender, receiver
  // or trade counterparty), at positions in [from, to), in ledger order.
  // Cost: one seek, then `limit` sequential reads.
  virtual absl::StatusOr<std::vector<v1::LedgerEvent>> AccountEvents(
      absl::string_view account, const LedgerPosition& from,
      const LedgerPosition& to, size_t limit) const = 0;

  // The same events as AccountEvents, as views into `chunk`, which they
  // replace, with the account's balances just after the first of them: what
  // a trace reads, without an allocation per event. On error the chunk's
  // contents are unspecified.
  virtual absl::Status ReadAccountEvents(absl::string_view account,
                                         const LedgerPosition& from,
                                         const LedgerPosition& to, size_t limit,
                                         EventChunk& chunk) const = 0;

  // The balance of `asset` in `account` after every event before `position`
  // (see ledger_balance.h); 0 when it has none. Cost: one seek.
  virtual absl::StatusOr<int64_t> BalanceBefore(
      absl::string_view account, absl::string_view asset,
      const LedgerPosition& position) const = 0;

  // Every asset of `account` with a positive balance before `position`, in
  // asset order. Cost: one seek.
  virtual absl::StatusOr<std::vector<AssetBalance>> BalancesBefore(
      absl::string_view account, const LedgerPosition& position) const = 0;

  // How traces treat `account`; ACCOUNT_KIND_USER unless marked otherwise.
  virtual absl::StatusOr<v1::AccountKind> AccountKind(
      absl::string_view account) const = 0;

  // Up to `limit` withdrawals to and deposits from `address`, at positions
  // in [from, to), in ledger order.
  virtual absl::StatusOr<std::vector<v1::LedgerEvent>> AddressEvents(
      absl::string_view address, const LedgerPosition& from,
      const LedgerPosition& to, size_t limit) const = 0;
};

// Thread-safe. Ingest calls are serialized by the store; reads and views run
// concurrently with them.
class LedgerStore {
 public:
  virtual ~LedgerStore() = default;

  // Stores a batch of events, one outcome per event in batch order. Each
  // event is checked by ValidateLedgerEvent(event, now, max_future_skew); an
  // event_id already stored (or accepted earlier in the batch) with the same
  // content is a duplicate, with different content it is rejected. Events
  // may arrive in any time order; balances stay exact (see the
  // implementation for the cost of late events).
  //
  // When at least one event is accepted, the accepted events and the audit
  // entry made by `audit_entry` are committed in one atomic, synced write
  // before this returns; a batch with nothing to store writes nothing. On
  // error nothing of the batch was stored, and retrying it is safe.
  //
  // Example:
  //   SENTINEL_ASSIGN_OR_RETURN(
  //       std::vector<IngestOutcome> outcomes,
  //       store.Ingest(events, clock.Now(), kDefaultMaxEventFutureSkew,
  //                    make_entry));
  virtual absl::StatusOr<std::vector<IngestOutcome>> Ingest(
      absl::Span<const v1::LedgerEvent> events, absl::Time now,
      absl::Duration max_future_skew, const IngestAuditEntry& audit_entry) = 0;

  // Stores each entry with `audit`, atomically and durably: a USER entry
  // removes its account's mark and any pending proposal; any other entry
  // becomes the account's pending proposal (replacing an earlier one) and
  // leaves a mark in effect as it is. Entries must be validated, with
  // distinct accounts.
  virtual absl::Status SetAccountKinds(
      const std::vector<v1::AccountKindEntry>& entries,
      const v1::AuditEntry& audit) = 0;

  // The pending proposal for `account`, or nullopt.
  virtual absl::StatusOr<std::optional<v1::AccountKindEntry>>
  PendingAccountKind(absl::string_view account) const = 0;

  // Puts each entry in effect as its account's mark and removes the
  // account's pending proposal, with `audit`, atomically and durably.
  virtual absl::Status ApproveAccountKinds(
      const std::vector<v1::AccountKindEntry>& entries,
      const v1::AuditEntry& audit) = 0;

  // Up to `limit` marks as infrastructure (in effect, or the pending
  // proposals when `pending`) of `kind`, or of any kind for
  // ACCOUNT_KIND_UNSPECIFIED, with ids after `after_account`, in account
  // order.
  virtual absl::StatusOr<std::vector<v1::AccountKindEntry>> ListAccountKinds(
      v1::AccountKind kind, bool pending, absl::string_view after_account,
      size_t limit) const = 0;

  // Commits an audit entry that changes nothing (an audited read, such as a
  // trace); OK only once durable.
  virtual absl::Status RecordAccess(const v1::AuditEntry& entry) = 0;

  // A snapshot of the ledger as committed now.
  virtual std::unique_ptr<LedgerView> OpenView() const = 0;
};

}  // namespace sentinel::trace

#endif  // SENTINEL_TRACE_LEDGER_STORE_H_
