#include "trace/rocksdb_ledger_view.h"

#include <memory>
#include <string>
#include <utility>

#include "absl/strings/match.h"
#include "common/numbered_records.h"
#include "common/rocksdb_slices.h"
#include "common/rocksdb_status.h"
#include "common/status_macros.h"
#include "trace/ledger_balance.h"
#include "trace/ledger_keys.h"
#include "trace/ledger_values.h"
#include "trace/rocksdb_account_index.h"
#include "trace/rocksdb_ledger_store.h"

namespace sentinel::trace {
namespace {

std::vector<v1::LedgerEvent> ToLedgerEvents(const EventChunk& chunk) {
  std::vector<v1::LedgerEvent> events;
  events.reserve(chunk.events().size());
  for (const EventView& event : chunk.events()) {
    events.push_back(ToLedgerEvent(event));
  }
  return events;
}

}  // namespace

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

absl::Status RocksDbLedgerView::ReadRange(const std::string& lower,
                                          const std::string& upper,
                                          size_t prefix_size, bool account_keys,
                                          size_t limit,
                                          EventChunk& chunk) const {
  std::string& bytes = chunk.mutable_bytes();
  std::vector<EventView>& events = chunk.mutable_events();
  bytes.clear();
  events.clear();
  chunk.mutable_balances_after_first().clear();
  absl::MutexLock lock(&mu_);
  offsets_.clear();
  rocksdb::Iterator& it = Iterator();
  for (it.Seek(ToSlice(lower));
       it.Valid() && offsets_.size() < 2 * limit && ToView(it.key()) < upper;
       it.Next()) {
    offsets_.push_back(bytes.size());
    bytes.append(it.key().data(), it.key().size());
    offsets_.push_back(bytes.size());
    bytes.append(it.value().data(), it.value().size());
  }
  SENTINEL_RETURN_IF_ERROR(
      FromRocksStatus(it.status(), "ledger store: reading events"));
  offsets_.push_back(bytes.size());
  const absl::string_view all = bytes;
  for (size_t i = 0; i + 1 < offsets_.size(); i += 2) {
    const absl::string_view key =
        all.substr(offsets_[i], offsets_[i + 1] - offsets_[i]);
    absl::string_view value =
        all.substr(offsets_[i + 1], offsets_[i + 2] - offsets_[i + 1]);
    const std::optional<KeyPosition> position = PositionInKey(key, prefix_size);
    EventView& event = events.emplace_back();
    // "a/" + account + "\0"
    const absl::string_view key_account =
        account_keys ? key.substr(2, prefix_size - 3) : absl::string_view();
    // An "a/" value goes on with the account's balances; an "x/" one ends.
    if (!position.has_value() || !ConsumeEventBody(value, key_account, event) ||
        (account_keys && i == 0 &&
         !ParseBalances(value, chunk.mutable_balances_after_first())) ||
        (!account_keys && !value.empty())) {
      return absl::DataLossError("ledger store: a stored event is malformed");
    }
    event.unix_nanos = position->unix_nanos;
    event.event_id = position->event_id;
  }
  return absl::OkStatus();
}

absl::Status RocksDbLedgerView::ReadAccountEvents(absl::string_view account,
                                                  const LedgerPosition& from,
                                                  const LedgerPosition& to,
                                                  size_t limit,
                                                  EventChunk& chunk) const {
  return ReadRange(AccountEventKey(account, from), AccountEventKey(account, to),
                   AccountEventsPrefix(account).size(), true, limit, chunk);
}

absl::StatusOr<std::vector<v1::LedgerEvent>> RocksDbLedgerView::AccountEvents(
    absl::string_view account, const LedgerPosition& from,
    const LedgerPosition& to, size_t limit) const {
  EventChunk chunk;
  SENTINEL_RETURN_IF_ERROR(ReadAccountEvents(account, from, to, limit, chunk));
  return ToLedgerEvents(chunk);
}

absl::StatusOr<std::vector<v1::LedgerEvent>> RocksDbLedgerView::AddressEvents(
    absl::string_view address, const LedgerPosition& from,
    const LedgerPosition& to, size_t limit) const {
  EventChunk chunk;
  SENTINEL_RETURN_IF_ERROR(
      ReadRange(AddressEventKey(address, from), AddressEventKey(address, to),
                AddressEventsPrefix(address).size(), false, limit, chunk));
  return ToLedgerEvents(chunk);
}

absl::StatusOr<int64_t> RocksDbLedgerView::BalanceBefore(
    absl::string_view account, absl::string_view asset,
    const LedgerPosition& position) const {
  AssetBalances balances;
  {
    absl::MutexLock lock(&mu_);
    SENTINEL_RETURN_IF_ERROR(
        StoredBalancesBefore(Iterator(), AccountEventsPrefix(account),
                             AccountEventKey(account, position), balances));
  }
  return BalanceOf(balances, asset);
}

absl::StatusOr<std::vector<AssetBalance>> RocksDbLedgerView::BalancesBefore(
    absl::string_view account, const LedgerPosition& position) const {
  AssetBalances balances;
  {
    absl::MutexLock lock(&mu_);
    SENTINEL_RETURN_IF_ERROR(
        StoredBalancesBefore(Iterator(), AccountEventsPrefix(account),
                             AccountEventKey(account, position), balances));
  }
  std::vector<AssetBalance> result;
  for (auto& [asset, balance] : balances) {
    result.push_back({std::move(asset), balance});
  }
  return result;
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
