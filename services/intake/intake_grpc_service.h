// IncidentService over gRPC, with the emergency fast lane.
//
// Lanes (docs/intake.md): a report is triaged in the reaction, before any
// queue. P0 reports run on the `emergency` executor, which nothing else
// uses, so they never wait behind ordinary work. P1..P3 reports run on the
// bounded `tickets` executor; when it is full they fail at once with
// RESOURCE_EXHAUSTED and a RetryInfo hint, so a flood of tickets cannot grow
// a queue in front of anything. Agents' work (claim, status, reads) runs on
// its own bounded `desk` executor.
#ifndef SENTINEL_SERVICES_INTAKE_INTAKE_GRPC_SERVICE_H_
#define SENTINEL_SERVICES_INTAKE_INTAKE_GRPC_SERVICE_H_

#include "common/bounded_executor.h"
#include "incident/incident_manager.h"
#include "sentinel/v1/incident.grpc.pb.h"
#include "services/common/authenticator.h"

namespace sentinel::services {

// The executors of the intake lanes.
struct IntakeLanes {
  BoundedExecutor& emergency;
  BoundedExecutor& tickets;
  BoundedExecutor& desk;
};

class IntakeGrpcService final : public v1::IncidentService::CallbackService {
 public:
  // All must outlive the service.
  IntakeGrpcService(incident::IncidentManager& incidents,
                    const Authenticator& authenticator, IntakeLanes lanes);

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

 private:
  incident::IncidentManager& incidents_;
  const Authenticator& authenticator_;
  IntakeLanes lanes_;
};

}  // namespace sentinel::services

#endif  // SENTINEL_SERVICES_INTAKE_INTAKE_GRPC_SERVICE_H_
