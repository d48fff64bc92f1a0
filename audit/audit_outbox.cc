#include "audit/audit_outbox.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "audit/audit_entries.h"
#include "audit/audit_inbox.h"
#include "audit/replay_into.h"
#include "common/key_codec.h"
#include "common/numbered_records.h"
#include "common/random_key.h"
#include "common/rocksdb_slices.h"
#include "common/rocksdb_status.h"
#include "common/status_macros.h"

namespace sentinel::audit {
namespace {

// "o" + 8-byte big-endian position -> the serialized AuditEntry.
constexpr char kRecordPrefix[] = "o";
// -> the highest position the audit service has confirmed, decimal. Written
// without waiting for the disk, in the same write as the deletes of the
// records it covers: when both are lost, the records are sent again and the
// audit service skips them.
constexpr char kDeliveredKey[] = "m";
// A record's framing inside DeliverAuditRequest: a tag and a length.
constexpr size_t kRecordFramingBytes = 6;

absl::StatusOr<uint64_t> StoredDeliveredMark(const RocksDatabase& database) {
  absl::StatusOr<std::string> value =
      database.Get(kOutboxFamily, kDeliveredKey);
  if (absl::IsNotFound(value.status())) return 0;
  if (!value.ok()) return value.status();
  uint64_t mark = 0;
  if (!absl::SimpleAtoi(*value, &mark)) {
    return absl::DataLossError("audit outbox: the delivered mark is corrupt");
  }
  return mark;
}

// What fills a position that an outbox written before positions were
// gap-free skipped.
v1::AuditEntry UnusedPositionEntry(const std::string& origin, uint64_t seq) {
  v1::AuditEntry entry;
  entry.set_action("AuditOutbox.UnusedPosition");
  entry.mutable_outcome()->set_code(
      static_cast<int32_t>(absl::StatusCode::kAborted));
  entry.mutable_outcome()->set_message(absl::StrCat(
      "outbox position ", seq, " of ", origin,
      " was handed to a write that failed; nothing was committed under it"));
  return entry;
}

// Fills every position in (delivered, last] without a record, in one synced
// write; see AuditOutbox::Open.
absl::Status FillUnusedPositions(RocksDatabase& database,
                                 const std::string& origin, uint64_t delivered,
                                 uint64_t last) {
  rocksdb::WriteBatch fill;
  rocksdb::ColumnFamilyHandle* family = database.Family(kOutboxFamily);
  rocksdb::Status staged;
  uint64_t expected = delivered + 1;
  const auto fill_below = [&](uint64_t seq) {
    for (; expected < seq && staged.ok(); ++expected) {
      staged =
          fill.Put(family, ToSlice(KeyWithNumber(kRecordPrefix, expected)),
                   UnusedPositionEntry(origin, expected).SerializeAsString());
    }
  };
  std::unique_ptr<rocksdb::Iterator> it = database.NewIterator(kOutboxFamily);
  for (it->Seek(ToSlice(KeyWithNumber(kRecordPrefix, expected)));
       it->Valid() && staged.ok(); it->Next()) {
    const std::optional<uint64_t> seq =
        NumberFromKey(kRecordPrefix, ToView(it->key()));
    if (!seq.has_value()) break;
    fill_below(*seq);
    expected = *seq + 1;
  }
  SENTINEL_RETURN_IF_ERROR(FromRocksStatus(it->status(), "audit outbox"));
  it.reset();
  fill_below(last + 1);
  SENTINEL_RETURN_IF_ERROR(
      FromRocksStatus(staged, "audit outbox: staging unused positions"));
  if (fill.Count() == 0) return absl::OkStatus();
  return database.WriteDurably(fill);
}

}  // namespace

absl::StatusOr<std::unique_ptr<AuditOutbox>> AuditOutbox::Open(
    RocksDatabase& database, AuditPeer& peer, AuditOutboxOptions options) {
  if (absl::Status origin = ValidateOrigin(options.origin); !origin.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("audit outbox: ", origin.message()));
  }
  if (options.max_records_per_delivery < 1 ||
      options.max_records_per_delivery > kMaxDeliveredRecords) {
    return absl::InvalidArgumentError(
        absl::StrCat("audit outbox: max_records_per_delivery must be within "
                     "1..",
                     kMaxDeliveredRecords));
  }
  if (options.min_backoff <= absl::ZeroDuration() ||
      options.max_backoff < options.min_backoff) {
    return absl::InvalidArgumentError(
        "audit outbox: backoff must be positive, min <= max");
  }
  SENTINEL_ASSIGN_OR_RETURN(const uint64_t delivered,
                            StoredDeliveredMark(database));
  SENTINEL_ASSIGN_OR_RETURN(
      const uint64_t last_record,
      LastNumberUnder(database, kOutboxFamily, kRecordPrefix, "audit outbox"));
  SENTINEL_RETURN_IF_ERROR(
      FillUnusedPositions(database, options.origin, delivered, last_record));
  return std::unique_ptr<AuditOutbox>(
      new AuditOutbox(database, peer, std::move(options), delivered,
                      std::max(delivered, last_record)));
}

AuditOutbox::AuditOutbox(RocksDatabase& database, AuditPeer& peer,
                         AuditOutboxOptions options, uint64_t delivered_through,
                         uint64_t last_written)
    : database_(database),
      peer_(peer),
      options_(std::move(options)),
      next_seq_(last_written + 1),
      delivered_through_(delivered_through) {
  deliverer_ = std::thread([this] { DeliveryLoop(); });
}

AuditOutbox::~AuditOutbox() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  deliverer_.join();
}

absl::StatusOr<AuditReceipt> AuditOutbox::CommitWithAudit(
    rocksdb::WriteBatch& changes, v1::AuditEntry entry,
    CommitUrgency /*urgency*/, AuditRule rule) {
  return rule == AuditRule::kProtective ? CommitProtective(changes, entry)
                                        : CommitPermissive(changes, entry);
}

absl::StatusOr<AuditReceipt> AuditOutbox::CommitProtective(
    rocksdb::WriteBatch& changes, const v1::AuditEntry& entry) {
  Writer self{&changes, &entry};
  std::vector<Writer*> group;
  uint64_t first = 0;
  {
    absl::MutexLock lock(&mu_);
    waiting_.push_back(&self);
    const auto done_or_leading = [this,
                                  &self]() ABSL_NO_THREAD_SAFETY_ANALYSIS {
      return self.done ||
             (!committing_ && !waiting_.empty() && waiting_.front() == &self);
    };
    mu_.Await(absl::Condition(&done_or_leading));
    if (self.done) return std::move(self.result);
    // The leader: writes for everyone waiting. Positions are taken only
    // here, one group at a time, so they follow each other without gaps.
    group.assign(waiting_.begin(), waiting_.end());
    waiting_.clear();
    committing_ = true;
    first = next_seq_;
  }
  // Concurrent commits arriving now wait for the next group; they share its
  // fsync.
  const uint64_t used = WriteGroup(group, first);
  absl::MutexLock lock(&mu_);
  next_seq_ = first + used;
  for (Writer* writer : group) writer->done = true;
  committing_ = false;
  return std::move(self.result);
}

uint64_t AuditOutbox::WriteGroup(const std::vector<Writer*>& group,
                                 uint64_t first) {
  rocksdb::WriteBatch batch;
  rocksdb::ColumnFamilyHandle* family = database_.Family(kOutboxFamily);
  std::vector<Writer*> included;
  for (Writer* writer : group) {
    // A writer's changes and its record, or neither.
    batch.SetSavePoint();
    const uint64_t seq = first + included.size();
    ReplayInto replay(database_, batch);
    rocksdb::Status status = writer->changes->Iterate(&replay);
    if (status.ok()) {
      status = batch.Put(family, ToSlice(KeyWithNumber(kRecordPrefix, seq)),
                         writer->entry->SerializeAsString());
    }
    if (!status.ok()) {
      // Only this writer fails; the others still commit.
      batch.RollbackToSavePoint().PermitUncheckedError();
      writer->result =
          FromRocksStatus(status, "audit outbox: staging a change");
      continue;
    }
    batch.PopSavePoint().PermitUncheckedError();
    writer->result = AuditReceipt{seq, ""};
    included.push_back(writer);
  }
  if (included.empty()) return 0;
  // When this fails RocksDB stops taking writes (paranoid_checks: a failed
  // WAL write or sync is a background error), so the positions handed back
  // are reused only after a restart, and Open resumes after whatever
  // record did reach the disk.
  const absl::Status written = database_.WriteDurably(batch);
  if (!written.ok()) {
    for (Writer* writer : included) writer->result = written;
    return 0;
  }
  return included.size();
}

absl::StatusOr<AuditReceipt> AuditOutbox::CommitPermissive(
    rocksdb::WriteBatch& changes, const v1::AuditEntry& entry) {
  v1::AuditEntry bounded = entry;
  BoundEntry(bounded, kMaxPeerEntryBytes);
  absl::Status recorded = peer_.Record(bounded, RandomKey());
  if (!recorded.ok()) {
    return absl::UnavailableError(absl::StrCat(
        "the audit service could not record this action, so it was not "
        "done (permissive actions fail closed); retry when the audit service "
        "is back: ",
        recorded.message()));
  }
  if (changes.Count() > 0) {
    SENTINEL_RETURN_IF_ERROR(database_.WriteDurably(changes));
  }
  return AuditReceipt{};
}

uint64_t AuditOutbox::undelivered() const {
  absl::MutexLock lock(&mu_);
  return next_seq_ - 1 - delivered_through_;
}

absl::Status AuditOutbox::AwaitDelivered(absl::Duration timeout) const {
  absl::MutexLock lock(&mu_);
  const uint64_t target = next_seq_ - 1;
  const auto delivered = [this, target]() ABSL_NO_THREAD_SAFETY_ANALYSIS {
    return delivered_through_ >= target;
  };
  if (!mu_.AwaitWithTimeout(absl::Condition(&delivered), timeout)) {
    return absl::DeadlineExceededError(
        absl::StrCat("audit outbox: ", target - delivered_through_,
                     " records not yet delivered"));
  }
  return absl::OkStatus();
}

void AuditOutbox::DeliveryLoop() {
  absl::Duration backoff = options_.min_backoff;
  bool failing = false;
  while (true) {
    uint64_t through = 0;
    {
      absl::MutexLock lock(&mu_);
      const auto ready = [this]() ABSL_NO_THREAD_SAFETY_ANALYSIS {
        return stopping_ || next_seq_ - 1 > delivered_through_;
      };
      mu_.Await(absl::Condition(&ready));
      if (stopping_) return;
      through = next_seq_ - 1;
    }
    absl::StatusOr<uint64_t> delivered = DeliverUpTo(through);
    if (delivered.ok()) {
      if (failing) {
        Log(absl::StrCat("event=audit_delivery_resumed origin=",
                         options_.origin, " delivered_through=", *delivered));
      }
      failing = false;
      backoff = options_.min_backoff;
      absl::MutexLock lock(&mu_);
      delivered_through_ = std::max(delivered_through_, *delivered);
      continue;
    }
    // Whatever failed (the audit service unreachable, a deadline, a refusal
    // of the whole delivery), nothing is skipped: the same records are sent
    // again, from the oldest undelivered one.
    if (!failing) {
      Log(absl::StrCat("event=audit_delivery_failing origin=", options_.origin,
                       " error=\"", delivered.status().ToString(),
                       "\" (records stay in the outbox and are retried)"));
    }
    failing = true;
    absl::MutexLock lock(&mu_);
    const auto stopping = [this]() ABSL_NO_THREAD_SAFETY_ANALYSIS {
      return stopping_;
    };
    if (mu_.AwaitWithTimeout(absl::Condition(&stopping), backoff)) return;
    backoff = std::min(backoff * 2, options_.max_backoff);
  }
}

absl::StatusOr<uint64_t> AuditOutbox::DeliverUpTo(uint64_t through) {
  uint64_t after = 0;
  {
    absl::MutexLock lock(&mu_);
    after = delivered_through_;
  }
  std::vector<v1::OutboxRecord> records;
  size_t bytes = 0;
  std::unique_ptr<rocksdb::Iterator> it = database_.NewIterator(kOutboxFamily);
  for (it->Seek(ToSlice(KeyWithNumber(kRecordPrefix, after + 1)));
       it->Valid() && records.size() < options_.max_records_per_delivery;
       it->Next()) {
    const std::optional<uint64_t> seq =
        NumberFromKey(kRecordPrefix, ToView(it->key()));
    if (!seq.has_value() || *seq > through) break;
    if (*seq != after + 1 + records.size()) {
      return absl::DataLossError(
          absl::StrCat("audit outbox: record ", after + 1 + records.size(),
                       " is missing (the next stored is ", *seq, ")"));
    }
    v1::OutboxRecord record;
    record.set_outbox_seq(*seq);
    if (!record.mutable_entry()->ParseFromArray(
            it->value().data(), static_cast<int>(it->value().size()))) {
      return absl::DataLossError(
          absl::StrCat("audit outbox: record ", *seq, " does not parse"));
    }
    // Records written before entries were bounded at their source.
    BoundEntry(*record.mutable_entry(), kMaxPeerEntryBytes);
    const size_t size = record.ByteSizeLong() + kRecordFramingBytes;
    if (!records.empty() && bytes + size > kMaxDeliveryBytes) break;
    bytes += size;
    records.push_back(std::move(record));
  }
  SENTINEL_RETURN_IF_ERROR(FromRocksStatus(it->status(), "audit outbox"));
  it.reset();
  if (records.empty()) {
    return absl::DataLossError(
        absl::StrCat("audit outbox: record ", after + 1, " is missing"));
  }
  const uint64_t last_sent = records.back().outbox_seq();
  SENTINEL_ASSIGN_OR_RETURN(const uint64_t delivered,
                            peer_.Deliver(options_.origin, records));
  if (delivered < last_sent) {
    return absl::InternalError(
        absl::StrCat("audit outbox: the audit service stored through ",
                     delivered, " of records up to ", last_sent));
  }
  if (delivered > through) {
    // It holds positions this outbox never wrote: our records would be
    // skipped there as redeliveries. Keep them, and say so.
    return absl::DataLossError(absl::StrCat(
        "audit outbox: the audit service reports this origin delivered "
        "through ",
        delivered, ", beyond the last position written here (", through,
        "); the records are kept"));
  }
  // Point deletes: each record is deleted once, and a range tombstone
  // would cost every later read of the family.
  rocksdb::WriteBatch cleanup;
  rocksdb::ColumnFamilyHandle* family = database_.Family(kOutboxFamily);
  rocksdb::Status status;
  for (const v1::OutboxRecord& record : records) {
    if (status.ok()) {
      status = cleanup.Delete(
          family, ToSlice(KeyWithNumber(kRecordPrefix, record.outbox_seq())));
    }
  }
  if (status.ok()) {
    status = cleanup.Put(family, kDeliveredKey, absl::StrCat(last_sent));
  }
  SENTINEL_RETURN_IF_ERROR(
      FromRocksStatus(status, "audit outbox: staging the cleanup"));
  SENTINEL_RETURN_IF_ERROR(database_.WriteBuffered(cleanup));
  return last_sent;
}

void AuditOutbox::Log(const std::string& line) const {
  if (options_.log) options_.log(line);
}

}  // namespace sentinel::audit
