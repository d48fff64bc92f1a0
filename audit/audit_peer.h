// How a Sentinel service that does not host the audit log reaches the audit
// service: the transport under AuditOutbox. The gRPC implementation is
// services/audit/audit_peer_client.h; tests use fakes.
#ifndef SENTINEL_AUDIT_AUDIT_PEER_H_
#define SENTINEL_AUDIT_AUDIT_PEER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "sentinel/v1/audit.pb.h"

namespace sentinel::audit {

// Thread-safe.
class AuditPeer {
 public:
  virtual ~AuditPeer() = default;

  // Hands `records` of outbox `origin` (increasing outbox_seq) to the audit
  // service, which stores each at most once. OK: the highest outbox_seq now
  // stored there. kUnavailable / kDeadlineExceeded when the audit service
  // cannot be reached in time; other codes as the audit service returns
  // them.
  virtual absl::StatusOr<uint64_t> Deliver(
      const std::string& origin,
      const std::vector<v1::OutboxRecord>& records) = 0;

  // Stores `entry` in the audit log once per `idempotency_key`, retrying
  // while the audit service is briefly unavailable. OK only when it is
  // stored; kUnavailable or kDeadlineExceeded when it could not be.
  virtual absl::Status Record(const v1::AuditEntry& entry,
                              const std::string& idempotency_key) = 0;
};

}  // namespace sentinel::audit

#endif  // SENTINEL_AUDIT_AUDIT_PEER_H_
