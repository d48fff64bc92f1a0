// IncidentService over gRPC, with the emergency fast lane.
//
// Lanes (docs/intake.md): a report is triaged in the reaction, before any
// queue. P0 reports run on the `emergency` executor, which nothing else
// uses, so they never wait behind ordinary work. P1..P3 reports run on the
// bounded `tickets` executor; when it is full they fail at once with
// RESOURCE_EXHAUSTED and a RetryInfo hint, so a flood of tickets cannot grow
// a queue in front of anything. One reporter's P0 flood is bounded too: past
// kMaxEmergencyReportsPerPerson queued or running, that reporter's next P0
// is refused for load, so it cannot delay anyone else's. Agents' work (claim,
// status, reads) runs on its own bounded `desk` executor, and so do evidence
// uploads and reads; at most `max_uploads` uploads are assembled in memory at
// once.
#ifndef SENTINEL_SERVICES_INTAKE_INTAKE_GRPC_SERVICE_H_
#define SENTINEL_SERVICES_INTAKE_INTAKE_GRPC_SERVICE_H_

#include "common/bounded_executor.h"
#include "incident/incident_manager.h"
#include "sentinel/v1/incident.grpc.pb.h"
#include "services/common/call_gate.h"
#include "services/intake/evidence_upload.h"

namespace sentinel::services {

// Evidence uploads assembled at once, by default: with the 20 MiB file
// limit, at most 160 MiB of memory.
inline constexpr size_t kDefaultMaxUploads = 8;
// How many of them one person may hold at once.
inline constexpr size_t kMaxUploadsPerPerson = 2;
// Emergency reports one person (or system) may have queued or running at
// once; past it their next report is refused for load, while everyone
// else's still never is.
inline constexpr size_t kMaxEmergencyReportsPerPerson = 1000;

// The executors of the intake lanes.
struct IntakeLanes {
  BoundedExecutor& emergency;
  BoundedExecutor& tickets;
  BoundedExecutor& desk;
};

class IntakeGrpcService final : public v1::IncidentService::CallbackService {
 public:
  // All must outlive the service.
  IntakeGrpcService(incident::IncidentManager& incidents, const CallGate& gate,
                    IntakeLanes lanes, size_t max_uploads = kDefaultMaxUploads);

  grpc::ServerUnaryReactor* ReportIncident(
      grpc::CallbackServerContext* context,
      const v1::ReportIncidentRequest* request,
      v1::Incident* response) override;
  grpc::ServerUnaryReactor* GetIncident(grpc::CallbackServerContext* context,
                                        const v1::GetIncidentRequest* request,
                                        v1::Incident* response) override;
  grpc::ServerUnaryReactor* ListIncidents(
      grpc::CallbackServerContext* context,
      const v1::ListIncidentsRequest* request,
      v1::ListIncidentsResponse* response) override;
  grpc::ServerUnaryReactor* ClaimNextIncident(
      grpc::CallbackServerContext* context,
      const v1::ClaimNextIncidentRequest* request,
      v1::Incident* response) override;
  grpc::ServerUnaryReactor* UpdateIncidentStatus(
      grpc::CallbackServerContext* context,
      const v1::UpdateIncidentStatusRequest* request,
      v1::Incident* response) override;
  grpc::ServerUnaryReactor* ListSlaBreaches(
      grpc::CallbackServerContext* context,
      const v1::ListSlaBreachesRequest* request,
      v1::ListSlaBreachesResponse* response) override;
  grpc::ServerReadReactor<v1::EvidenceChunk>* AddEvidence(
      grpc::CallbackServerContext* context, v1::Evidence* response) override;
  grpc::ServerWriteReactor<v1::EvidenceChunk>* ReadEvidence(
      grpc::CallbackServerContext* context,
      const v1::ReadEvidenceRequest* request) override;
  grpc::ServerWriteReactor<v1::IncidentEvent>* WatchIncidents(
      grpc::CallbackServerContext* context,
      const v1::WatchIncidentsRequest* request) override;

 private:
  incident::IncidentManager& incidents_;
  const CallGate& gate_;
  IntakeLanes lanes_;
  StreamSlots upload_slots_;
  StreamSlots emergency_share_;
  // WatchIncidents streams, each person's share.
  StreamSlots watchers_;
  IdleStreamReaper idle_uploads_;
};

}  // namespace sentinel::services

#endif  // SENTINEL_SERVICES_INTAKE_INTAKE_GRPC_SERVICE_H_
