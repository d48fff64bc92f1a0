// The server side of one ReadEvidence stream.
//
// On the desk executor the read is authorized and recorded in the audit log
// (IncidentManager::OpenEvidence, durable before any byte is sent); then the
// stored parts are written one at a time, each read from RocksDB only when
// the previous one has been sent, so a stream holds at most one 1 MiB part.
#ifndef SENTINEL_SERVICES_INTAKE_EVIDENCE_DOWNLOAD_H_
#define SENTINEL_SERVICES_INTAKE_EVIDENCE_DOWNLOAD_H_

#include <cstdint>

#include "common/bounded_executor.h"
#include "common/principal.h"
#include "grpcpp/support/server_callback.h"
#include "incident/incident_manager.h"

namespace sentinel::services {

class EvidenceDownloadReactor final
    : public grpc::ServerWriteReactor<v1::EvidenceChunk> {
 public:
  // Streams the evidence `request` names to `caller` (or ends the call at
  // once with `caller`'s error). Deletes itself when gRPC is done with it.
  // Every reference must outlive the call.
  static grpc::ServerWriteReactor<v1::EvidenceChunk>* Start(
      grpc::CallbackServerContext* context, absl::StatusOr<Principal> caller,
      const v1::ReadEvidenceRequest& request,
      incident::IncidentManager& incidents, BoundedExecutor& executor);

  void OnWriteDone(bool ok) override;
  void OnDone() override { delete this; }

 private:
  EvidenceDownloadReactor(grpc::CallbackServerContext* context,
                          Principal caller,
                          const v1::ReadEvidenceRequest& request,
                          incident::IncidentManager& incidents);
  // Authorizes and records the read, then sends the first part.
  void Open();
  // Sends part `next_part_`, or finishes after the last one.
  void WriteNext();

  grpc::CallbackServerContext* const context_;
  const Principal caller_;
  const v1::ReadEvidenceRequest& request_;
  incident::IncidentManager& incidents_;
  v1::Evidence evidence_;
  uint64_t next_part_ = 0;
  uint64_t sent_bytes_ = 0;
  v1::EvidenceChunk chunk_;
};

}  // namespace sentinel::services

#endif  // SENTINEL_SERVICES_INTAKE_EVIDENCE_DOWNLOAD_H_
