// The interface every Sentinel domain uses to leave an audit record of a
// change, committed atomically with the change itself.
#ifndef SENTINEL_AUDIT_AUDIT_SINK_H_
#define SENTINEL_AUDIT_AUDIT_SINK_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "rocksdb/write_batch.h"
#include "sentinel/v1/audit.pb.h"

namespace sentinel::audit {

// What a committed audit entry became.
struct AuditReceipt {
  // The entry's position in the log.
  uint64_t seq = 0;
  // The hash that commits to the entry (the chain or leaf hash of the log).
  std::string entry_hash;
};

// How soon a commit must happen.
enum class CommitUrgency {
  // May wait briefly (at most the log's batch delay) to share its synced
  // write with other commits.
  kNormal,
  // An emergency action (a freeze, a P0 report): the batch it joins is
  // written as soon as the sink is free, without waiting for more.
  kUrgent,
};

// Which comes first when the audit log is another process (see
// docs/audit-rule.md). In one process the change and its entry are one
// atomic write either way.
enum class AuditRule {
  // A protective action (a freeze, a report, ingesting evidence of theft):
  // it never waits on the audit service. The entry is committed with the
  // change into a local outbox that delivers it later, exactly once, in order.
  kProtective,
  // A permissive action (approving an unfreeze, reading sensitive data,
  // relaxing a trace): the audit service must hold the entry before the
  // change is made; when it cannot be reached the action fails closed with
  // kUnavailable and nothing is changed.
  kPermissive,
};

// Thread-safe: concurrent callers are serialized into one order, which is the
// order of sequence numbers.
class AuditSink {
 public:
  virtual ~AuditSink() = default;

  // Appends an audit entry made from `entry` to `changes` and commits the
  // whole batch in one atomic write whose WAL is synced before returning. The
  // sink assigns `seq`; every other field is the caller's. `changes` must be
  // for the same database as the sink.
  //
  // On OK the change and its audit entry are both durable (for a protective
  // entry bound for another process: the change and the outbox record are).
  // On error the change was not written, and the status says why (kInternal,
  // kResourceExhausted for a full disk, kUnavailable while the database is
  // failing writes or, for a permissive entry, when the audit service
  // cannot record it).
  //
  // The receipt's seq is the entry's position in the audit log when the log
  // is in this process; for an outbox it is the outbox position.
  virtual absl::StatusOr<AuditReceipt> CommitWithAudit(
      rocksdb::WriteBatch& changes, v1::AuditEntry entry, CommitUrgency urgency,
      AuditRule rule) = 0;
};

}  // namespace sentinel::audit

#endif  // SENTINEL_AUDIT_AUDIT_SINK_H_
