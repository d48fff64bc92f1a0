// The server side of one AddEvidence stream.
//
// Chunks are checked as they arrive (EvidenceAssembler), so a bad stream is
// refused at its first bad chunk without reading the rest. When the client
// half-closes, the assembled file is stored on the desk executor. At most
// `StreamSlots` streams are assembled at once, and only a share of them per
// person, which bounds the memory held by uploads to slots x the file size
// limit; beyond that a new stream is refused at once with RESOURCE_EXHAUSTED
// and a retry hint. A stream that sends nothing for kUploadIdleTimeout is
// cancelled (IdleStreamReaper) and gives its slot back.
#ifndef SENTINEL_SERVICES_INTAKE_EVIDENCE_UPLOAD_H_
#define SENTINEL_SERVICES_INTAKE_EVIDENCE_UPLOAD_H_

#include "absl/status/status.h"
#include "common/bounded_executor.h"
#include "common/principal.h"
#include "grpcpp/support/server_callback.h"
#include "incident/evidence.h"
#include "incident/incident_manager.h"
#include "services/common/call_gate.h"
#include "services/common/idle_stream_reaper.h"
#include "services/common/stream_slots.h"

namespace sentinel::services {

inline constexpr char kAddEvidenceMethod[] =
    "/sentinel.v1.IncidentService/AddEvidence";

// What bounds one service's uploads: its slots and the reaper of idle ones.
struct UploadGuards {
  StreamSlots& slots;
  IdleStreamReaper& reaper;
};

class EvidenceUploadReactor final
    : public grpc::ServerReadReactor<v1::EvidenceChunk> {
 public:
  // Starts reading `caller`'s stream, or finishes it at once with
  // `refusal` when that is not OK. Deletes itself when gRPC is done with it.
  // Every reference must outlive the call.
  static grpc::ServerReadReactor<v1::EvidenceChunk>* Start(
      grpc::CallbackServerContext* context, absl::StatusOr<Principal> caller,
      const CallGate& gate, incident::IncidentManager& incidents,
      BoundedExecutor& executor, UploadGuards guards, v1::Evidence* response);

  void OnReadDone(bool ok) override;
  void OnDone() override;

 private:
  EvidenceUploadReactor(grpc::CallbackServerContext* context, Principal caller,
                        const CallGate& gate,
                        incident::IncidentManager& incidents,
                        BoundedExecutor& executor, UploadGuards guards,
                        v1::Evidence* response);
  // Stores the assembled file on the executor and finishes the call.
  void Store();

  grpc::CallbackServerContext* const context_;
  const Principal caller_;
  const CallGate& gate_;
  incident::IncidentManager& incidents_;
  BoundedExecutor& executor_;
  const UploadGuards guards_;
  const uint64_t idle_watch_;
  v1::Evidence* const response_;
  incident::EvidenceAssembler assembler_;
  v1::EvidenceChunk chunk_;
};

}  // namespace sentinel::services

#endif  // SENTINEL_SERVICES_INTAKE_EVIDENCE_UPLOAD_H_
