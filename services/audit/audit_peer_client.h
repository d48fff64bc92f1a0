// AuditPeer over gRPC: how sentinel-freeze, sentinel-intake and
// sentinel-trace reach sentinel-audit (AuditService.DeliverAudit and
// RecordAudit), with a deadline on every call.
#ifndef SENTINEL_SERVICES_AUDIT_AUDIT_PEER_CLIENT_H_
#define SENTINEL_SERVICES_AUDIT_AUDIT_PEER_CLIENT_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "audit/audit_peer.h"
#include "client/backoff.h"
#include "client/server_connection.h"
#include "sentinel/v1/audit.grpc.pb.h"

namespace sentinel::services {

// Thread-safe.
class AuditPeerClient final : public audit::AuditPeer {
 public:
  // Each call gets `timeout`. Deliver is tried once (the outbox retries);
  // Record retries UNAVAILABLE with `backoff` within `timeout` overall.
  AuditPeerClient(client::ServerConnection connection, absl::Duration timeout,
                  client::BackoffPolicy backoff);

  absl::StatusOr<uint64_t> Deliver(
      const std::string& origin,
      const std::vector<v1::OutboxRecord>& records) override;
  absl::Status Record(const v1::AuditEntry& entry,
                      const std::string& idempotency_key) override;

 private:
  const client::ServerConnection connection_;
  const absl::Duration timeout_;
  const client::BackoffPolicy backoff_;
  std::unique_ptr<v1::AuditService::Stub> stub_;
};

}  // namespace sentinel::services

#endif  // SENTINEL_SERVICES_AUDIT_AUDIT_PEER_CLIENT_H_
