#include "trace/rocksdb_account_index.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "common/rocksdb_slices.h"
#include "common/rocksdb_status.h"
#include "common/status_macros.h"
#include "trace/ledger_keys.h"
#include "trace/ledger_values.h"
#include "trace/rocksdb_ledger_store.h"

namespace sentinel::trace {
namespace {

absl::Status MalformedEntry() {
  return absl::DataLossError(
      "ledger store: a stored account entry is malformed");
}

bool Earlier(const EventView* a, const EventView* b) {
  return std::tie(a->unix_nanos, a->event_id) <
         std::tie(b->unix_nanos, b->event_id);
}

KeyParty PartyOf(const EventView& event, absl::string_view account) {
  return account == event.from_account ? KeyParty::kFrom : KeyParty::kTo;
}

// Stages the entries of one account at a time, reusing its buffers.
class AccountStager {
 public:
  AccountStager(rocksdb::Iterator& it, rocksdb::ColumnFamilyHandle* family,
                rocksdb::WriteBatch& batch)
      : it_(it), family_(family), batch_(batch) {}

  // `entries` are the account's new events in ledger order. Returns the
  // account's last entry after the batch when it is known.
  absl::StatusOr<std::optional<AccountTails::Tail>> Stage(
      absl::string_view account, const AccountTails::Tail* tail,
      absl::Span<const EventView* const> entries) {
    const EventView& first = *entries.front();
    if (tail != nullptr && std::tie(tail->unix_nanos, tail->event_id) <
                               std::tie(first.unix_nanos, first.event_id)) {
      // A feed in time order: every new entry comes after the stored ones.
      AssetBalances balances = tail->balances;
      for (const EventView* event : entries) {
        PutNew(account, *event, balances);
      }
      SENTINEL_RETURN_IF_ERROR(status());
      const EventView& last = *entries.back();
      return AccountTails::Tail{last.unix_nanos, std::string(last.event_id),
                                std::move(balances)};
    }
    return StageAmongStored(account, entries);
  }

  absl::Status status() const {
    return FromRocksStatus(status_, "ledger store: staging account entries");
  }

 private:
  // Merges the new entries into the stored ones from the first new
  // position on, rewriting stored balances until the chains meet again.
  absl::StatusOr<std::optional<AccountTails::Tail>> StageAmongStored(
      absl::string_view account, absl::Span<const EventView* const> entries) {
    const std::string prefix = AccountEventsPrefix(account);
    std::string next_key;
    SetAccountEventKey(account, entries[0]->unix_nanos, entries[0]->event_id,
                       next_key);
    AssetBalances balances;
    SENTINEL_RETURN_IF_ERROR(
        StoredBalancesBefore(it_, prefix, next_key, balances));
    size_t next = 0;
    int64_t last_nanos = 0;
    std::string last_id;
    for (it_.Seek(ToSlice(next_key));;) {
      const bool stored =
          it_.Valid() && absl::StartsWith(ToView(it_.key()), prefix);
      if (next < entries.size() && (!stored || ToView(it_.key()) > next_key)) {
        const EventView& event = *entries[next];
        PutNew(account, event, balances);
        last_nanos = event.unix_nanos;
        last_id.assign(event.event_id.data(), event.event_id.size());
        if (++next < entries.size()) {
          SetAccountEventKey(account, entries[next]->unix_nanos,
                             entries[next]->event_id, next_key);
        }
        continue;
      }
      if (!stored) break;
      const absl::string_view key = ToView(it_.key());
      const absl::string_view value = ToView(it_.value());
      const std::optional<KeyPosition> position =
          PositionInKey(key, prefix.size());
      EventView event;
      absl::string_view rest = value;
      if (!position.has_value() || !ConsumeEventBody(rest, account, event)) {
        return MalformedEntry();
      }
      ApplyDeltas(AccountDeltas(event, account), balances);
      value_.clear();
      AppendBalances(balances, value_);
      if (value_ != rest) {
        value_.insert(0, value.data(), value.size() - rest.size());
        Put(key, value_);
      } else if (next == entries.size()) {
        // The recomputed chain has met the stored one: the rest, and so the
        // last entry, are unchanged.
        SENTINEL_RETURN_IF_ERROR(status());
        return std::optional<AccountTails::Tail>();
      }
      last_nanos = position->unix_nanos;
      last_id.assign(position->event_id.data(), position->event_id.size());
      it_.Next();
    }
    SENTINEL_RETURN_IF_ERROR(
        FromRocksStatus(it_.status(), "ledger store: reading account entries"));
    SENTINEL_RETURN_IF_ERROR(status());
    return AccountTails::Tail{last_nanos, std::move(last_id),
                              std::move(balances)};
  }

  // Stages a new event's entry, moving `balances` past it.
  void PutNew(absl::string_view account, const EventView& event,
              AssetBalances& balances) {
    ApplyDeltas(AccountDeltas(event, account), balances);
    value_.clear();
    AppendEventBody(event, PartyOf(event, account), value_);
    AppendBalances(balances, value_);
    SetAccountEventKey(account, event.unix_nanos, event.event_id, key_);
    Put(key_, value_);
  }

  void Put(absl::string_view key, absl::string_view value) {
    if (status_.ok())
      status_ = batch_.Put(family_, ToSlice(key), ToSlice(value));
  }

  rocksdb::Iterator& it_;
  rocksdb::ColumnFamilyHandle* const family_;
  rocksdb::WriteBatch& batch_;
  rocksdb::Status status_;
  std::string key_;
  std::string value_;
};

}  // namespace

absl::Status StoredBalancesBefore(rocksdb::Iterator& it,
                                  absl::string_view prefix,
                                  absl::string_view target,
                                  AssetBalances& balances) {
  balances.clear();
  it.SeekForPrev(ToSlice(target));
  if (it.Valid() && ToView(it.key()) == target) it.Prev();
  if (!it.Valid() || !absl::StartsWith(ToView(it.key()), prefix)) {
    return FromRocksStatus(it.status(), "ledger store: reading balances");
  }
  absl::string_view value = ToView(it.value());
  EventView event;
  if (!ConsumeEventBody(value, "", event) || !ParseBalances(value, balances)) {
    return MalformedEntry();
  }
  return absl::OkStatus();
}

const AccountTails::Tail* AccountTails::Find(absl::string_view account) const {
  if (auto it = newer_.find(account); it != newer_.end()) return &it->second;
  if (auto it = older_.find(account); it != older_.end()) return &it->second;
  return nullptr;
}

void AccountTails::Apply(Updates updates) {
  for (auto& [account, tail] : updates) {
    if (2 * newer_.size() >= max_accounts_) {
      older_ = std::move(newer_);
      newer_ = {};
    }
    older_.erase(account);
    newer_.insert_or_assign(std::move(account), std::move(tail));
  }
}

absl::StatusOr<AccountTails::Updates> StageAccountEntries(
    const RocksDatabase& database, const AccountTails& tails,
    absl::Span<const EventView> accepted, rocksdb::WriteBatch& batch) {
  absl::flat_hash_map<absl::string_view, std::vector<const EventView*>> groups;
  for (const EventView& event : accepted) {
    for (absl::string_view account : {event.from_account, event.to_account}) {
      if (!account.empty()) groups[account].push_back(&event);
    }
  }
  // Accounts in key order, so that the batch is staged in key order.
  std::vector<std::pair<absl::string_view, std::vector<const EventView*>>>
      sorted(std::make_move_iterator(groups.begin()),
             std::make_move_iterator(groups.end()));
  std::sort(sorted.begin(), sorted.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  std::unique_ptr<rocksdb::Iterator> it = database.NewIterator(kLedgerFamily);
  AccountStager stager(*it, database.Family(kLedgerFamily), batch);
  AccountTails::Updates updates;
  for (auto& [account, entries] : sorted) {
    std::sort(entries.begin(), entries.end(), Earlier);
    SENTINEL_ASSIGN_OR_RETURN(
        std::optional<AccountTails::Tail> tail,
        stager.Stage(account, tails.Find(account), entries));
    if (tail.has_value()) {
      updates.emplace_back(std::string(account), *std::move(tail));
    }
  }
  return updates;
}

}  // namespace sentinel::trace
