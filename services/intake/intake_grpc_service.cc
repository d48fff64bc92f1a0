#include "services/intake/intake_grpc_service.h"

#include "incident/triage.h"
#include "services/common/unary_call.h"

namespace sentinel::services {
namespace {

constexpr char kReportIncident[] =
    "/sentinel.v1.IncidentService/ReportIncident";
constexpr char kGetIncident[] = "/sentinel.v1.IncidentService/GetIncident";
constexpr char kListIncidents[] = "/sentinel.v1.IncidentService/ListIncidents";
constexpr char kClaimNextIncident[] =
    "/sentinel.v1.IncidentService/ClaimNextIncident";
constexpr char kUpdateIncidentStatus[] =
    "/sentinel.v1.IncidentService/UpdateIncidentStatus";
constexpr char kListSlaBreaches[] =
    "/sentinel.v1.IncidentService/ListSlaBreaches";

}  // namespace

IntakeGrpcService::IntakeGrpcService(incident::IncidentManager& incidents,
                                     const Authenticator& authenticator,
                                     IntakeLanes lanes)
    : incidents_(incidents), authenticator_(authenticator), lanes_(lanes) {}

grpc::ServerUnaryReactor* IntakeGrpcService::ReportIncident(
    grpc::CallbackServerContext* context,
    const v1::ReportIncidentRequest* request, v1::Incident* response) {
  absl::StatusOr<Principal> caller =
      AuthorizeCall(authenticator_, *context, kReportIncident);
  if (!caller.ok()) return FinishUnary(context, caller.status());
  // Triage in the reaction: an unknown category goes down the ticket lane,
  // where validation refuses it.
  const bool emergency =
      v1::IncidentCategory_IsValid(request->category()) &&
      request->category() != v1::INCIDENT_CATEGORY_UNSPECIFIED &&
      incident::IsEmergency(
          incident::TriageReport(request->category(), request->vip_level())
              .priority);
  return FinishOnExecutor(emergency ? lanes_.emergency : lanes_.tickets,
                          context, [this, caller = *caller, request, response] {
                            return Deliver(incidents_.Report(caller, *request),
                                           response);
                          });
}

grpc::ServerUnaryReactor* IntakeGrpcService::GetIncident(
    grpc::CallbackServerContext* context, const v1::GetIncidentRequest* request,
    v1::Incident* response) {
  absl::StatusOr<Principal> caller =
      AuthorizeCall(authenticator_, *context, kGetIncident);
  if (!caller.ok()) return FinishUnary(context, caller.status());
  return FinishOnExecutor(lanes_.desk, context, [this, request, response] {
    return Deliver(incidents_.Get(*request), response);
  });
}

grpc::ServerUnaryReactor* IntakeGrpcService::ListIncidents(
    grpc::CallbackServerContext* context,
    const v1::ListIncidentsRequest* request,
    v1::ListIncidentsResponse* response) {
  absl::StatusOr<Principal> caller =
      AuthorizeCall(authenticator_, *context, kListIncidents);
  if (!caller.ok()) return FinishUnary(context, caller.status());
  return FinishOnExecutor(lanes_.desk, context, [this, request, response] {
    return Deliver(incidents_.List(*request), response);
  });
}

grpc::ServerUnaryReactor* IntakeGrpcService::ClaimNextIncident(
    grpc::CallbackServerContext* context, const v1::ClaimNextIncidentRequest*,
    v1::Incident* response) {
  absl::StatusOr<Principal> caller =
      AuthorizeCall(authenticator_, *context, kClaimNextIncident);
  if (!caller.ok()) return FinishUnary(context, caller.status());
  return FinishOnExecutor(
      lanes_.desk, context, [this, caller = *caller, response] {
        return Deliver(incidents_.ClaimNext(caller), response);
      });
}

grpc::ServerUnaryReactor* IntakeGrpcService::UpdateIncidentStatus(
    grpc::CallbackServerContext* context,
    const v1::UpdateIncidentStatusRequest* request, v1::Incident* response) {
  absl::StatusOr<Principal> caller =
      AuthorizeCall(authenticator_, *context, kUpdateIncidentStatus);
  if (!caller.ok()) return FinishUnary(context, caller.status());
  return FinishOnExecutor(
      lanes_.desk, context, [this, caller = *caller, request, response] {
        return Deliver(incidents_.UpdateStatus(caller, *request), response);
      });
}

grpc::ServerUnaryReactor* IntakeGrpcService::ListSlaBreaches(
    grpc::CallbackServerContext* context,
    const v1::ListSlaBreachesRequest* request,
    v1::ListSlaBreachesResponse* response) {
  absl::StatusOr<Principal> caller =
      AuthorizeCall(authenticator_, *context, kListSlaBreaches);
  if (!caller.ok()) return FinishUnary(context, caller.status());
  return FinishOnExecutor(lanes_.desk, context, [this, request, response] {
    return Deliver(incidents_.ListSlaBreaches(*request), response);
  });
}

}  // namespace sentinel::services
