// Where other Sentinel processes' audit entries enter the audit log (the
// audit service's side of DeliverAudit and RecordAudit).
//
// Outbox deliveries are exactly once and in order per (caller, origin): the
// highest outbox position stored is kept in this database and advanced in
// the same atomic write as the entries, so a redelivered record is skipped
// and a crash can never store an entry without its mark or a mark without
// its entry. Recorded (permissive) entries are idempotent per
// (caller, idempotency key) the same way.
#ifndef SENTINEL_AUDIT_AUDIT_INBOX_H_
#define SENTINEL_AUDIT_AUDIT_INBOX_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "audit/merkle_audit_log.h"
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

// Thread-safe.
class AuditInbox final {
 public:
  // `database` must hold kInboxFamily and be the log's database; both must
  // outlive the inbox.
  AuditInbox(RocksDatabase& database, MerkleAuditLog& log);

  // Stores the records of `caller`'s outbox `origin` that are newer than
  // what was delivered before, all in one atomic synced write, each entry
  // marked with origin and outbox position. Returns the highest position
  // now stored (the sender deletes up to it).
  //
  // kInvalidArgument naming the field when origin is not 1..64 bytes of
  // [a-z0-9-], there are no records or more than kMaxDeliveredRecords,
  // positions are 0 or do not increase, or an entry has no action (1..128
  // bytes) or is over 64 KiB; nothing is stored then. Write failures as for
  // MerkleAuditLog::CommitWithAudit.
  //
  // Example:
  //   SENTINEL_ASSIGN_OR_RETURN(uint64_t through,
  //       inbox.Deliver("internal/sentinel-freeze", "sentinel-freeze",
  //                     std::move(records)));
  absl::StatusOr<uint64_t> Deliver(const std::string& caller,
                                   const std::string& origin,
                                   std::vector<v1::OutboxRecord> records)
      ABSL_LOCKS_EXCLUDED(mu_);

  // Stores `entry` once per (caller, idempotency_key), the key's mark in
  // the same atomic synced write; a repeat returns OK and stores nothing.
  // kInvalidArgument for a key outside 16..128 bytes or an invalid entry (as
  // above); write failures as for MerkleAuditLog::CommitWithAudit.
  absl::Status Record(const std::string& caller,
                      const std::string& idempotency_key, v1::AuditEntry entry)
      ABSL_LOCKS_EXCLUDED(mu_);

 private:
  RocksDatabase& database_;
  MerkleAuditLog& log_;
  // Serializes deliveries: a mark is read, then advanced.
  absl::Mutex deliver_mu_;
  // Keys being recorded right now: a retry waits for the first attempt.
  absl::Mutex mu_;
  absl::flat_hash_set<std::string> recording_ ABSL_GUARDED_BY(mu_);
};

}  // namespace sentinel::audit

#endif  // SENTINEL_AUDIT_AUDIT_INBOX_H_
