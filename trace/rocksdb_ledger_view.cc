#include "trace/rocksdb_ledger_view.h"

#include <memory>
#include <string>
#include <utility>

#include "absl/strings/match.h"
#include "common/numbered_records.h"
#include "common/rocksdb_slices.h"
#include "common/rocksdb_status.h"
#include "common/status_macros.h"
#include "trace/ledger_keys.h"
#include "trace/rocksdb_balance_index.h"
#include "trace/rocksdb_ledger_store.h"

namespace sentinel::trace {
RocksDbLedgerView::RocksDbLedgerView(const RocksDatabase& database)
    : database_(database), snapshot_(database.db().GetSnapshot()) {}

RocksDbLedgerView::~RocksDbLedgerView() {
  {
    absl::MutexLock lock(&mu_);
    iterator_.reset();  // before the snapshot it reads goes
  }
  database_.db().ReleaseSnapshot(snapshot_);
}

rocksdb::ReadOptions RocksDbLedgerView::ReadOptions() const {
  rocksdb::ReadOptions options;
  options.snapshot = snapshot_;
  return options;
}

rocksdb::Iterator& RocksDbLedgerView::Iterator() const {
  if (iterator_ == nullptr) {
    iterator_.reset(database_.db().NewIterator(
        ReadOptions(), database_.Family(kLedgerFamily)));
  }
  return *iterator_;
}

absl::StatusOr<std::vector<v1::LedgerEvent>> RocksDbLedgerView::EventsInRange(
    const std::string& lower, const std::string& upper, size_t limit) const {
  std::vector<v1::LedgerEvent> events;
  absl::MutexLock lock(&mu_);
  rocksdb::Iterator& it = Iterator();
  for (it.Seek(ToSlice(lower));
       it.Valid() && events.size() < limit && ToView(it.key()) < upper;
       it.Next()) {
    SENTINEL_ASSIGN_OR_RETURN(
        v1::LedgerEvent event,
        ParseStoredMessage<v1::LedgerEvent>(ToView(it.value()),
                                            "ledger store: an event"));
    events.push_back(std::move(event));
  }
  SENTINEL_RETURN_IF_ERROR(
      FromRocksStatus(it.status(), "ledger store: reading events"));
  return events;
}

absl::StatusOr<std::vector<v1::LedgerEvent>> RocksDbLedgerView::AccountEvents(
    absl::string_view account, const LedgerPosition& from,
    const LedgerPosition& to, size_t limit) const {
  return EventsInRange(AccountEventKey(account, from),
                       AccountEventKey(account, to), limit);
}

absl::StatusOr<std::vector<v1::LedgerEvent>> RocksDbLedgerView::AddressEvents(
    absl::string_view address, const LedgerPosition& from,
    const LedgerPosition& to, size_t limit) const {
  return EventsInRange(AddressEventKey(address, from),
                       AddressEventKey(address, to), limit);
}

absl::StatusOr<int64_t> RocksDbLedgerView::BalanceBefore(
    absl::string_view account, absl::string_view asset,
    const LedgerPosition& position) const {
  absl::MutexLock lock(&mu_);
  return StoredBalanceBefore(Iterator(), BalancesPrefix(account, asset),
                             BalanceKey(account, asset, position));
}

absl::StatusOr<std::vector<AssetBalance>> RocksDbLedgerView::BalancesBefore(
    absl::string_view account, const LedgerPosition& position) const {
  std::vector<AssetBalance> balances;
  const std::string account_prefix = AccountBalancesPrefix(account);
  absl::MutexLock lock(&mu_);
  rocksdb::Iterator& it = Iterator();
  std::string next = account_prefix;
  while (true) {
    it.Seek(ToSlice(next));
    if (!it.Valid() || !absl::StartsWith(ToView(it.key()), account_prefix)) {
      break;
    }
    absl::string_view rest = ToView(it.key());
    rest.remove_prefix(account_prefix.size());
    const size_t end = rest.find('\0');
    if (end == absl::string_view::npos) {
      return absl::DataLossError("ledger store: a balance key is malformed");
    }
    const std::string asset(rest.substr(0, end));
    const std::string asset_prefix = BalancesPrefix(account, asset);
    SENTINEL_ASSIGN_OR_RETURN(
        const int64_t balance,
        StoredBalanceBefore(it, asset_prefix,
                            BalanceKey(account, asset, position)));
    if (balance > 0) balances.push_back({asset, balance});
    next = PrefixEnd(asset_prefix);
  }
  SENTINEL_RETURN_IF_ERROR(
      FromRocksStatus(it.status(), "ledger store: reading balances"));
  return balances;
}

absl::StatusOr<absl::flat_hash_map<std::string, v1::AccountKind>>
RocksDbLedgerView::LoadAccountKinds() const {
  absl::flat_hash_map<std::string, v1::AccountKind> kinds;
  rocksdb::Iterator& it = Iterator();
  for (it.Seek(ToSlice(kAccountKindPrefix));
       it.Valid() && absl::StartsWith(ToView(it.key()), kAccountKindPrefix);
       it.Next()) {
    SENTINEL_ASSIGN_OR_RETURN(
        v1::AccountKindEntry entry,
        ParseStoredMessage<v1::AccountKindEntry>(
            ToView(it.value()), "ledger store: an account kind"));
    kinds.emplace(entry.account_id(), entry.kind());
  }
  SENTINEL_RETURN_IF_ERROR(
      FromRocksStatus(it.status(), "ledger store: reading account kinds"));
  return kinds;
}

absl::StatusOr<v1::AccountKind> RocksDbLedgerView::AccountKind(
    absl::string_view account) const {
  absl::MutexLock lock(&mu_);
  if (!kinds_.has_value()) {
    SENTINEL_ASSIGN_OR_RETURN(kinds_, LoadAccountKinds());
  }
  auto it = kinds_->find(account);
  return it == kinds_->end() ? v1::ACCOUNT_KIND_USER : it->second;
}

}  // namespace sentinel::trace
