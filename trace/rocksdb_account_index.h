// The "a/" entries of the ledger store (rocksdb_ledger_store.h): each
// account's events in ledger order, each with the account's balances just
// after it. This file stages the entries of newly accepted events, including
// the rewrite of later entries that a late event changes, and reads the
// balances at an instant.
#ifndef SENTINEL_TRACE_ROCKSDB_ACCOUNT_INDEX_H_
#define SENTINEL_TRACE_ROCKSDB_ACCOUNT_INDEX_H_

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
#include "trace/event_view.h"
#include "trace/ledger_balance.h"

namespace sentinel::trace {

// Sets `balances` to those stored in the last entry under `prefix` (an
// AccountEventsPrefix) whose key is less than `target`; empty when there is
// none. kDataLoss for a malformed entry; storage errors otherwise. Moves
// `it`.
absl::Status StoredBalancesBefore(rocksdb::Iterator& it,
                                  absl::string_view prefix,
                                  absl::string_view target,
                                  AssetBalances& balances);

// The last stored entry of each account recently written, so that a feed
// arriving in time order stages its entries without reading: a new entry
// after the last stored one only needs that entry's balances. At most
// `max_accounts` are remembered (each costs about 200 bytes), in two
// generations: when the newer one holds half, the older one is forgotten,
// so the accounts written most recently stay (a Zipf-like feed keeps its
// busy accounts) at the price of one more hash lookup. Not thread-safe: the
// store uses it under its ingest lock.
class AccountTails final {
 public:
  struct Tail {
    // The entry's position and the balances stored with it.
    int64_t unix_nanos = 0;
    std::string event_id;
    AssetBalances balances;
  };

  explicit AccountTails(size_t max_accounts) : max_accounts_(max_accounts) {}

  // The last stored entry of `account`, if known.
  const Tail* Find(absl::string_view account) const;

  // What a staged batch changes, by account: applied with Apply() once it
  // is committed, dropped if not.
  using Updates = std::vector<std::pair<std::string, Tail>>;
  void Apply(Updates updates);

 private:
  const size_t max_accounts_;
  absl::flat_hash_map<std::string, Tail> newer_;
  absl::flat_hash_map<std::string, Tail> older_;
};

// Stages into `batch` (for the ledger family) the "a/" entries of
// `accepted`: validated events whose ids are not stored yet, each at most
// once; returns the changes to `tails` to apply once the batch is committed.
// Entries are staged in key order (the memtable inserts them faster so).
// Each account is handled once: its new entries in ledger order, after the
// last stored entry if `tails` knows that the new ones all come later (no
// read); otherwise after the stored entry preceding them (one seek),
// followed by the stored entries after the first new one, rewritten while
// their balances differ from the recomputed ones. Reads committed entries,
// so the caller must keep other ingests from committing meanwhile.
absl::StatusOr<AccountTails::Updates> StageAccountEntries(
    const RocksDatabase& database, const AccountTails& tails,
    absl::Span<const EventView> accepted, rocksdb::WriteBatch& batch);

}  // namespace sentinel::trace

#endif  // SENTINEL_TRACE_ROCKSDB_ACCOUNT_INDEX_H_
