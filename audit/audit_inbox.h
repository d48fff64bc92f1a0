// Where other Sentinel processes' audit entries enter the audit log (the
// audit service's side of DeliverAudit and RecordAudit).
//
// Outbox deliveries are exactly once, in order and without gaps per
// (caller, origin): the highest outbox position stored is kept in this
// database and advanced in the same atomic synced write as the entries, so
// a redelivered record is skipped, a record that skips a position is
// refused (the sender keeps it and sends again in order), and a crash can
// never store an entry without its mark or a mark without its entry. A
// record whose entry is malformed is stored as a refusal in its place (see
// Deliver), so it never blocks the records behind it. Recorded (permissive)
// entries are idempotent per (caller, idempotency key) the same way.
//
// Every entry's `time` is this service's clock at receipt, so no sender can
// date an entry, or by the log's never-decreasing times every later entry,
// into the future. The sender's own time is kept as `origin_time`, clamped
// to the receipt time.
#ifndef SENTINEL_AUDIT_AUDIT_INBOX_H_
#define SENTINEL_AUDIT_AUDIT_INBOX_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "audit/merkle_audit_log.h"
#include "common/clock.h"
#include "common/rocks_database.h"
#include "sentinel/v1/audit.pb.h"

namespace sentinel::audit {

// The column family of delivery marks and recorded keys (never the audit
// family, which is append-only).
inline constexpr char kInboxFamily[] = "audit_inbox";

inline constexpr size_t kMaxDeliveredRecords = 256;
inline constexpr size_t kMaxOriginBytes = 64;
inline constexpr size_t kMinIdempotencyKeyBytes = 16;
inline constexpr size_t kMaxIdempotencyKeyBytes = 128;
inline constexpr size_t kMaxActionBytes = 128;
inline constexpr size_t kMaxPeerEntryBytes = 64 * 1024;

// OK when `origin` is 1..kMaxOriginBytes bytes of [a-z0-9-]; otherwise
// kInvalidArgument naming the field "origin".
absl::Status ValidateOrigin(const std::string& origin);

// Thread-safe.
class AuditInbox final {
 public:
  // `database` must hold kInboxFamily and be the log's database; all must
  // outlive the inbox. `clock` dates every entry stored. `log_line`, when
  // set, is called once per refused record with a line containing
  // event=audit_record_refused.
  AuditInbox(RocksDatabase& database, MerkleAuditLog& log, const Clock& clock,
             std::function<void(const std::string&)> log_line = nullptr);

  // Stores the records of `caller`'s outbox `origin` that are newer than
  // what was delivered before, all in one atomic synced write, each entry
  // marked with origin, outbox position, origin_time and this clock's time.
  // Returns the highest position now stored (the sender deletes up to it).
  //
  // A record whose entry is malformed (no action, action over 128 bytes,
  // entry over 64 KiB) is not stored; in its place goes an entry of
  // `caller` with action "AuditService.DeliverAudit", outcome
  // INVALID_ARGUMENT saying why, the same origin and position, and
  // parameters {"refused_record":{"origin", "outbox_seq", "sha256" (of the
  // refused entry's serialization), "bytes"}}. After the write, each such
  // record is logged once (event=audit_record_refused) and counted
  // (refused_records()). Its position counts as delivered.
  //
  // Errors, storing nothing: kInvalidArgument naming the field when origin
  // is not 1..64 bytes of [a-z0-9-], there are no records or more than
  // kMaxDeliveredRecords, or positions are 0 or not consecutive;
  // kFailedPrecondition when the first record is more than one past the
  // last position stored (the records before it were never delivered).
  // Write failures as for MerkleAuditLog::CommitWithAudit.
  //
  // Example:
  //   SENTINEL_ASSIGN_OR_RETURN(uint64_t through,
  //       inbox.Deliver("service/freeze", "sentinel-freeze",
  //                     std::move(records)));
  absl::StatusOr<uint64_t> Deliver(const std::string& caller,
                                   const std::string& origin,
                                   std::vector<v1::OutboxRecord> records)
      ABSL_LOCKS_EXCLUDED(mu_);

  // Stores `entry` once per (caller, idempotency_key), the key's mark in
  // the same atomic synced write, dated as for Deliver; a repeat returns OK
  // and stores nothing. kInvalidArgument for a key outside 16..128 bytes or
  // a malformed entry (as above: the caller is waiting and fails closed);
  // write failures as for MerkleAuditLog::CommitWithAudit.
  absl::Status Record(const std::string& caller,
                      const std::string& idempotency_key, v1::AuditEntry entry)
      ABSL_LOCKS_EXCLUDED(mu_);

  // Delivered records refused as malformed since this inbox was created.
  uint64_t refused_records() const { return refused_records_.load(); }

 private:
  RocksDatabase& database_;
  MerkleAuditLog& log_;
  const Clock& clock_;
  const std::function<void(const std::string&)> log_line_;
  // Serializes deliveries: a mark is read, then advanced.
  absl::Mutex deliver_mu_;
  // Keys being recorded right now: a retry waits for the first attempt.
  absl::Mutex mu_;
  absl::flat_hash_set<std::string> recording_ ABSL_GUARDED_BY(mu_);
  std::atomic<uint64_t> refused_records_{0};
};

}  // namespace sentinel::audit

#endif  // SENTINEL_AUDIT_AUDIT_INBOX_H_
