#include "trace/rocksdb_ledger_store.h"

#include <memory>
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
#include "google/protobuf/util/message_differencer.h"
#include "rocksdb/write_batch.h"
#include "trace/ingest_summary.h"
#include "trace/ledger_keys.h"
#include "trace/ledger_position.h"
#include "trace/ledger_validation.h"
#include "trace/rocksdb_balance_index.h"
#include "trace/rocksdb_ledger_view.h"

namespace sentinel::trace {
namespace {

using Disposition = IngestOutcome::Disposition;

// (account, asset) groups whose last balance entry is remembered: about
// 40 MB at most.
constexpr size_t kMaxBalanceTails = 250000;

bool SameEvent(const v1::LedgerEvent& a, const v1::LedgerEvent& b) {
  return google::protobuf::util::MessageDifferencer::Equals(a, b);
}

IngestOutcome Rejected(std::string reason) {
  return {Disposition::kRejected, std::move(reason)};
}

// The stored events for `ids`, by id (absent ids are left out).
absl::StatusOr<absl::flat_hash_map<std::string, v1::LedgerEvent>>
FindStoredEvents(const RocksDatabase& database,
                 const std::vector<std::string>& ids) {
  absl::flat_hash_map<std::string, v1::LedgerEvent> found;
  if (ids.empty()) return found;
  std::vector<std::string> keys;
  keys.reserve(ids.size());
  for (const std::string& id : ids) keys.push_back(EventKey(id));
  std::vector<rocksdb::Slice> slices(keys.begin(), keys.end());
  std::vector<rocksdb::PinnableSlice> values(keys.size());
  std::vector<rocksdb::Status> statuses(keys.size());
  database.db().MultiGet(rocksdb::ReadOptions(), database.Family(kLedgerFamily),
                         slices.size(), slices.data(), values.data(),
                         statuses.data());
  for (size_t i = 0; i < ids.size(); ++i) {
    if (statuses[i].IsNotFound()) continue;
    SENTINEL_RETURN_IF_ERROR(
        FromRocksStatus(statuses[i], "ledger store: reading event ids"));
    SENTINEL_ASSIGN_OR_RETURN(v1::LedgerEvent event,
                              ParseStoredMessage<v1::LedgerEvent>(
                                  ToView(values[i]), "ledger store: an event"));
    found.emplace(ids[i], std::move(event));
  }
  return found;
}

// Puts every key of one accepted event except its balance entries.
rocksdb::Status StageEvent(rocksdb::WriteBatch& batch,
                           rocksdb::ColumnFamilyHandle* family,
                           const v1::LedgerEvent& event) {
  const std::string bytes = event.SerializeAsString();
  const LedgerPosition position = PositionOf(event);
  rocksdb::Status status = batch.Put(family, EventKey(event.event_id()), bytes);
  for (const std::string* account :
       {&event.from_account(), &event.to_account()}) {
    if (status.ok() && !account->empty()) {
      status = batch.Put(family, AccountEventKey(*account, position), bytes);
    }
  }
  if (status.ok() && !event.external_address().empty()) {
    status = batch.Put(
        family, AddressEventKey(event.external_address(), position), bytes);
  }
  return status;
}

}  // namespace

RocksDbLedgerStore::RocksDbLedgerStore(RocksDatabase& database,
                                       audit::AuditSink& audit)
    : database_(database), audit_(audit), tails_(kMaxBalanceTails) {}

absl::StatusOr<std::vector<IngestOutcome>> RocksDbLedgerStore::Ingest(
    absl::Span<const v1::LedgerEvent> events, absl::Time now,
    absl::Duration max_future_skew, const IngestAuditEntry& audit_entry) {
  std::vector<IngestOutcome> outcomes(events.size());
  std::vector<std::string> valid_ids;
  for (size_t i = 0; i < events.size(); ++i) {
    absl::Status valid = ValidateLedgerEvent(events[i], now, max_future_skew);
    if (valid.ok()) {
      valid_ids.push_back(events[i].event_id());
    } else {
      outcomes[i] = Rejected(std::string(valid.message()));
    }
  }

  absl::MutexLock lock(&mu_);
  SENTINEL_ASSIGN_OR_RETURN(auto stored,
                            FindStoredEvents(database_, valid_ids));
  // Accepted events by id, to judge later events of the batch with that id.
  absl::flat_hash_map<absl::string_view, const v1::LedgerEvent*> accepted_ids;
  std::vector<const v1::LedgerEvent*> accepted;
  for (size_t i = 0; i < events.size(); ++i) {
    if (outcomes[i].disposition == Disposition::kRejected) continue;
    const v1::LedgerEvent& event = events[i];
    if (auto it = stored.find(event.event_id()); it != stored.end()) {
      if (!SameEvent(it->second, event)) {
        outcomes[i] = Rejected(
            "event_id: already stored for an event with different content");
      } else {
        outcomes[i].disposition = Disposition::kDuplicate;
      }
    } else if (auto it = accepted_ids.find(event.event_id());
               it != accepted_ids.end()) {
      if (!SameEvent(*it->second, event)) {
        outcomes[i] = Rejected(
            "event_id: used earlier in the stream for an event with "
            "different content");
      } else {
        outcomes[i].disposition = Disposition::kDuplicate;
      }
    } else {
      accepted_ids.emplace(event.event_id(), &event);
      accepted.push_back(&event);
    }
  }
  if (accepted.empty()) return outcomes;

  rocksdb::WriteBatch batch;
  rocksdb::ColumnFamilyHandle* family = database_.Family(kLedgerFamily);
  for (const v1::LedgerEvent* event : accepted) {
    SENTINEL_RETURN_IF_ERROR(FromRocksStatus(StageEvent(batch, family, *event),
                                             "ledger store: staging events"));
  }
  SENTINEL_ASSIGN_OR_RETURN(
      BalanceTails::Updates tails,
      StageBalanceEntries(database_, tails_, accepted, batch));
  v1::IngestSummary summary;
  AddToSummary(events, outcomes, 0, summary);
  SENTINEL_ASSIGN_OR_RETURN(v1::AuditEntry entry, audit_entry(summary));
  SENTINEL_RETURN_IF_ERROR(audit_
                               .CommitWithAudit(batch, std::move(entry),
                                                audit::CommitUrgency::kNormal)
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
    const std::string key = AccountKindKey(entry.account_id());
    if (!status.ok()) break;
    status = entry.kind() == v1::ACCOUNT_KIND_USER
                 ? batch.Delete(family, key)
                 : batch.Put(family, key, entry.SerializeAsString());
  }
  SENTINEL_RETURN_IF_ERROR(
      FromRocksStatus(status, "ledger store: staging account kinds"));
  return audit_.CommitWithAudit(batch, audit, audit::CommitUrgency::kNormal)
      .status();
}

absl::StatusOr<std::vector<v1::AccountKindEntry>>
RocksDbLedgerStore::ListAccountKinds(v1::AccountKind kind,
                                     absl::string_view after_account,
                                     size_t limit) const {
  std::vector<v1::AccountKindEntry> entries;
  std::unique_ptr<rocksdb::Iterator> it = database_.NewIterator(kLedgerFamily);
  // The key of after_account itself is skipped below; an empty one means
  // the first page.
  for (it->Seek(ToSlice(AccountKindKey(after_account)));
       it->Valid() && entries.size() < limit &&
       absl::StartsWith(ToView(it->key()), kAccountKindPrefix);
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
  return audit_
      .CommitWithAudit(no_changes, entry, audit::CommitUrgency::kNormal)
      .status();
}

std::unique_ptr<LedgerView> RocksDbLedgerStore::OpenView() const {
  return std::make_unique<RocksDbLedgerView>(database_);
}

}  // namespace sentinel::trace
