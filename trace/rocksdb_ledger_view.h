// LedgerView on a RocksDB snapshot of the "ledger" column family.
//
// A trace makes a few reads per account it reaches; the view serves them all
// from one RocksDB iterator (creating one per read costs more than the seek)
// under a mutex, so calls are serialized but thread-safe. Infrastructure
// marks are few (hundreds), and a trace asks for the kind of every account
// it reaches, most of which have no mark: the view reads all marks once, at
// the first AccountKind call, and answers from memory.
#ifndef SENTINEL_TRACE_ROCKSDB_LEDGER_VIEW_H_
#define SENTINEL_TRACE_ROCKSDB_LEDGER_VIEW_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "common/rocks_database.h"
#include "rocksdb/db.h"
#include "trace/ledger_store.h"

namespace sentinel::trace {

class RocksDbLedgerView final : public LedgerView {
 public:
  // Takes a snapshot of `database` (which must have the "ledger" family and
  // outlive the view); the destructor releases it.
  explicit RocksDbLedgerView(const RocksDatabase& database);
  ~RocksDbLedgerView() override;
  RocksDbLedgerView(const RocksDbLedgerView&) = delete;
  RocksDbLedgerView& operator=(const RocksDbLedgerView&) = delete;

  absl::StatusOr<std::vector<v1::LedgerEvent>> AccountEvents(
      absl::string_view account, const LedgerPosition& from,
      const LedgerPosition& to, size_t limit) const override;
  absl::Status ReadAccountEvents(absl::string_view account,
                                 const LedgerPosition& from,
                                 const LedgerPosition& to, size_t limit,
                                 EventChunk& chunk) const override;
  absl::StatusOr<int64_t> BalanceBefore(
      absl::string_view account, absl::string_view asset,
      const LedgerPosition& position) const override;
  absl::StatusOr<std::vector<AssetBalance>> BalancesBefore(
      absl::string_view account, const LedgerPosition& position) const override;
  absl::StatusOr<v1::AccountKind> AccountKind(
      absl::string_view account) const override;
  absl::StatusOr<std::vector<v1::LedgerEvent>> AddressEvents(
      absl::string_view address, const LedgerPosition& from,
      const LedgerPosition& to, size_t limit) const override;

 private:
  rocksdb::ReadOptions ReadOptions() const;
  // The view's iterator, created at first use.
  rocksdb::Iterator& Iterator() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Into `chunk`: the events of the keys in [lower, upper) (at most
  // `limit`), each key a prefix of `prefix_size` bytes then a position, and
  // each value an event body. `account_keys`: the prefixes are
  // AccountEventsPrefix, whose account is the body's left-out party.
  absl::Status ReadRange(const std::string& lower, const std::string& upper,
                         size_t prefix_size, bool account_keys, size_t limit,
                         EventChunk& chunk) const ABSL_LOCKS_EXCLUDED(mu_);
  // Every account kind stored under the snapshot.
  absl::StatusOr<absl::flat_hash_map<std::string, v1::AccountKind>>
  LoadAccountKinds() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const RocksDatabase& database_;
  const rocksdb::Snapshot* const snapshot_;
  mutable absl::Mutex mu_;
  mutable std::unique_ptr<rocksdb::Iterator> iterator_ ABSL_GUARDED_BY(mu_);
  // Where each entry of the range being read starts in the chunk's bytes.
  mutable std::vector<size_t> offsets_ ABSL_GUARDED_BY(mu_);
  // Loaded by the first AccountKind call that succeeds.
  mutable std::optional<absl::flat_hash_map<std::string, v1::AccountKind>>
      kinds_ ABSL_GUARDED_BY(mu_);
};

}  // namespace sentinel::trace

#endif  // SENTINEL_TRACE_ROCKSDB_LEDGER_VIEW_H_
