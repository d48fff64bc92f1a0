#include "audit/audit_inbox.h"

#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/rocksdb_slices.h"
#include "common/rocksdb_status.h"
#include "common/status_macros.h"

namespace sentinel::audit {
namespace {

// "d/<caller> <origin>" -> the highest outbox position stored, decimal.
std::string DeliveredKey(const std::string& caller, const std::string& origin) {
  return absl::StrCat("d/", caller, " ", origin);
}

// "r/<caller> <key>" -> the recorded entry's seq, decimal.
std::string RecordedKey(const std::string& caller, const std::string& key) {
  return absl::StrCat("r/", caller, " ", key);
}

absl::Status ValidateOrigin(const std::string& origin) {
  if (origin.empty() || origin.size() > kMaxOriginBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("origin: must be 1..", kMaxOriginBytes, " bytes"));
  }
  for (char c : origin) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
      return absl::InvalidArgumentError(
          "origin: only lower-case letters, digits and '-' are allowed");
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateEntry(const v1::AuditEntry& entry,
                           const std::string& field) {
  if (entry.action().empty() || entry.action().size() > kMaxActionBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ".action: must be 1..", kMaxActionBytes, " bytes"));
  }
  if (entry.ByteSizeLong() > kMaxPeerEntryBytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": is over the limit of ", kMaxPeerEntryBytes, " bytes"));
  }
  return absl::OkStatus();
}

// The decimal number stored under `key`; 0 when absent.
absl::StatusOr<uint64_t> StoredNumber(const RocksDatabase& database,
                                      const std::string& key) {
  absl::StatusOr<std::string> value = database.Get(kInboxFamily, key);
  if (absl::IsNotFound(value.status())) return 0;
  if (!value.ok()) return value.status();
  uint64_t number = 0;
  if (!absl::SimpleAtoi(*value, &number)) {
    return absl::DataLossError(
        absl::StrCat("audit inbox: the value of ", key, " is not a number"));
  }
  return number;
}

// Clears what the audit log sets itself.
void ClearServerFields(v1::AuditEntry& entry) {
  entry.clear_seq();
  entry.clear_leaf_hash();
  entry.clear_stored_bytes();
  entry.clear_origin();
  entry.clear_origin_seq();
}

}  // namespace

AuditInbox::AuditInbox(RocksDatabase& database, MerkleAuditLog& log)
    : database_(database), log_(log) {}

absl::StatusOr<uint64_t> AuditInbox::Deliver(
    const std::string& caller, const std::string& origin,
    std::vector<v1::OutboxRecord> records) {
  SENTINEL_RETURN_IF_ERROR(ValidateOrigin(origin));
  if (records.empty() || records.size() > kMaxDeliveredRecords) {
    return absl::InvalidArgumentError(absl::StrCat(
        "records: must hold 1..", kMaxDeliveredRecords, " records"));
  }
  uint64_t previous = 0;
  for (size_t i = 0; i < records.size(); ++i) {
    const std::string field = absl::StrCat("records[", i, "]");
    if (records[i].outbox_seq() <= previous) {
      return absl::InvalidArgumentError(absl::StrCat(
          field, ".outbox_seq: must be above 0 and above the record before"));
    }
    previous = records[i].outbox_seq();
    SENTINEL_RETURN_IF_ERROR(
        ValidateEntry(records[i].entry(), absl::StrCat(field, ".entry")));
  }

  const std::string mark_key = DeliveredKey(caller, origin);
  absl::MutexLock lock(&deliver_mu_);
  SENTINEL_ASSIGN_OR_RETURN(const uint64_t delivered,
                            StoredNumber(database_, mark_key));
  std::vector<v1::AuditEntry> entries;
  for (v1::OutboxRecord& record : records) {
    if (record.outbox_seq() <= delivered) continue;  // a redelivery
    v1::AuditEntry& entry =
        entries.emplace_back(std::move(*record.mutable_entry()));
    ClearServerFields(entry);
    entry.set_origin(origin);
    entry.set_origin_seq(record.outbox_seq());
  }
  if (entries.empty()) return delivered;
  const uint64_t through = previous;
  rocksdb::WriteBatch mark;
  SENTINEL_RETURN_IF_ERROR(
      FromRocksStatus(mark.Put(database_.Family(kInboxFamily),
                               ToSlice(mark_key), absl::StrCat(through)),
                      "audit inbox: staging a delivery mark"));
  SENTINEL_RETURN_IF_ERROR(log_.CommitEntriesWithAudit(mark, std::move(entries),
                                                       CommitUrgency::kNormal)
                               .status());
  return through;
}

absl::Status AuditInbox::Record(const std::string& caller,
                                const std::string& idempotency_key,
                                v1::AuditEntry entry) {
  if (idempotency_key.size() < kMinIdempotencyKeyBytes ||
      idempotency_key.size() > kMaxIdempotencyKeyBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("idempotency_key: must be ", kMinIdempotencyKeyBytes, "..",
                     kMaxIdempotencyKeyBytes, " bytes"));
  }
  SENTINEL_RETURN_IF_ERROR(ValidateEntry(entry, "entry"));
  ClearServerFields(entry);
  const std::string key = RecordedKey(caller, idempotency_key);
  {
    // One recording per key at a time: a retry waits for the first attempt.
    absl::MutexLock lock(&mu_);
    const auto free = [this, &key]() ABSL_NO_THREAD_SAFETY_ANALYSIS {
      return !recording_.contains(key);
    };
    mu_.Await(absl::Condition(&free));
    recording_.insert(key);
  }
  const auto record = [&]() -> absl::Status {
    absl::StatusOr<std::string> seen = database_.Get(kInboxFamily, key);
    if (seen.ok()) return absl::OkStatus();  // a repeat
    if (!absl::IsNotFound(seen.status())) return seen.status();
    rocksdb::WriteBatch mark;
    SENTINEL_RETURN_IF_ERROR(
        FromRocksStatus(mark.Put(database_.Family(kInboxFamily), ToSlice(key),
                                 rocksdb::Slice()),
                        "audit inbox: staging a recorded key"));
    return log_
        .CommitWithAudit(mark, std::move(entry), CommitUrgency::kNormal,
                         AuditRule::kPermissive)
        .status();
  };
  absl::Status status = record();
  absl::MutexLock lock(&mu_);
  recording_.erase(key);
  return status;
}

}  // namespace sentinel::audit
