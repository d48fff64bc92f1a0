#include "services/intake/intake_grpc_service.h"

#include <limits>
#include <memory>

#include "absl/strings/str_cat.h"
#include "common/clock.h"
#include "incident/triage.h"
#include "services/common/feed_write_reactor.h"
#include "services/common/refused_stream.h"
#include "services/common/unary_call.h"
#include "services/intake/evidence_download.h"

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
constexpr char kReadEvidence[] = "/sentinel.v1.IncidentService/ReadEvidence";
constexpr char kWatchIncidents[] =
    "/sentinel.v1.IncidentService/WatchIncidents";

}  // namespace

IntakeGrpcService::IntakeGrpcService(incident::IncidentManager& incidents,
                                     const CallGate& gate, IntakeLanes lanes,
                                     size_t max_uploads)
    : incidents_(incidents),
      gate_(gate),
      lanes_(lanes),
      upload_slots_(max_uploads, kMaxUploadsPerPerson),
      // The emergency executor bounds the total; this bounds each reporter.
      emergency_share_(std::numeric_limits<size_t>::max(),
                       kMaxEmergencyReportsPerPerson),
      watchers_(std::numeric_limits<size_t>::max(), kMaxWatchStreamsPerPerson),
      idle_uploads_(SystemClock(), kUploadIdleTimeout, absl::Seconds(1)) {}

grpc::ServerUnaryReactor* IntakeGrpcService::ReportIncident(
    grpc::CallbackServerContext* context,
    const v1::ReportIncidentRequest* request, v1::Incident* response) {
  absl::StatusOr<Principal> caller = gate_.Admit(*context, kReportIncident);
  if (!caller.ok()) return FinishUnary(context, caller.status());
  // Triage in the reaction: an unknown category goes down the ticket lane,
  // where validation refuses it.
  const bool emergency =
      v1::IncidentCategory_IsValid(request->category()) &&
      request->category() != v1::INCIDENT_CATEGORY_UNSPECIFIED &&
      incident::IsEmergency(
          incident::TriageReport(request->category(), request->vip_level())
              .priority);
  std::shared_ptr<const void> share;
  if (emergency) {
    share = emergency_share_.TakeShared(*caller);
    if (share == nullptr) {
      return FinishUnary(
          context,
          OverloadedStatus(
              absl::StrCat("too many emergency reports from ",
                           caller->ToString(), " in progress (at most ",
                           kMaxEmergencyReportsPerPerson,
                           " per reporter); retry with backoff"),
              kRetryAfterOverload));
    }
  }
  return FinishOnExecutor(
      emergency ? lanes_.emergency : lanes_.tickets, context,
      [this, caller = *caller, request, response, share] {
        return gate_.Outcome(
            caller, kReportIncident,
            Deliver(incidents_.Report(caller, *request), response));
      });
}

grpc::ServerUnaryReactor* IntakeGrpcService::GetIncident(
    grpc::CallbackServerContext* context, const v1::GetIncidentRequest* request,
    v1::Incident* response) {
  absl::StatusOr<Principal> caller = gate_.Admit(*context, kGetIncident);
  if (!caller.ok()) return FinishUnary(context, caller.status());
  return FinishOnExecutor(lanes_.desk, context, [this, request, response] {
    return Deliver(incidents_.Get(*request), response);
  });
}

grpc::ServerUnaryReactor* IntakeGrpcService::ListIncidents(
    grpc::CallbackServerContext* context,
    const v1::ListIncidentsRequest* request,
    v1::ListIncidentsResponse* response) {
  absl::StatusOr<Principal> caller = gate_.Admit(*context, kListIncidents);
  if (!caller.ok()) return FinishUnary(context, caller.status());
  return FinishOnExecutor(lanes_.desk, context, [this, request, response] {
    return Deliver(incidents_.List(*request), response);
  });
}

grpc::ServerUnaryReactor* IntakeGrpcService::ClaimNextIncident(
    grpc::CallbackServerContext* context, const v1::ClaimNextIncidentRequest*,
    v1::Incident* response) {
  absl::StatusOr<Principal> caller = gate_.Admit(*context, kClaimNextIncident);
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
      gate_.Admit(*context, kUpdateIncidentStatus);
  if (!caller.ok()) return FinishUnary(context, caller.status());
  return FinishOnExecutor(
      lanes_.desk, context, [this, caller = *caller, request, response] {
        return gate_.Outcome(
            caller, kUpdateIncidentStatus,
            Deliver(incidents_.UpdateStatus(caller, *request), response));
      });
}

grpc::ServerUnaryReactor* IntakeGrpcService::ListSlaBreaches(
    grpc::CallbackServerContext* context,
    const v1::ListSlaBreachesRequest* request,
    v1::ListSlaBreachesResponse* response) {
  absl::StatusOr<Principal> caller = gate_.Admit(*context, kListSlaBreaches);
  if (!caller.ok()) return FinishUnary(context, caller.status());
  return FinishOnExecutor(lanes_.desk, context, [this, request, response] {
    return Deliver(incidents_.ListSlaBreaches(*request), response);
  });
}

grpc::ServerReadReactor<v1::EvidenceChunk>* IntakeGrpcService::AddEvidence(
    grpc::CallbackServerContext* context, v1::Evidence* response) {
  return EvidenceUploadReactor::Start(
      context, gate_.Admit(*context, kAddEvidenceMethod), gate_, incidents_,
      lanes_.desk, UploadGuards{upload_slots_, idle_uploads_}, response);
}

grpc::ServerWriteReactor<v1::EvidenceChunk>* IntakeGrpcService::ReadEvidence(
    grpc::CallbackServerContext* context,
    const v1::ReadEvidenceRequest* request) {
  return EvidenceDownloadReactor::Start(context,
                                        gate_.Admit(*context, kReadEvidence),
                                        *request, incidents_, lanes_.desk);
}

grpc::ServerWriteReactor<v1::IncidentEvent>* IntakeGrpcService::WatchIncidents(
    grpc::CallbackServerContext* context,
    const v1::WatchIncidentsRequest* request) {
  absl::StatusOr<Principal> caller = gate_.Admit(*context, kWatchIncidents);
  if (!caller.ok()) {
    return RefusedWriteReactor<v1::IncidentEvent>::Create(caller.status());
  }
  absl::StatusOr<std::unique_ptr<LogSubscription<v1::IncidentEvent>>>
      subscription = incidents_.Subscribe(*request);
  if (!subscription.ok()) {
    return RefusedWriteReactor<v1::IncidentEvent>::Create(
        subscription.status());
  }
  std::shared_ptr<const void> share = watchers_.TakeShared(*caller);
  if (share == nullptr) {
    return RefusedWriteReactor<v1::IncidentEvent>::Create(
        TooManyWatchStreams(*caller));
  }
  auto* reactor = new FeedWriteReactor<v1::IncidentEvent>(
      *std::move(subscription),
      ResyncEventOfKind<v1::IncidentEvent>(
          v1::INCIDENT_EVENT_KIND_RESYNC_REQUIRED),
      "from_version");
  reactor->HoldUntilDone(std::move(share));
  reactor->starter().Start();
  return reactor;
}

}  // namespace sentinel::services
