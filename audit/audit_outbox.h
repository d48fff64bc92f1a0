// The audit rule of a Sentinel service whose audit log is another process
// (docs/audit-rule.md): an AuditSink that never lets a protective action
// wait on the audit service, and never lets a permissive one happen without
// it.
//
// Protective entries (kProtective) are written into this service's own
// database in the same synced write as the change they record, as numbered
// outbox records. Positions are handed out at commit, consecutively from 1
// with no gaps: concurrent commits are grouped into one synced write (a
// leader writes the group, the others wait for it), the group's positions
// follow the last committed one, and a group whose write fails consumes no
// position. A delivery thread sends the records to the audit service in
// order, in groups of at most max_records_per_delivery records and
// kMaxDeliveryBytes bytes, and deletes them once the audit service has
// stored them; the audit service keeps how far each outbox was delivered
// (AuditInbox), so a record sent twice (a lost reply, a crash before the
// delete) is stored once, and refuses a record that skips a position. While
// the audit service is down or a delivery fails for any reason the records
// wait, durable, and the thread sends again from the oldest undelivered
// record with exponential backoff; nothing is lost, skipped or duplicated.
// (A record the audit service finds malformed is not a failure: it stores
// a refusal in its place and acknowledges the position.)
//
// Permissive entries (kPermissive) are stored by the audit service first
// (AuditPeer::Record, idempotent by a random key); only then is the change
// written. When the audit service cannot record it the change is not made
// and the action fails with kUnavailable: fail closed.
//
// Entries are bounded before they are sent (BoundEntry to the audit
// service's kMaxPeerEntryBytes), so no entry is too large to deliver.
#ifndef SENTINEL_AUDIT_AUDIT_OUTBOX_H_
#define SENTINEL_AUDIT_AUDIT_OUTBOX_H_

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

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

// The most one delivery carries, counted as the serialized records (the
// DeliverAuditRequest adds the origin and a few bytes). Half the servers'
// request limit (services/common/message_limits.h, 2 MiB): a delivery is
// never refused for its size, with room to spare.
inline constexpr size_t kMaxDeliveryBytes = 1024 * 1024;

struct AuditOutboxOptions {
  // Which outbox this is, e.g. "sentinel-freeze" (see DeliverAuditRequest):
  // 1..64 bytes of [a-z0-9-].
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
  // outbox does not parse. An outbox written before positions were
  // gap-free may skip positions (writes that failed); each missing
  // undelivered position is filled, in one synced write, with an entry
  // saying that no action was committed under it ("AuditOutbox.
  // UnusedPosition"), so the audit service sees consecutive positions.
  static absl::StatusOr<std::unique_ptr<AuditOutbox>> Open(
      RocksDatabase& database, AuditPeer& peer, AuditOutboxOptions options);

  // Stops delivering; records not yet delivered stay in the database and
  // are sent after the next Open.
  ~AuditOutbox() override;

  // kProtective: adds the outbox record to `changes` and writes it with the
  // WAL synced, together with any concurrent commits; the receipt's seq is
  // the outbox position. Write errors as for RocksDatabase::WriteDurably
  // (the whole group fails; no position is used). kPermissive: the audit
  // service stores `entry` first; then `changes` (if not empty) are written
  // synced. kUnavailable, changing nothing, when the audit service cannot
  // store it.
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
  // One protective commit waiting for its group.
  struct Writer {
    rocksdb::WriteBatch* changes;
    const v1::AuditEntry* entry;
    bool done = false;
    absl::StatusOr<AuditReceipt> result = absl::UnknownError("not committed");
  };

  AuditOutbox(RocksDatabase& database, AuditPeer& peer,
              AuditOutboxOptions options, uint64_t delivered_through,
              uint64_t last_written);

  absl::StatusOr<AuditReceipt> CommitProtective(rocksdb::WriteBatch& changes,
                                                const v1::AuditEntry& entry)
      ABSL_LOCKS_EXCLUDED(mu_);
  absl::StatusOr<AuditReceipt> CommitPermissive(rocksdb::WriteBatch& changes,
                                                const v1::AuditEntry& entry);
  // Writes `group`'s changes and records, at positions first, first + 1, ...
  // in one synced write, and sets each writer's result. Returns how many
  // positions it used: 0 when the write failed.
  uint64_t WriteGroup(const std::vector<Writer*>& group, uint64_t first);

  void DeliveryLoop() ABSL_LOCKS_EXCLUDED(mu_);
  // Sends the oldest undelivered records, up to `through` (the last
  // position written) and the delivery limits; returns the new delivered
  // mark.
  absl::StatusOr<uint64_t> DeliverUpTo(uint64_t through);
  void Log(const std::string& line) const;

  RocksDatabase& database_;
  AuditPeer& peer_;
  const AuditOutboxOptions options_;

  mutable absl::Mutex mu_;
  // The position of the next committed record.
  uint64_t next_seq_ ABSL_GUARDED_BY(mu_);
  // Protective commits waiting; the front one leads the next group.
  std::deque<Writer*> waiting_ ABSL_GUARDED_BY(mu_);
  // A group's write is in progress.
  bool committing_ ABSL_GUARDED_BY(mu_) = false;
  // Every record up to here is delivered.
  uint64_t delivered_through_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread deliverer_;
};

}  // namespace sentinel::audit

#endif  // SENTINEL_AUDIT_AUDIT_OUTBOX_H_
