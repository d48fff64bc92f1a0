#include "audit/audit_outbox.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
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
// without waiting for the disk: when it is lost, records are sent again and
// the audit service skips them.
constexpr char kDeliveredKey[] = "m";

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

}  // namespace

absl::StatusOr<std::unique_ptr<AuditOutbox>> AuditOutbox::Open(
    RocksDatabase& database, AuditPeer& peer, AuditOutboxOptions options) {
  if (options.origin.empty()) {
    return absl::InvalidArgumentError("audit outbox: origin is empty");
  }
  if (options.max_records_per_delivery < 1 ||
      options.max_records_per_delivery > 256) {
    return absl::InvalidArgumentError(
        "audit outbox: max_records_per_delivery must be within 1..256");
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
  uint64_t seq = 0;
  {
    absl::MutexLock lock(&mu_);
    seq = next_seq_++;
    writing_.insert(seq);
  }
  absl::Status status =
      FromRocksStatus(changes.Put(database_.Family(kOutboxFamily),
                                  ToSlice(KeyWithNumber(kRecordPrefix, seq)),
                                  entry.SerializeAsString()),
                      "audit outbox: staging a record");
  // Concurrent writes share one fsync inside RocksDB.
  if (status.ok()) status = database_.WriteDurably(changes);
  absl::MutexLock lock(&mu_);
  writing_.erase(seq);
  if (!status.ok()) return status;
  return AuditReceipt{seq, ""};
}

absl::StatusOr<AuditReceipt> AuditOutbox::CommitPermissive(
    rocksdb::WriteBatch& changes, const v1::AuditEntry& entry) {
  absl::Status recorded = peer_.Record(entry, RandomKey());
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

uint64_t AuditOutbox::StableThrough() const {
  return writing_.empty() ? next_seq_ - 1 : *writing_.begin() - 1;
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
        return stopping_ || StableThrough() > delivered_through_;
      };
      mu_.Await(absl::Condition(&ready));
      if (stopping_) return;
      through = StableThrough();
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
  std::unique_ptr<rocksdb::Iterator> it = database_.NewIterator(kOutboxFamily);
  for (it->Seek(ToSlice(KeyWithNumber(kRecordPrefix, after + 1)));
       it->Valid() && records.size() < options_.max_records_per_delivery;
       it->Next()) {
    const std::optional<uint64_t> seq =
        NumberFromKey(kRecordPrefix, ToView(it->key()));
    if (!seq.has_value() || *seq > through) break;
    v1::OutboxRecord& record = records.emplace_back();
    record.set_outbox_seq(*seq);
    if (!record.mutable_entry()->ParseFromArray(
            it->value().data(), static_cast<int>(it->value().size()))) {
      return absl::DataLossError(
          absl::StrCat("audit outbox: record ", *seq, " does not parse"));
    }
  }
  SENTINEL_RETURN_IF_ERROR(FromRocksStatus(it->status(), "audit outbox"));
  it.reset();
  // No record up to `through`: those positions were writes that failed.
  uint64_t delivered = through;
  if (!records.empty()) {
    SENTINEL_ASSIGN_OR_RETURN(delivered,
                              peer_.Deliver(options_.origin, records));
    if (delivered < records.back().outbox_seq()) {
      return absl::InternalError(absl::StrCat(
          "audit outbox: the audit service stored through ", delivered,
          " of records up to ", records.back().outbox_seq()));
    }
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
    status = cleanup.Put(family, kDeliveredKey, absl::StrCat(delivered));
  }
  SENTINEL_RETURN_IF_ERROR(
      FromRocksStatus(status, "audit outbox: staging the cleanup"));
  SENTINEL_RETURN_IF_ERROR(database_.WriteBuffered(cleanup));
  return delivered;
}

void AuditOutbox::Log(const std::string& line) const {
  if (options_.log) options_.log(line);
}

}  // namespace sentinel::audit
