// LedgerStore on RocksDB, in the "ledger" column family of the process's
// database, committing through the AuditSink so that every batch of events
// and its audit entry share one synced WriteBatch.
//
// Layout (t = the event's time as 8 big-endian bytes of Unix nanoseconds,
// id = its event_id; see ledger_keys.h and ledger_values.h):
//   "e/" + id                       -> (t, its first account)   idempotency
//   "a/" + account + "\0" + t + id  -> the event, less what the key holds,
//                                      and the account's positive balances
//                                      just after it         once per party
//   "x/" + address + "\0" + t + id  -> the event              withdrawals
//                                                            and deposits
//   "k/" + account                  -> AccountKindEntry (non-USER only)
//   "p/" + account                  -> AccountKindEntry  pending approval
//
// Why this shape:
// - "a/": a trace follows an account forward from the moment taint reaches
//   it, through all its events (in and out, every asset: FIFO and the
//   balances need them all) in ledger order. One Seek to (account, time)
//   skips the account's history, then reads are sequential; the event is in
//   the value, so there is no second lookup.
// - Balances live in the same entries, so that the balances at any instant
//   are one SeekForPrev, whatever the account's history length, and an event
//   costs one key per party instead of one more per (party, asset).
//   Computing them at trace time instead would replay each reached account
//   from the beginning of the ledger: a hot account (100k+ events) would
//   cost far more than the trace itself. The price is paid at ingest: an
//   event arriving after later events of the same account were stored
//   rewrites the entries after it, in the same batch. The rewrite stops
//   early only where the new and the stored balances agree again (e.g. both
//   hit zero, ledger_balance.h); otherwise a late event costs one rewritten
//   entry per later entry of its account, and a feed in reverse time order
//   is quadratic per account. Within one batch, events are applied in
//   ledger order, so a backfill in large batches costs little; and the store
//   remembers the last entry of recently written accounts, so an in-order
//   feed reads no balances at all. Stored balances are always exactly those
//   of an in-order replay of the stored events. One store per database:
//   that memory assumes it is the only writer of the family.
// - "e/" holds only where the event is: a repeated event_id is rare, and
//   comparing it with the stored event costs one more read then.
// - "x/": withdrawals to and deposits from an address, for following an
//   address back into the exchange.
// - Values are compact binary (ledger_values.h), not protobuf: a trace
//   decodes one per event it examines, without allocating.
// - The family wants options of its own (LedgerFamilyOptions): bloom filters
//   (in the memtable too) for the "e/" point reads of every ingest, most of
//   them for ids not stored yet; no compression of the recent levels; a block
//   cache for the traces' reads; and memtable insert hints by account, where
//   the shared options would hint by a trailing number these keys lack.
//   Without them the store works the same, more slowly.
#ifndef SENTINEL_TRACE_ROCKSDB_LEDGER_STORE_H_
#define SENTINEL_TRACE_ROCKSDB_LEDGER_STORE_H_

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "audit/audit_sink.h"
#include "common/rocks_database.h"
#include "rocksdb/options.h"
#include "trace/ledger_store.h"
#include "trace/rocksdb_account_index.h"

namespace sentinel::trace {

// The column family the trace domain lives in.
inline constexpr char kLedgerFamily[] = "ledger";

// The options kLedgerFamily should be opened with (see the layout above).
//
// Example:
//   RocksDatabase::Open(path, {audit::kAuditFamily, trace::kLedgerFamily},
//                       nullptr,
//                       {{trace::kLedgerFamily,
//                       trace::LedgerFamilyOptions()}});
rocksdb::ColumnFamilyOptions LedgerFamilyOptions();

class RocksDbLedgerStore final : public LedgerStore {
 public:
  // `database` must have been opened with kLedgerFamily, and `audit` must
  // write to the same database. Both must outlive the store.
  RocksDbLedgerStore(RocksDatabase& database, audit::AuditSink& audit);

  // Cost per accepted event: one point read for idempotency (batched, and
  // mostly answered by bloom filters), one account entry per party (free to
  // compute when it continues the last entry this store wrote for the
  // account, else one seek per account and batch plus the rewrite of later
  // entries for late events), and 2 to 4 puts.
  absl::StatusOr<std::vector<IngestOutcome>> Ingest(
      absl::Span<const v1::LedgerEvent> events, absl::Time now,
      absl::Duration max_future_skew,
      const IngestAuditEntry& audit_entry) override ABSL_LOCKS_EXCLUDED(mu_);
  absl::Status SetAccountKinds(const std::vector<v1::AccountKindEntry>& entries,
                               const v1::AuditEntry& audit) override;
  absl::StatusOr<std::optional<v1::AccountKindEntry>> PendingAccountKind(
      absl::string_view account) const override;
  absl::Status ApproveAccountKinds(
      const std::vector<v1::AccountKindEntry>& entries,
      const v1::AuditEntry& audit) override;
  absl::StatusOr<std::vector<v1::AccountKindEntry>> ListAccountKinds(
      v1::AccountKind kind, bool pending, absl::string_view after_account,
      size_t limit) const override;
  absl::Status RecordAccess(const v1::AuditEntry& entry) override;
  std::unique_ptr<LedgerView> OpenView() const override;

 private:
  // Commits `batch` with `audit` at normal urgency; the audit service must
  // hold the entry first (a change of account kinds, an audited read).
  absl::Status CommitPermissive(rocksdb::WriteBatch& batch,
                                const v1::AuditEntry& audit);

  RocksDatabase& database_;
  audit::AuditSink& audit_;
  // Held by Ingest from its first read to its commit: balances and
  // idempotency are decided against the state the batch is applied to.
  absl::Mutex mu_;
  AccountTails tails_ ABSL_GUARDED_BY(mu_);
};

}  // namespace sentinel::trace

#endif  // SENTINEL_TRACE_ROCKSDB_LEDGER_STORE_H_
