// AuditService over gRPC: checkpoints, proofs, entries, queries and the live
// watch of the audit log.
//
// Every read of the audit log is itself audited: the handler computes the
// answer, appends an entry recording who read what and how it ended, and
// only then replies. If that entry cannot be written the read is refused
// with UNAVAILABLE (fail closed). Reads run on the `reads` executor because
// the audit append waits for a synced write.
#ifndef SENTINEL_SERVICES_AUDIT_AUDIT_GRPC_SERVICE_H_
#define SENTINEL_SERVICES_AUDIT_AUDIT_GRPC_SERVICE_H_

#include <string>

#include "absl/status/statusor.h"
#include "audit/audit_inbox.h"
#include "audit/audit_reader.h"
#include "audit/merkle_audit_log.h"
#include "common/bounded_executor.h"
#include "common/clock.h"
#include "common/principal.h"
#include "sentinel/v1/audit.grpc.pb.h"
#include "services/common/call_gate.h"
#include "services/common/stream_slots.h"

namespace sentinel::services {

// The only outbox origin DeliverAudit accepts from `service` (a Sentinel
// service principal): "sentinel-<name>", e.g. "sentinel-freeze".
std::string OutboxOrigin(const Principal& service);

// The executors of the audit service: auditors' reads (and the audit entry
// each read writes), and the other services' deliveries, apart, so that a
// flood of queries can never delay the records of protective actions or make
// permissive ones (approvals) fail closed.
struct AuditExecutors {
  BoundedExecutor& reads;
  BoundedExecutor& deliveries;
};

class AuditGrpcService final : public v1::AuditService::CallbackService {
 public:
  // All must outlive the service.
  AuditGrpcService(audit::MerkleAuditLog& log, const audit::AuditReader& reader,
                   audit::AuditInbox& inbox, const CallGate& gate,
                   AuditExecutors executors, const Clock& clock);

  grpc::ServerUnaryReactor* QueryAudit(
      grpc::CallbackServerContext* context,
      const v1::QueryAuditRequest* request,
      v1::QueryAuditResponse* response) override;
  grpc::ServerUnaryReactor* GetCheckpoint(
      grpc::CallbackServerContext* context,
      const v1::GetCheckpointRequest* request,
      v1::Checkpoint* response) override;
  grpc::ServerUnaryReactor* GetEntries(
      grpc::CallbackServerContext* context,
      const v1::GetEntriesRequest* request,
      v1::GetEntriesResponse* response) override;
  grpc::ServerUnaryReactor* GetInclusionProof(
      grpc::CallbackServerContext* context,
      const v1::GetInclusionProofRequest* request,
      v1::InclusionProof* response) override;
  grpc::ServerUnaryReactor* GetConsistencyProof(
      grpc::CallbackServerContext* context,
      const v1::GetConsistencyProofRequest* request,
      v1::ConsistencyProof* response) override;
  grpc::ServerWriteReactor<v1::AuditEntry>* WatchAudit(
      grpc::CallbackServerContext* context,
      const v1::WatchAuditRequest* request) override;
  // The other services' audit entries (audit/audit_inbox.h); not audited
  // themselves: what they store is the audit.
  grpc::ServerUnaryReactor* DeliverAudit(
      grpc::CallbackServerContext* context,
      const v1::DeliverAuditRequest* request,
      v1::DeliverAuditResponse* response) override;
  grpc::ServerUnaryReactor* RecordAudit(
      grpc::CallbackServerContext* context,
      const v1::RecordAuditRequest* request,
      v1::RecordAuditResponse* response) override;

 private:
  // Authorizes the call, then on the executor computes the answer with
  // `read`, audits the read with its outcome, and finishes the call.
  grpc::ServerUnaryReactor* AuditedRead(
      grpc::CallbackServerContext* context, const char* method,
      const google::protobuf::Message& request, std::string subject,
      std::function<absl::Status()> read);

  // Appends the entry recording that `caller` called `method` with
  // `request`, ending with `outcome`. kUnavailable when it cannot be written.
  absl::Status RecordRead(const Principal& caller, const char* method,
                          const google::protobuf::Message& request,
                          const std::string& subject,
                          const absl::Status& outcome);

  absl::StatusOr<v1::Checkpoint> Checkpoint(uint64_t tree_size) const;

  audit::MerkleAuditLog& log_;
  const audit::AuditReader& reader_;
  audit::AuditInbox& inbox_;
  const CallGate& gate_;
  BoundedExecutor& reads_;
  BoundedExecutor& deliveries_;
  const Clock& clock_;
  // WatchAudit streams, each person's share (kMaxWatchStreamsPerPerson).
  StreamSlots watchers_;
};

}  // namespace sentinel::services

#endif  // SENTINEL_SERVICES_AUDIT_AUDIT_GRPC_SERVICE_H_
