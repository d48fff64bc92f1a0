// LedgerStore on RocksDB, in the "ledger" column family of the process's
// database, committing through the AuditSink so that every batch of events
// and its audit entry share one synced WriteBatch.
//
// Layout (t = the event's time as 8 big-endian bytes of Unix nanoseconds,
// id = its event_id; see ledger_keys.h):
//   "e/" + id                          -> LedgerEvent   idempotency by id
//   "a/" + account + "\0" + t + id     -> LedgerEvent   once per party
//   "b/" + account + "\0" + asset + "\0" + t + id
//                                      -> (delta, balance after), 16 bytes
//   "x/" + address + "\0" + t + id     -> LedgerEvent   withdrawals/deposits
//   "k/" + account                     -> AccountKindEntry (non-USER only)
//
// Why this shape:
// - "a/": a trace follows an account forward from the moment taint reaches
//   it, through all its events (in and out, every asset: FIFO and the
//   balances need them all) in ledger order. One Seek to (account, time)
//   skips the account's history, then reads are sequential; the event is in
//   the value, so there is no second lookup.
// - "b/": balances are stored with each event, per (account, asset), so the
//   balance at any instant is one SeekForPrev, whatever the account's
//   history length. Computing them at trace time instead would replay each
//   reached account from the beginning of the ledger: a hot account (100k+
//   events) would cost far more than the trace itself. The price is paid at
//   ingest: an event arriving after later events of the same (account,
//   asset) were stored rewrites the balances after it, in the same batch.
//   The rewrite stops early only where the new and the stored chain agree
//   again (both hit zero, ledger_balance.h); otherwise a late event costs
//   one rewritten entry per later entry of its (account, asset), and a feed
//   in reverse time order is quadratic per (account, asset). Within one
//   batch, events are applied in ledger order, so a backfill in large
//   batches costs little; and the store remembers the last entry of
//   recently written groups, so an in-order feed reads no balances at all.
//   Stored balances are always exactly those of an in-order replay of the
//   stored events. One store per database: that memory assumes it is the
//   only writer of the family.
// - "x/": withdrawals to and deposits from an address, for following an
//   address back into the exchange.
// The family uses the database's shared column-family options; most of the
// cost of ingest and traces on a large ledger is RocksDB work (memtable
// inserts, block reads) that ledger-specific options would cut: bloom
// filters for the "e/" point reads, a larger block cache, and no
// numbered-key insert hint (these keys do not end in a number).
#ifndef SENTINEL_TRACE_ROCKSDB_LEDGER_STORE_H_
#define SENTINEL_TRACE_ROCKSDB_LEDGER_STORE_H_

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "audit/audit_sink.h"
#include "common/rocks_database.h"
#include "trace/ledger_store.h"
#include "trace/rocksdb_balance_index.h"

namespace sentinel::trace {

// The column family the trace domain lives in.
inline constexpr char kLedgerFamily[] = "ledger";

class RocksDbLedgerStore final : public LedgerStore {
 public:
  // `database` must have been opened with kLedgerFamily, and `audit` must
  // write to the same database. Both must outlive the store.
  RocksDbLedgerStore(RocksDatabase& database, audit::AuditSink& audit);

  // Cost per accepted event: one point read for idempotency (batched), up to
  // 4 balance groups (each free when it continues the last entry this store
  // wrote for the group, else one seek per batch plus the rewrite of later
  // entries for late events), and 3 to 7 puts.
  absl::StatusOr<std::vector<IngestOutcome>> Ingest(
      absl::Span<const v1::LedgerEvent> events, absl::Time now,
      absl::Duration max_future_skew,
      const IngestAuditEntry& audit_entry) override ABSL_LOCKS_EXCLUDED(mu_);
  absl::Status SetAccountKinds(const std::vector<v1::AccountKindEntry>& entries,
                               const v1::AuditEntry& audit) override;
  absl::StatusOr<std::vector<v1::AccountKindEntry>> ListAccountKinds(
      v1::AccountKind kind, absl::string_view after_account,
      size_t limit) const override;
  absl::Status RecordAccess(const v1::AuditEntry& entry) override;
  std::unique_ptr<LedgerView> OpenView() const override;

 private:
  RocksDatabase& database_;
  audit::AuditSink& audit_;
  // Held by Ingest from its first read to its commit: balances and
  // idempotency are decided against the state the batch is applied to.
  absl::Mutex mu_;
  BalanceTails tails_ ABSL_GUARDED_BY(mu_);
};

}  // namespace sentinel::trace

#endif  // SENTINEL_TRACE_ROCKSDB_LEDGER_STORE_H_
