#include "trace/rocksdb_balance_index.h"

#include <algorithm>
#include <memory>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"
#include "common/rocksdb_slices.h"
#include "common/rocksdb_status.h"
#include "common/status_macros.h"
#include "trace/ledger_balance.h"
#include "trace/ledger_keys.h"
#include "trace/ledger_position.h"
#include "trace/rocksdb_ledger_store.h"

namespace sentinel::trace {
namespace {

struct NewEntry {
  std::string key;
  int64_t delta = 0;
};

absl::Status MalformedEntry() {
  return absl::DataLossError(
      "ledger store: a stored balance entry is malformed");
}

// Stages the entries of one (account, asset): `entries` sorted by key.
// Returns the group's last entry after the batch when it is known.
absl::StatusOr<std::optional<BalanceTails::Tail>> StageGroup(
    rocksdb::Iterator& it, rocksdb::ColumnFamilyHandle* family,
    const std::string& prefix, const BalanceTails::Tail* tail,
    const std::vector<NewEntry>& entries, rocksdb::WriteBatch& batch) {
  rocksdb::Status status;
  const auto put = [&](const rocksdb::Slice& key, const BalanceEntry& entry) {
    if (status.ok()) status = batch.Put(family, key, EncodeBalanceEntry(entry));
  };
  // A feed in time order: every new entry comes after the stored ones.
  if (tail != nullptr && entries.front().key > tail->key) {
    int64_t balance = tail->balance;
    for (const NewEntry& entry : entries) {
      balance = ApplyBalanceDelta(balance, entry.delta);
      put(ToSlice(entry.key), {entry.delta, balance});
    }
    SENTINEL_RETURN_IF_ERROR(
        FromRocksStatus(status, "ledger store: staging balances"));
    return BalanceTails::Tail{entries.back().key, balance};
  }

  SENTINEL_ASSIGN_OR_RETURN(
      int64_t balance, StoredBalanceBefore(it, prefix, entries.front().key));
  size_t next = 0;
  std::string last_key;
  bool met = false;
  it.Seek(ToSlice(entries.front().key));
  while (true) {
    const bool stored =
        it.Valid() && absl::StartsWith(ToView(it.key()), prefix);
    if (next < entries.size() &&
        (!stored || ToView(it.key()) > entries[next].key)) {
      balance = ApplyBalanceDelta(balance, entries[next].delta);
      put(ToSlice(entries[next].key), {entries[next].delta, balance});
      last_key = entries[next].key;
      ++next;
      continue;
    }
    if (!stored) break;
    const std::optional<BalanceEntry> old =
        DecodeBalanceEntry(ToView(it.value()));
    if (!old.has_value()) return MalformedEntry();
    balance = ApplyBalanceDelta(balance, old->delta);
    if (balance != old->balance) {
      put(it.key(), {old->delta, balance});
    } else if (next == entries.size()) {
      // The recomputed chain has met the stored one: the rest, and so the
      // last entry, are unchanged.
      met = true;
      break;
    }
    last_key = std::string(ToView(it.key()));
    it.Next();
  }
  SENTINEL_RETURN_IF_ERROR(
      FromRocksStatus(it.status(), "ledger store: reading balances"));
  SENTINEL_RETURN_IF_ERROR(
      FromRocksStatus(status, "ledger store: staging balances"));
  if (met) return std::optional<BalanceTails::Tail>();
  return BalanceTails::Tail{std::move(last_key), balance};
}

}  // namespace

absl::StatusOr<int64_t> StoredBalanceBefore(rocksdb::Iterator& it,
                                            absl::string_view prefix,
                                            const std::string& target) {
  it.SeekForPrev(ToSlice(target));
  if (it.Valid() && ToView(it.key()) == target) it.Prev();
  if (!it.Valid() || !absl::StartsWith(ToView(it.key()), prefix)) {
    SENTINEL_RETURN_IF_ERROR(
        FromRocksStatus(it.status(), "ledger store: reading a balance"));
    return 0;
  }
  const std::optional<BalanceEntry> entry =
      DecodeBalanceEntry(ToView(it.value()));
  if (!entry.has_value()) return MalformedEntry();
  return entry->balance;
}

const BalanceTails::Tail* BalanceTails::Find(const std::string& prefix) const {
  auto it = tails_.find(prefix);
  return it == tails_.end() ? nullptr : &it->second;
}

void BalanceTails::Apply(Updates updates) {
  if (tails_.size() + updates.size() > max_groups_) tails_.clear();
  for (auto& [prefix, tail] : updates) {
    if (tails_.size() == max_groups_) break;
    tails_[std::move(prefix)] = std::move(tail);
  }
}

absl::StatusOr<BalanceTails::Updates> StageBalanceEntries(
    const RocksDatabase& database, const BalanceTails& tails,
    absl::Span<const v1::LedgerEvent* const> accepted,
    rocksdb::WriteBatch& batch) {
  // Keyed by BalancesPrefix(account, asset).
  absl::flat_hash_map<std::string, std::vector<NewEntry>> groups;
  for (const v1::LedgerEvent* event : accepted) {
    const LedgerPosition position = PositionOf(*event);
    for (const BalanceDelta& change : BalanceDeltas(*event)) {
      groups[BalancesPrefix(change.account, change.asset)].push_back(
          {BalanceKey(change.account, change.asset, position), change.delta});
    }
  }
  // Groups in key order, so that the iterator moves forward through the
  // family and the batch is staged in a deterministic order.
  std::vector<std::pair<std::string, std::vector<NewEntry>>> sorted(
      std::make_move_iterator(groups.begin()),
      std::make_move_iterator(groups.end()));
  std::sort(sorted.begin(), sorted.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  rocksdb::ColumnFamilyHandle* family = database.Family(kLedgerFamily);
  std::unique_ptr<rocksdb::Iterator> it = database.NewIterator(kLedgerFamily);
  BalanceTails::Updates updates;
  for (auto& [prefix, entries] : sorted) {
    std::sort(
        entries.begin(), entries.end(),
        [](const NewEntry& a, const NewEntry& b) { return a.key < b.key; });
    SENTINEL_ASSIGN_OR_RETURN(
        std::optional<BalanceTails::Tail> tail,
        StageGroup(*it, family, prefix, tails.Find(prefix), entries, batch));
    if (tail.has_value()) updates.emplace_back(prefix, *std::move(tail));
  }
  return updates;
}

}  // namespace sentinel::trace
