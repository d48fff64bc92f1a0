// The incident subcommands over IncidentService: report, queue, claim, show,
// status and breaches. Options are checked here (incident_options.h); what
// only the server can judge (lengths, allowed status moves, roles) comes
// back as its one-line failure.
#include <cstdio>
#include <string>

#include "cli/command_runners.h"
#include "cli/incident_options.h"
#include "cli/incident_output.h"
#include "cli/report.h"

namespace sentinel::cli {

// report ACCOUNT --category=CATEGORY --description=TEXT [--channel=CHANNEL]
// [--vip_level=N] [--idempotency_key=KEY]. A failed protective freeze still
// exits 0, since the incident was recorded, but is also said on stderr: the
// account is not blocked until someone freezes it by hand.
int RunReport(const CommandEnv& env) {
  absl::StatusOr<v1::ReportIncidentRequest> request =
      ReportIncidentRequestFromFlags(env.args[0]);
  if (!request.ok()) return UsageFailure(request.status().message());

  grpc::ClientContext context;
  env.session.Prepare(&context);
  v1::Incident incident;
  const grpc::Status status =
      env.session.incident().ReportIncident(&context, *request, &incident);
  if (!status.ok()) return RpcFailure(status);
  const int exit_code =
      PrintResult(incident, env.json, [&] { return ReportedText(incident); });
  if (const std::string failed = FreezeFailedLine(incident); !failed.empty()) {
    std::fputs(failed.c_str(), stderr);
  }
  return exit_code;
}

// queue [--status=STATUS] [--priority=P] [--account=ID]
// [--assignee=ROLE/NAME] [--page_size=N] [--page_token=T]
int RunQueue(const CommandEnv& env) {
  absl::StatusOr<v1::ListIncidentsRequest> request =
      ListIncidentsRequestFromFlags();
  if (!request.ok()) return UsageFailure(request.status().message());

  grpc::ClientContext context;
  env.session.Prepare(&context);
  v1::ListIncidentsResponse response;
  const grpc::Status status =
      env.session.incident().ListIncidents(&context, *request, &response);
  if (!status.ok()) return RpcFailure(status);
  return PrintResult(response, env.json, [&] { return QueueText(response); });
}

// claim. Nothing waiting is the server's NOT_FOUND, reported as a failure
// (exit 1) with its message, so scripts can tell it from a claim.
int RunClaim(const CommandEnv& env) {
  grpc::ClientContext context;
  env.session.Prepare(&context);
  v1::Incident incident;
  const grpc::Status status = env.session.incident().ClaimNextIncident(
      &context, v1::ClaimNextIncidentRequest(), &incident);
  if (!status.ok()) return RpcFailure(status);
  return PrintResult(incident, env.json, [&] { return ClaimedText(incident); });
}

// show INCIDENT_ID
int RunShow(const CommandEnv& env) {
  v1::GetIncidentRequest request;
  request.set_incident_id(env.args[0]);

  grpc::ClientContext context;
  env.session.Prepare(&context);
  v1::Incident incident;
  const grpc::Status status =
      env.session.incident().GetIncident(&context, request, &incident);
  if (!status.ok()) return RpcFailure(status);
  return PrintResult(incident, env.json,
                     [&] { return IncidentText(incident); });
}

// status INCIDENT_ID STATUS [--note=TEXT]
int RunIncidentStatus(const CommandEnv& env) {
  absl::StatusOr<v1::UpdateIncidentStatusRequest> request =
      UpdateIncidentStatusRequestFromFlags(env.args[0], env.args[1]);
  if (!request.ok()) return UsageFailure(request.status().message());

  grpc::ClientContext context;
  env.session.Prepare(&context);
  v1::Incident incident;
  const grpc::Status status = env.session.incident().UpdateIncidentStatus(
      &context, *request, &incident);
  if (!status.ok()) return RpcFailure(status);
  return PrintResult(incident, env.json,
                     [&] { return StatusChangedText(incident); });
}

// breaches [--priority=P[,P...]] [--breached_only] [--page_size=N]
// [--page_token=T]
int RunBreaches(const CommandEnv& env) {
  absl::StatusOr<v1::ListSlaBreachesRequest> request =
      ListSlaBreachesRequestFromFlags();
  if (!request.ok()) return UsageFailure(request.status().message());

  grpc::ClientContext context;
  env.session.Prepare(&context);
  v1::ListSlaBreachesResponse response;
  const grpc::Status status =
      env.session.incident().ListSlaBreaches(&context, *request, &response);
  if (!status.ok()) return RpcFailure(status);
  return PrintResult(response, env.json,
                     [&] { return SlaBreachesText(response); });
}

}  // namespace sentinel::cli
