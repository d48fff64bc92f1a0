#include "services/audit/audit_peer_client.h"

#include <utility>

#include "audit/audit_inbox.h"
#include "audit/audit_outbox.h"
#include "client/retry.h"
#include "services/common/message_limits.h"

namespace sentinel::services {

// A delivery (at most kMaxDeliveryBytes of records, or one record of at
// most 64 KiB) always fits a request, whatever the origin's length.
static_assert(audit::kMaxDeliveryBytes + 2 * audit::kMaxPeerEntryBytes <
              static_cast<size_t>(kMaxRequestBytes));

// Enough for a brief restart of the audit service within one call's time.
constexpr int kMaxRecordAttempts = 5;

AuditPeerClient::AuditPeerClient(client::ServerConnection connection,
                                 absl::Duration timeout,
                                 client::BackoffPolicy backoff)
    : connection_(std::move(connection)),
      timeout_(timeout),
      backoff_(backoff),
      stub_(v1::AuditService::NewStub(
          client::OpenChannel(connection_, backoff.initial, backoff.max))) {}

absl::StatusOr<uint64_t> AuditPeerClient::Deliver(
    const std::string& origin, const std::vector<v1::OutboxRecord>& records) {
  v1::DeliverAuditRequest request;
  request.set_origin(origin);
  for (const v1::OutboxRecord& record : records) {
    *request.add_records() = record;
  }
  grpc::ClientContext context;
  client::PrepareContext(connection_, &context);
  context.set_deadline(absl::ToChronoTime(absl::Now() + timeout_));
  v1::DeliverAuditResponse response;
  const absl::Status status =
      client::FromGrpcStatus(stub_->DeliverAudit(&context, request, &response));
  if (!status.ok()) return status;
  return response.delivered_through();
}

absl::Status AuditPeerClient::Record(const v1::AuditEntry& entry,
                                     const std::string& idempotency_key) {
  v1::RecordAuditRequest request;
  *request.mutable_entry() = entry;
  request.set_idempotency_key(idempotency_key);
  return client::RetryUnavailable(
      [&](absl::Time deadline) {
        grpc::ClientContext context;
        client::PrepareContext(connection_, &context);
        context.set_deadline(absl::ToChronoTime(deadline));
        v1::RecordAuditResponse response;
        return client::FromGrpcStatus(
            stub_->RecordAudit(&context, request, &response));
      },
      absl::Now() + timeout_, kMaxRecordAttempts, backoff_);
}

}  // namespace sentinel::services
