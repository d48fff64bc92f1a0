// The audit rule of a Sentinel service whose audit log is another process
// (docs/audit-rule.md): an AuditSink that never lets a protective action
// wait on the audit service, and never lets a permissive one happen without
// it.
//
// Protective entries (kProtective) are written into this service's own
// database in the same synced write as the change they record, as numbered
// outbox records. A delivery thread sends them to the audit service in
// order, in groups, and deletes them once the audit service has stored them;
// the audit service keeps how far each outbox was delivered (AuditInbox), so
// a record sent twice (a lost reply, a crash before the delete) is stored
// once. While the audit service is down the records wait, durable, and the
// thread retries with exponential backoff; nothing is lost or duplicated.
//
// Outbox numbers are handed out before the write, so concurrent writes may
// finish out of order, or fail and leave a gap: the thread only sends
// records below the oldest write still in progress.
//
// Permissive entries (kPermissive) are stored by the audit service first
// (AuditPeer::Record, idempotent by a random key); only then is the change
// written. When the audit service cannot record it the change is not made
// and the action fails with kUnavailable: fail closed.
#ifndef SENTINEL_AUDIT_AUDIT_OUTBOX_H_
#define SENTINEL_AUDIT_AUDIT_OUTBOX_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "audit/audit_peer.h"
#include "audit/audit_sink.h"
#include "common/rocks_database.h"

namespace sentinel::audit {

// The column family that holds the outbox.
inline constexpr char kOutboxFamily[] = "outbox";

struct AuditOutboxOptions {
  // Which outbox this is, e.g. "sentinel-freeze" (see DeliverAuditRequest).
  std::string origin;
  // Records sent in one delivery (1..256).
  size_t max_records_per_delivery = 256;
  // Waits between failed deliveries: doubling from min to max.
  absl::Duration min_backoff = absl::Milliseconds(50);
  absl::Duration max_backoff = absl::Seconds(1);
  // Called with one line when deliveries start failing and when they resume
  // (never per attempt). May be empty.
  std::function<void(const std::string&)> log;
};

// Thread-safe.
class AuditOutbox final : public AuditSink {
 public:
  // Opens the outbox in `database` (opened with kOutboxFamily) and starts
  // delivering what it already holds. `database` and `peer` must outlive
  // the outbox. kInvalidArgument for bad options; kDataLoss when the stored
  // outbox does not parse.
  static absl::StatusOr<std::unique_ptr<AuditOutbox>> Open(
      RocksDatabase& database, AuditPeer& peer, AuditOutboxOptions options);

  // Stops delivering; records not yet delivered stay in the database and
  // are sent after the next Open.
  ~AuditOutbox() override;

  // kProtective: adds the outbox record to `changes` and writes it with the
  // WAL synced; the receipt's seq is the outbox position. kPermissive: the
  // audit service stores `entry` first; then `changes` (if not empty) are
  // written synced. kUnavailable, changing nothing, when the audit service
  // cannot store it. Write errors as for RocksDatabase::WriteDurably.
  absl::StatusOr<AuditReceipt> CommitWithAudit(rocksdb::WriteBatch& changes,
                                               v1::AuditEntry entry,
                                               CommitUrgency urgency,
                                               AuditRule rule) override
      ABSL_LOCKS_EXCLUDED(mu_);

  // Records written but not yet known delivered.
  uint64_t undelivered() const ABSL_LOCKS_EXCLUDED(mu_);

  // Waits until every record written before the call has been delivered.
  // kDeadlineExceeded after `timeout`, saying how many are left.
  absl::Status AwaitDelivered(absl::Duration timeout) const
      ABSL_LOCKS_EXCLUDED(mu_);

 private:
  AuditOutbox(RocksDatabase& database, AuditPeer& peer,
              AuditOutboxOptions options, uint64_t delivered_through,
              uint64_t last_written);

  absl::StatusOr<AuditReceipt> CommitProtective(rocksdb::WriteBatch& changes,
                                                const v1::AuditEntry& entry)
      ABSL_LOCKS_EXCLUDED(mu_);
  absl::StatusOr<AuditReceipt> CommitPermissive(rocksdb::WriteBatch& changes,
                                                const v1::AuditEntry& entry);

  // The highest position below every write still in progress.
  uint64_t StableThrough() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void DeliveryLoop() ABSL_LOCKS_EXCLUDED(mu_);
  // Sends the records in (delivered_through_, through]; returns the new
  // delivered mark.
  absl::StatusOr<uint64_t> DeliverUpTo(uint64_t through);
  void Log(const std::string& line) const;

  RocksDatabase& database_;
  AuditPeer& peer_;
  const AuditOutboxOptions options_;

  mutable absl::Mutex mu_;
  uint64_t next_seq_ ABSL_GUARDED_BY(mu_);
  // Outbox positions whose write is in progress.
  std::set<uint64_t> writing_ ABSL_GUARDED_BY(mu_);
  // Every record up to here is delivered (or was never written).
  uint64_t delivered_through_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread deliverer_;
};

}  // namespace sentinel::audit

#endif  // SENTINEL_AUDIT_AUDIT_OUTBOX_H_
