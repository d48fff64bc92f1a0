#include "trace/rocksdb_ledger_store.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/numbered_records.h"
#include "common/rocksdb_slices.h"
#include "common/rocksdb_status.h"
#include "common/status_macros.h"
#include "rocksdb/cache.h"
#include "rocksdb/filter_policy.h"
#include "rocksdb/slice_transform.h"
#include "rocksdb/table.h"
#include "rocksdb/write_batch.h"
#include "trace/event_view.h"
#include "trace/ingest_summary.h"
#include "trace/ledger_keys.h"
#include "trace/ledger_validation.h"
#include "trace/ledger_values.h"
#include "trace/rocksdb_account_index.h"
#include "trace/rocksdb_ledger_view.h"

namespace sentinel::trace {
namespace {

using Disposition = IngestOutcome::Disposition;

// Accounts whose last entry is remembered: about 60 MB at most.
constexpr size_t kMaxAccountTails = 300000;

IngestOutcome Rejected(std::string reason) {
  return {Disposition::kRejected, std::move(reason)};
}

// The stored events with some of a batch's ids, viewing values this holds.
class StoredEvents {
 public:
  // Looks up the events with `ids`, which must outlive this.
  absl::Status Find(const RocksDatabase& database,
                    const std::vector<absl::string_view>& ids) {
    if (ids.empty()) return absl::OkStatus();
    std::vector<std::string> keys(ids.size());
    for (size_t i = 0; i < ids.size(); ++i) SetEventKey(ids[i], keys[i]);
    std::vector<rocksdb::PinnableSlice> locations(keys.size());
    SENTINEL_RETURN_IF_ERROR(MultiGet(database, keys, locations));
    std::vector<absl::string_view> found_ids;
    std::vector<int64_t> found_nanos;
    for (size_t i = 0; i < ids.size(); ++i) {
      if (!found_[i]) continue;
      const std::optional<EventLocation> location =
          DecodeEventLocation(ToView(locations[i]));
      if (!location.has_value()) return Malformed();
      entry_keys_.push_back(
          AccountEventKey(location->account, location->unix_nanos, ids[i]));
      account_sizes_.push_back(location->account.size());
      found_ids.push_back(ids[i]);
      found_nanos.push_back(location->unix_nanos);
    }
    if (entry_keys_.empty()) return absl::OkStatus();
    entries_ = std::vector<rocksdb::PinnableSlice>(entry_keys_.size());
    SENTINEL_RETURN_IF_ERROR(MultiGet(database, entry_keys_, entries_));
    for (size_t i = 0; i < entry_keys_.size(); ++i) {
      EventView event;
      event.unix_nanos = found_nanos[i];
      event.event_id = found_ids[i];
      absl::string_view value = ToView(entries_[i]);
      if (!found_[i] ||
          !ConsumeEventBody(
              value,
              absl::string_view(entry_keys_[i]).substr(2, account_sizes_[i]),
              event)) {
        return Malformed();
      }
      events_.emplace(event.event_id, event);
    }
    return absl::OkStatus();
  }

  // The stored event with `id`, if Find found one.
  const EventView* Get(absl::string_view id) const {
    auto it = events_.find(id);
    return it == events_.end() ? nullptr : &it->second;
  }

 private:
  static absl::Status Malformed() {
    return absl::DataLossError(
        "ledger store: a stored event or its location is malformed");
  }

  // Reads `keys` into `values`, recording in found_ which exist.
  absl::Status MultiGet(const RocksDatabase& database,
                        const std::vector<std::string>& keys,
                        std::vector<rocksdb::PinnableSlice>& values) {
    std::vector<rocksdb::Slice> slices(keys.begin(), keys.end());
    std::vector<rocksdb::Status> statuses(keys.size());
    database.db().MultiGet(rocksdb::ReadOptions(),
                           database.Family(kLedgerFamily), slices.size(),
                           slices.data(), values.data(), statuses.data());
    found_.assign(keys.size(), false);
    for (size_t i = 0; i < keys.size(); ++i) {
      if (statuses[i].IsNotFound()) continue;
      SENTINEL_RETURN_IF_ERROR(
          FromRocksStatus(statuses[i], "ledger store: reading event ids"));
      found_[i] = true;
    }
    return absl::OkStatus();
  }

  std::vector<bool> found_;
  // The "a/" keys of the events found, and the size of the account in each.
  std::vector<std::string> entry_keys_;
  std::vector<size_t> account_sizes_;
  std::vector<rocksdb::PinnableSlice> entries_;
  absl::flat_hash_map<absl::string_view, EventView> events_;
};

// Stages the "e/" and "x/" entries of `accepted`, each in key order.
rocksdb::Status StageLookups(absl::Span<const EventView> accepted,
                             rocksdb::ColumnFamilyHandle* family,
                             rocksdb::WriteBatch& batch) {
  std::vector<const EventView*> by_id;
  std::vector<std::pair<std::string, const EventView*>> by_address;
  for (const EventView& event : accepted) {
    by_id.push_back(&event);
    if (!event.external_address.empty()) {
      by_address.emplace_back(AddressEventKey(event.external_address,
                                              event.unix_nanos, event.event_id),
                              &event);
    }
  }
  std::sort(by_id.begin(), by_id.end(),
            [](const EventView* a, const EventView* b) {
              return a->event_id < b->event_id;
            });
  std::sort(by_address.begin(), by_address.end());
  rocksdb::Status status;
  std::string id_key;
  std::string value;
  for (const EventView* event : by_id) {
    if (!status.ok()) break;
    SetEventKey(event->event_id, id_key);
    value.clear();
    AppendEventLocation(*event, value);
    status = batch.Put(family, id_key, value);
  }
  for (const auto& [key, event] : by_address) {
    if (!status.ok()) break;
    value.clear();
    AppendEventBody(*event, KeyParty::kNone, value);
    status = batch.Put(family, key, value);
  }
  return status;
}

// Where the memtable remembers the last insert, so that keys arriving in
// order within a group skip most of the skip-list search:
// - "a/" and "x/" keys: the account (or address) part, since a feed in time
//   order appends to each account's entries;
// - "e/" keys: the first 4 bytes of the event_id, since ledgers number
//   their events in sequences, often one per source system tagged at the
//   start ("trd-000123", "wal-000456"); ids without such a structure gain
//   little from it.
class InsertHintPrefix final : public rocksdb::SliceTransform {
 public:
  const char* Name() const override { return "sentinel.LedgerInsertHint"; }
  rocksdb::Slice Transform(const rocksdb::Slice& key) const override {
    const absl::string_view view = ToView(key);
    if (absl::StartsWith(view, "e/")) return ToSlice(view.substr(0, 6));
    return ToSlice(view.substr(0, view.find('\0', 2) + 1));
  }
  bool InDomain(const rocksdb::Slice& key) const override {
    const absl::string_view view = ToView(key);
    if (absl::StartsWith(view, "e/")) return true;
    return (absl::StartsWith(view, "a/") || absl::StartsWith(view, "x/")) &&
           view.find('\0', 2) != absl::string_view::npos;
  }
};

}  // namespace

rocksdb::ColumnFamilyOptions LedgerFamilyOptions() {
  rocksdb::BlockBasedTableOptions table;
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  // The traces' reads: about the recent month of a 1M-event ledger.
  table.block_cache = rocksdb::NewLRUCache(256 << 20);
  rocksdb::ColumnFamilyOptions options;
  options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  // A bloom filter over the memtable's keys too: most "e/" reads are for
  // ids not stored yet.
  options.memtable_prefix_bloom_size_ratio = 0.02;
  options.memtable_whole_key_filtering = true;
  options.memtable_insert_with_hint_prefix_extractor =
      std::make_shared<InsertHintPrefix>();
  // The levels that are rewritten most, and hold what traces read most,
  // uncompressed; the older ones in LZ4, cheap to read.
  options.compression_per_level = {
      rocksdb::kNoCompression,  rocksdb::kNoCompression,
      rocksdb::kLZ4Compression, rocksdb::kLZ4Compression,
      rocksdb::kLZ4Compression, rocksdb::kLZ4Compression,
      rocksdb::kLZ4Compression};
  return options;
}

RocksDbLedgerStore::RocksDbLedgerStore(RocksDatabase& database,
                                       audit::AuditSink& audit)
    : database_(database), audit_(audit), tails_(kMaxAccountTails) {}

absl::StatusOr<std::vector<IngestOutcome>> RocksDbLedgerStore::Ingest(
    absl::Span<const v1::LedgerEvent> events, absl::Time now,
    absl::Duration max_future_skew, const IngestAuditEntry& audit_entry) {
  std::vector<IngestOutcome> outcomes(events.size());
  // The valid events, and their positions in `events`.
  std::vector<EventView> valid;
  std::vector<size_t> positions;
  std::vector<absl::string_view> valid_ids;
  for (size_t i = 0; i < events.size(); ++i) {
    absl::Status status = ValidateLedgerEvent(events[i], now, max_future_skew);
    if (status.ok()) {
      valid.push_back(ViewOf(events[i]));
      positions.push_back(i);
      valid_ids.push_back(valid.back().event_id);
    } else {
      outcomes[i] = Rejected(std::string(status.message()));
    }
  }

  absl::MutexLock lock(&mu_);
  StoredEvents stored;
  SENTINEL_RETURN_IF_ERROR(stored.Find(database_, valid_ids));
  // Accepted events by id, to judge later events of the batch with that id.
  absl::flat_hash_map<absl::string_view, const EventView*> accepted_ids;
  std::vector<EventView> accepted;
  accepted.reserve(valid.size());
  for (size_t j = 0; j < valid.size(); ++j) {
    const EventView& event = valid[j];
    IngestOutcome& outcome = outcomes[positions[j]];
    if (const EventView* earlier = stored.Get(event.event_id)) {
      if (!SameEvent(*earlier, event)) {
        outcome = Rejected(
            "event_id: already stored for an event with different content");
      } else {
        outcome.disposition = Disposition::kDuplicate;
      }
    } else if (auto it = accepted_ids.find(event.event_id);
               it != accepted_ids.end()) {
      if (!SameEvent(*it->second, event)) {
        outcome = Rejected(
            "event_id: used earlier in the stream for an event with "
            "different content");
      } else {
        outcome.disposition = Disposition::kDuplicate;
      }
    } else {
      accepted_ids.emplace(event.event_id, &event);
      accepted.push_back(event);
    }
  }
  if (accepted.empty()) return outcomes;

  // About what an event takes, so that the batch grows once or twice.
  rocksdb::WriteBatch batch(accepted.size() * 320);
  SENTINEL_ASSIGN_OR_RETURN(
      AccountTails::Updates tails,
      StageAccountEntries(database_, tails_, accepted, batch));
  SENTINEL_RETURN_IF_ERROR(FromRocksStatus(
      StageLookups(accepted, database_.Family(kLedgerFamily), batch),
      "ledger store: staging events"));
  v1::IngestSummary summary;
  AddToSummary(events, outcomes, 0, summary);
  SENTINEL_ASSIGN_OR_RETURN(v1::AuditEntry entry, audit_entry(summary));
  SENTINEL_RETURN_IF_ERROR(audit_
                               .CommitWithAudit(batch, std::move(entry),
                                                audit::CommitUrgency::kNormal,
                                                audit::AuditRule::kProtective)
                               .status());
  tails_.Apply(std::move(tails));
  return outcomes;
}

absl::Status RocksDbLedgerStore::SetAccountKinds(
    const std::vector<v1::AccountKindEntry>& entries,
    const v1::AuditEntry& audit) {
  rocksdb::WriteBatch batch;
  rocksdb::ColumnFamilyHandle* family = database_.Family(kLedgerFamily);
  rocksdb::Status status;
  for (const v1::AccountKindEntry& entry : entries) {
    if (!status.ok()) break;
    const std::string pending = PendingAccountKindKey(entry.account_id());
    if (entry.kind() == v1::ACCOUNT_KIND_USER) {
      status = batch.Delete(family, AccountKindKey(entry.account_id()));
      if (status.ok()) status = batch.Delete(family, pending);
    } else {
      status = batch.Put(family, pending, entry.SerializeAsString());
    }
  }
  SENTINEL_RETURN_IF_ERROR(
      FromRocksStatus(status, "ledger store: staging account kinds"));
  return CommitPermissive(batch, audit);
}

absl::StatusOr<std::optional<v1::AccountKindEntry>>
RocksDbLedgerStore::PendingAccountKind(absl::string_view account) const {
  absl::StatusOr<std::string> stored =
      database_.Get(kLedgerFamily, PendingAccountKindKey(account));
  if (absl::IsNotFound(stored.status())) return std::nullopt;
  if (!stored.ok()) return stored.status();
  return ParseStoredMessage<v1::AccountKindEntry>(
      *stored, "ledger store: a pending account kind");
}

absl::Status RocksDbLedgerStore::ApproveAccountKinds(
    const std::vector<v1::AccountKindEntry>& entries,
    const v1::AuditEntry& audit) {
  rocksdb::WriteBatch batch;
  rocksdb::ColumnFamilyHandle* family = database_.Family(kLedgerFamily);
  rocksdb::Status status;
  for (const v1::AccountKindEntry& entry : entries) {
    if (!status.ok()) break;
    status = batch.Put(family, AccountKindKey(entry.account_id()),
                       entry.SerializeAsString());
    if (status.ok()) {
      status = batch.Delete(family, PendingAccountKindKey(entry.account_id()));
    }
  }
  SENTINEL_RETURN_IF_ERROR(
      FromRocksStatus(status, "ledger store: staging approved account kinds"));
  return CommitPermissive(batch, audit);
}

absl::StatusOr<std::vector<v1::AccountKindEntry>>
RocksDbLedgerStore::ListAccountKinds(v1::AccountKind kind, bool pending,
                                     absl::string_view after_account,
                                     size_t limit) const {
  const absl::string_view prefix =
      pending ? kPendingAccountKindPrefix : kAccountKindPrefix;
  std::vector<v1::AccountKindEntry> entries;
  std::unique_ptr<rocksdb::Iterator> it = database_.NewIterator(kLedgerFamily);
  // The key of after_account itself is skipped below; an empty one means
  // the first page.
  for (it->Seek(ToSlice(absl::StrCat(prefix, after_account)));
       it->Valid() && entries.size() < limit &&
       absl::StartsWith(ToView(it->key()), prefix);
       it->Next()) {
    SENTINEL_ASSIGN_OR_RETURN(
        v1::AccountKindEntry entry,
        ParseStoredMessage<v1::AccountKindEntry>(
            ToView(it->value()), "ledger store: an account kind"));
    if (entry.account_id() == after_account) continue;
    if (kind != v1::ACCOUNT_KIND_UNSPECIFIED && entry.kind() != kind) continue;
    entries.push_back(std::move(entry));
  }
  SENTINEL_RETURN_IF_ERROR(
      FromRocksStatus(it->status(), "ledger store: listing account kinds"));
  return entries;
}

absl::Status RocksDbLedgerStore::RecordAccess(const v1::AuditEntry& entry) {
  rocksdb::WriteBatch no_changes;
  return CommitPermissive(no_changes, entry);
}

absl::Status RocksDbLedgerStore::CommitPermissive(rocksdb::WriteBatch& batch,
                                                  const v1::AuditEntry& audit) {
  return audit_
      .CommitWithAudit(batch, audit, audit::CommitUrgency::kNormal,
                       audit::AuditRule::kPermissive)
      .status();
}

std::unique_ptr<LedgerView> RocksDbLedgerStore::OpenView() const {
  return std::make_unique<RocksDbLedgerView>(database_);
}

}  // namespace sentinel::trace
