#include "audit/audit_inbox.h"

#include <algorithm>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "audit/sha256.h"
#include "common/rocksdb_slices.h"
#include "common/rocksdb_status.h"
#include "common/status_macros.h"
#include "common/time_util.h"

namespace sentinel::audit {
namespace {

// The earliest time a google.protobuf.Timestamp can hold (0001-01-01).
constexpr int64_t kEarliestUnixSeconds = -62135596800;

// "d/<caller> <origin>" -> the highest outbox position stored, decimal.
std::string DeliveredKey(const std::string& caller, const std::string& origin) {
  return absl::StrCat("d/", caller, " ", origin);
}

// "r/<caller> <key>" -> the recorded entry's seq, decimal.
std::string RecordedKey(const std::string& caller, const std::string& key) {
  return absl::StrCat("r/", caller, " ", key);
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

// Sets what the audit service decides about a peer's entry: its time is
// `now`; the sender's time moves to origin_time, never later than `now`.
void SetServerFields(v1::AuditEntry& entry, absl::Time now) {
  entry.clear_seq();
  entry.clear_leaf_hash();
  entry.clear_stored_bytes();
  entry.clear_origin();
  entry.clear_origin_seq();
  entry.clear_origin_time();
  if (entry.has_time()) {
    const absl::Time claimed =
        std::clamp(FromProtoTime(entry.time()),
                   absl::FromUnixSeconds(kEarliestUnixSeconds), now);
    *entry.mutable_origin_time() = ToProtoTime(claimed);
  }
  *entry.mutable_time() = ToProtoTime(now);
}

// What stands in the log for a delivered record refused as malformed.
v1::AuditEntry RefusalEntry(const std::string& caller,
                            const std::string& origin, uint64_t outbox_seq,
                            const v1::AuditEntry& refused,
                            const absl::Status& why, absl::Time now,
                            std::string* log_line) {
  const std::string bytes = refused.SerializeAsString();
  const std::string digest = absl::BytesToHexString(Sha256({bytes}));
  v1::AuditEntry entry;
  *entry.mutable_time() = ToProtoTime(now);
  entry.set_principal(caller);
  entry.set_action("AuditService.DeliverAudit");
  // Findable by the account or incident it was about, when those are sane.
  if (refused.subject().account_id().size() <= kMaxActionBytes &&
      refused.subject().incident_id().size() <= kMaxActionBytes) {
    *entry.mutable_subject() = refused.subject();
  }
  entry.mutable_outcome()->set_code(static_cast<int32_t>(why.code()));
  entry.mutable_outcome()->set_message(std::string(why.message()));
  // origin is [a-z0-9-]: nothing here needs escaping.
  entry.set_parameters(absl::StrCat("{\"refused_record\":{\"origin\":\"",
                                    origin, "\",\"outbox_seq\":\"", outbox_seq,
                                    "\",\"sha256\":\"", digest,
                                    "\",\"bytes\":\"", bytes.size(), "\"}}"));
  entry.set_origin(origin);
  entry.set_origin_seq(outbox_seq);
  *log_line = absl::StrCat("event=audit_record_refused caller=", caller,
                           " origin=", origin, " outbox_seq=", outbox_seq,
                           " sha256=", digest, " bytes=", bytes.size(),
                           " reason=\"", why.message(), "\"");
  return entry;
}

}  // namespace

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

AuditInbox::AuditInbox(RocksDatabase& database, MerkleAuditLog& log,
                       const Clock& clock,
                       std::function<void(const std::string&)> log_line)
    : database_(database),
      log_(log),
      clock_(clock),
      log_line_(std::move(log_line)) {}

absl::StatusOr<uint64_t> AuditInbox::Deliver(
    const std::string& caller, const std::string& origin,
    std::vector<v1::OutboxRecord> records) {
  SENTINEL_RETURN_IF_ERROR(ValidateOrigin(origin));
  if (records.empty() || records.size() > kMaxDeliveredRecords) {
    return absl::InvalidArgumentError(absl::StrCat(
        "records: must hold 1..", kMaxDeliveredRecords, " records"));
  }
  if (records.front().outbox_seq() == 0) {
    return absl::InvalidArgumentError("records[0].outbox_seq: must be above 0");
  }
  for (size_t i = 1; i < records.size(); ++i) {
    if (records[i - 1].outbox_seq() == UINT64_MAX ||
        records[i].outbox_seq() != records[i - 1].outbox_seq() + 1) {
      return absl::InvalidArgumentError(
          absl::StrCat("records[", i,
                       "].outbox_seq: must be one more than the record "
                       "before (positions are consecutive)"));
    }
  }

  const std::string mark_key = DeliveredKey(caller, origin);
  absl::MutexLock lock(&deliver_mu_);
  SENTINEL_ASSIGN_OR_RETURN(const uint64_t delivered,
                            StoredNumber(database_, mark_key));
  const uint64_t first = records.front().outbox_seq();
  if (first > delivered + 1) {
    return absl::FailedPreconditionError(
        absl::StrCat("records[0].outbox_seq: ", first,
                     " skips positions: this origin is delivered through ",
                     delivered, ", so the next record is ", delivered + 1));
  }
  const uint64_t through = records.back().outbox_seq();
  if (through <= delivered) return delivered;  // all redeliveries
  const absl::Time now = clock_.Now();
  std::vector<v1::AuditEntry> entries;
  std::vector<std::string> refusals;
  for (size_t i = 0; i < records.size(); ++i) {
    v1::OutboxRecord& record = records[i];
    if (record.outbox_seq() <= delivered) continue;  // a redelivery
    const absl::Status valid =
        ValidateEntry(record.entry(), absl::StrCat("records[", i, "].entry"));
    if (!valid.ok()) {
      entries.push_back(RefusalEntry(caller, origin, record.outbox_seq(),
                                     record.entry(), valid, now,
                                     &refusals.emplace_back()));
      continue;
    }
    v1::AuditEntry& entry =
        entries.emplace_back(std::move(*record.mutable_entry()));
    SetServerFields(entry, now);
    entry.set_origin(origin);
    entry.set_origin_seq(record.outbox_seq());
  }
  rocksdb::WriteBatch mark;
  SENTINEL_RETURN_IF_ERROR(
      FromRocksStatus(mark.Put(database_.Family(kInboxFamily),
                               ToSlice(mark_key), absl::StrCat(through)),
                      "audit inbox: staging a delivery mark"));
  SENTINEL_RETURN_IF_ERROR(log_.CommitEntriesWithAudit(mark, std::move(entries),
                                                       CommitUrgency::kNormal)
                               .status());
  // Only now: a failed write is retried by the sender, and must neither
  // count nor log the refusal twice.
  for (const std::string& line : refusals) {
    refused_records_.fetch_add(1);
    if (log_line_) log_line_(line);
  }
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
  SetServerFields(entry, clock_.Now());
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
