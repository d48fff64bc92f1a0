#include "incident/rocksdb_incident_store.h"

#include <algorithm>
#include <memory>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/key_codec.h"
#include "common/numbered_records.h"
#include "common/rocksdb_slices.h"
#include "common/rocksdb_status.h"
#include "common/status_macros.h"
#include "incident/evidence.h"
#include "incident/incident_validation.h"
#include "rocksdb/write_batch.h"

namespace sentinel::incident {
namespace {

constexpr absl::string_view kIncidentPrefix = "i";
constexpr absl::string_view kKeyPrefix = "k/";
constexpr absl::string_view kEventPrefix = "v";
// The end of the last incident number lease, as an 8-byte number key.
constexpr absl::string_view kLeasePrefix = "n";

std::string EvidencePartPrefix(absl::string_view address) {
  return absl::StrCat("e/", address, "/");
}

std::string EnumPrefix(absl::string_view index, int value) {
  std::string prefix(index);
  prefix.push_back(static_cast<char>(value));
  return prefix;
}

std::string StringPrefix(absl::string_view index, absl::string_view value) {
  return absl::StrCat(index, value, absl::string_view("\0", 1));
}

uint64_t NumberOf(const v1::Incident& incident) {
  return ParseIncidentId(incident.incident_id()).value_or(0);
}

// The listing index keys of one stored version of an incident.
std::set<std::string> IndexKeys(const v1::Incident& incident) {
  const uint64_t number = NumberOf(incident);
  std::set<std::string> keys = {
      KeyWithNumber(EnumPrefix("xs", incident.status()), number),
      KeyWithNumber(EnumPrefix("xp", incident.priority()), number),
      KeyWithNumber(StringPrefix("xa/", incident.account_id()), number)};
  if (!incident.assignee().empty()) {
    keys.insert(
        KeyWithNumber(StringPrefix("xg/", incident.assignee()), number));
  }
  return keys;
}

// The most selective index the filter names.
std::string IndexPrefixFor(const IncidentFilter& filter) {
  if (!filter.account_id.empty()) return StringPrefix("xa/", filter.account_id);
  if (!filter.assignee.empty()) return StringPrefix("xg/", filter.assignee);
  if (filter.status != v1::INCIDENT_STATUS_UNSPECIFIED) {
    return EnumPrefix("xs", filter.status);
  }
  if (filter.priority != v1::PRIORITY_UNSPECIFIED) {
    return EnumPrefix("xp", filter.priority);
  }
  return std::string(kIncidentPrefix);
}

bool Matches(const v1::Incident& incident, const IncidentFilter& filter) {
  return (filter.status == v1::INCIDENT_STATUS_UNSPECIFIED ||
          incident.status() == filter.status) &&
         (filter.priority == v1::PRIORITY_UNSPECIFIED ||
          incident.priority() == filter.priority) &&
         (filter.account_id.empty() ||
          incident.account_id() == filter.account_id) &&
         (filter.assignee.empty() || incident.assignee() == filter.assignee);
}

// The end of the recorded number lease; 0 when none.
absl::StatusOr<uint64_t> LeasedThrough(const RocksDatabase& database) {
  return LastNumberUnder(database, kIncidentFamily, kLeasePrefix,
                         "incident store: number lease");
}

absl::StatusOr<v1::Incident> Parse(absl::string_view bytes) {
  return ParseStoredMessage<v1::Incident>(bytes, "incident store");
}

}  // namespace

RocksDbIncidentStore::RocksDbIncidentStore(RocksDatabase& database,
                                           audit::AuditSink& audit)
    : database_(database), audit_(audit) {}

absl::Status RocksDbIncidentStore::Commit(const IncidentChange& change) {
  rocksdb::ColumnFamilyHandle* family = database_.Family(kIncidentFamily);
  rocksdb::WriteBatch batch;
  rocksdb::Status status =
      batch.Put(family, KeyWithNumber(kIncidentPrefix, NumberOf(change.after)),
                change.after.SerializeAsString());
  const std::set<std::string> after_keys = IndexKeys(change.after);
  if (change.before.has_value()) {
    for (const std::string& key : IndexKeys(*change.before)) {
      if (status.ok() && !after_keys.count(key))
        status = batch.Delete(family, key);
    }
  }
  for (const std::string& key : after_keys) {
    if (status.ok()) status = batch.Put(family, key, "");
  }
  if (status.ok() && !change.idempotency_key.empty()) {
    status = batch.Put(family, absl::StrCat(kKeyPrefix, change.idempotency_key),
                       change.after.incident_id());
  }
  if (status.ok()) {
    status =
        batch.Put(family, KeyWithNumber(kEventPrefix, change.event.version()),
                  change.event.SerializeAsString());
  }
  if (change.evidence.has_value()) {
    const std::string prefix = EvidencePartPrefix(change.evidence->address);
    absl::string_view rest = change.evidence->data;
    for (uint64_t part = 0; status.ok() && !rest.empty(); ++part) {
      const absl::string_view bytes = rest.substr(0, kMaxEvidenceChunkBytes);
      rest.remove_prefix(bytes.size());
      status = batch.Put(family, KeyWithNumber(prefix, part), ToSlice(bytes));
    }
  }
  SENTINEL_RETURN_IF_ERROR(FromRocksStatus(status, "incident store: staging"));
  return audit_
      .CommitWithAudit(batch, change.audit,
                       change.urgent ? audit::CommitUrgency::kUrgent
                                     : audit::CommitUrgency::kNormal,
                       audit::AuditRule::kProtective)
      .status();
}

absl::Status RocksDbIncidentStore::RecordAccess(const v1::AuditEntry& entry) {
  rocksdb::WriteBatch no_changes;
  return audit_
      .CommitWithAudit(no_changes, entry, audit::CommitUrgency::kNormal,
                       audit::AuditRule::kPermissive)
      .status();
}

absl::StatusOr<std::optional<v1::Incident>> RocksDbIncidentStore::Find(
    absl::string_view incident_id) const {
  const std::optional<uint64_t> number = ParseIncidentId(incident_id);
  if (!number.has_value()) return std::optional<v1::Incident>();
  absl::StatusOr<std::string> bytes =
      database_.Get(kIncidentFamily, KeyWithNumber(kIncidentPrefix, *number));
  if (absl::IsNotFound(bytes.status())) return std::optional<v1::Incident>();
  if (!bytes.ok()) return bytes.status();
  SENTINEL_ASSIGN_OR_RETURN(v1::Incident incident, Parse(*bytes));
  return std::optional<v1::Incident>(std::move(incident));
}

absl::StatusOr<std::optional<std::string>>
RocksDbIncidentStore::FindIdempotencyKey(absl::string_view key) const {
  absl::StatusOr<std::string> id =
      database_.Get(kIncidentFamily, absl::StrCat(kKeyPrefix, key));
  if (absl::IsNotFound(id.status())) return std::optional<std::string>();
  if (!id.ok()) return id.status();
  return std::optional<std::string>(*std::move(id));
}

absl::StatusOr<std::vector<v1::Incident>> RocksDbIncidentStore::List(
    const IncidentFilter& filter, uint64_t before_number, size_t limit,
    size_t scan_budget, uint64_t* next_number) const {
  *next_number = 0;
  std::vector<v1::Incident> page;
  const std::string prefix = IndexPrefixFor(filter);
  const bool primary = prefix == kIncidentPrefix;
  std::unique_ptr<rocksdb::Iterator> it =
      database_.NewIterator(kIncidentFamily);
  const uint64_t start = before_number == 0 ? UINT64_MAX : before_number - 1;
  size_t scanned = 0;
  for (it->SeekForPrev(ToSlice(KeyWithNumber(prefix, start))); it->Valid();
       it->Prev()) {
    const std::optional<uint64_t> number =
        NumberFromKey(prefix, ToView(it->key()));
    if (!number.has_value()) break;
    if (page.size() == limit || scanned == scan_budget) {
      *next_number = *number + 1;
      break;
    }
    ++scanned;
    v1::Incident incident;
    if (primary) {
      SENTINEL_ASSIGN_OR_RETURN(incident, Parse(ToView(it->value())));
    } else {
      SENTINEL_ASSIGN_OR_RETURN(std::optional<v1::Incident> found,
                                Find(IncidentId(*number)));
      if (!found.has_value()) continue;
      incident = *std::move(found);
    }
    if (Matches(incident, filter)) page.push_back(std::move(incident));
  }
  SENTINEL_RETURN_IF_ERROR(FromRocksStatus(it->status(), "incident listing"));
  return page;
}

absl::Status RocksDbIncidentStore::ForEachOpen(
    const std::function<void(v1::Incident)>& visit) const {
  for (v1::IncidentStatus status :
       {v1::INCIDENT_STATUS_NEW, v1::INCIDENT_STATUS_ACKNOWLEDGED,
        v1::INCIDENT_STATUS_INVESTIGATING,
        v1::INCIDENT_STATUS_WAITING_ON_USER}) {
    const std::string prefix = EnumPrefix("xs", status);
    std::unique_ptr<rocksdb::Iterator> it =
        database_.NewIterator(kIncidentFamily);
    for (it->Seek(ToSlice(prefix));
         it->Valid() && absl::StartsWith(ToView(it->key()), prefix);
         it->Next()) {
      const std::optional<uint64_t> number =
          NumberFromKey(prefix, ToView(it->key()));
      if (!number.has_value()) continue;
      SENTINEL_ASSIGN_OR_RETURN(std::optional<v1::Incident> incident,
                                Find(IncidentId(*number)));
      if (incident.has_value()) visit(*std::move(incident));
    }
    SENTINEL_RETURN_IF_ERROR(
        FromRocksStatus(it->status(), "loading incidents"));
  }
  return absl::OkStatus();
}

absl::Status RocksDbIncidentStore::LeaseNumbers(uint64_t through) {
  SENTINEL_ASSIGN_OR_RETURN(const uint64_t leased, LeasedThrough(database_));
  if (through <= leased) return absl::OkStatus();
  rocksdb::WriteBatch batch;
  rocksdb::ColumnFamilyHandle* family = database_.Family(kIncidentFamily);
  rocksdb::Status status =
      batch.Put(family, KeyWithNumber(kLeasePrefix, through), "");
  if (status.ok()) {
    status = batch.Delete(family, KeyWithNumber(kLeasePrefix, leased));
  }
  SENTINEL_RETURN_IF_ERROR(
      FromRocksStatus(status, "incident store: number lease"));
  return database_.WriteDurably(batch);
}

absl::StatusOr<uint64_t> RocksDbIncidentStore::LastNumber() const {
  SENTINEL_ASSIGN_OR_RETURN(const uint64_t stored,
                            LastNumberUnder(database_, kIncidentFamily,
                                            kIncidentPrefix, "incident store"));
  SENTINEL_ASSIGN_OR_RETURN(const uint64_t leased, LeasedThrough(database_));
  return std::max(stored, leased);
}

absl::StatusOr<std::vector<v1::IncidentEvent>> RocksDbIncidentStore::ReadEvents(
    uint64_t after_version, size_t max) const {
  return ReadNumberedMessages<v1::IncidentEvent>(
      database_, kIncidentFamily, kEventPrefix, after_version, max,
      "incident store: change log");
}

absl::StatusOr<uint64_t> RocksDbIncidentStore::LastEventVersion() const {
  return LastNumberUnder(database_, kIncidentFamily, kEventPrefix,
                         "incident store: change log");
}

absl::StatusOr<std::string> RocksDbIncidentStore::ReadEvidencePart(
    absl::string_view address, uint64_t part) const {
  absl::StatusOr<std::string> bytes = database_.Get(
      kIncidentFamily, KeyWithNumber(EvidencePartPrefix(address), part));
  if (absl::IsNotFound(bytes.status())) {
    return absl::NotFoundError(
        absl::StrCat("evidence ", address, " has no part ", part));
  }
  return bytes;
}

}  // namespace sentinel::incident
