// The "b/" balance entries of the ledger store (rocksdb_ledger_store.h):
// reading the balance at an instant, and staging the entries of newly
// accepted events, including the rewrite of later entries that a late event
// changes.
#ifndef SENTINEL_TRACE_ROCKSDB_BALANCE_INDEX_H_
#define SENTINEL_TRACE_ROCKSDB_BALANCE_INDEX_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "common/rocks_database.h"
#include "rocksdb/iterator.h"
#include "rocksdb/write_batch.h"
#include "sentinel/v1/trace.pb.h"

namespace sentinel::trace {

// The balance stored in the last entry under `prefix` (a BalancesPrefix)
// whose key is less than `target`; 0 when there is none. kDataLoss for a
// malformed entry; storage errors otherwise. Moves `it`.
absl::StatusOr<int64_t> StoredBalanceBefore(rocksdb::Iterator& it,
                                            absl::string_view prefix,
                                            const std::string& target);

// The last stored balance entry of each (account, asset) recently written,
// so that a feed arriving in time order stages its balance entries without
// reading: a new entry after the last stored one only needs that entry's
// balance. At most `max_groups` are remembered (each costs about 150 bytes);
// when full, all are forgotten and relearned from the next writes. Not
// thread-safe: the store uses it under its ingest lock.
class BalanceTails final {
 public:
  struct Tail {
    // The entry's key (a BalanceKey) and balance.
    std::string key;
    int64_t balance = 0;
  };

  explicit BalanceTails(size_t max_groups) : max_groups_(max_groups) {}

  // The last stored entry under `prefix` (a BalancesPrefix), if known.
  const Tail* Find(const std::string& prefix) const;

  // What a staged batch changes: applied with Apply() once it is committed,
  // dropped if not.
  using Updates = std::vector<std::pair<std::string, Tail>>;
  void Apply(Updates updates);

 private:
  const size_t max_groups_;
  absl::flat_hash_map<std::string, Tail> tails_;
};

// Stages into `batch` (for the ledger family) the balance entries of
// `accepted`: validated events whose ids are not stored yet, each at most
// once, and returns the changes to `tails` to apply once the batch is
// committed. Each (account, asset) is handled once: its new entries in
// ledger order, after the last stored entry if `tails` knows that the new
// ones all come later (no read); otherwise after the stored entry preceding
// them (one seek), followed by the stored entries after the first new one,
// rewritten while their balance differs from the recomputed chain. Reads
// committed entries, so the caller must keep other ingests from committing
// meanwhile.
absl::StatusOr<BalanceTails::Updates> StageBalanceEntries(
    const RocksDatabase& database, const BalanceTails& tails,
    absl::Span<const v1::LedgerEvent* const> accepted,
    rocksdb::WriteBatch& batch);

}  // namespace sentinel::trace

#endif  // SENTINEL_TRACE_ROCKSDB_BALANCE_INDEX_H_
