#include "client/incident_reporter.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "client/retry.h"

namespace sentinel::client {

absl::StatusOr<std::unique_ptr<IncidentReporter>> IncidentReporter::Create(
    IncidentReporterOptions options) {
  if (absl::Status valid = ValidateConnection(options.connection);
      !valid.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("connection.", valid.message()));
  }
  if (absl::Status valid = ValidateRetry(options.deadline, options.max_attempts,
                                         options.backoff);
      !valid.ok()) {
    return valid;
  }
  return std::unique_ptr<IncidentReporter>(
      new IncidentReporter(std::move(options)));
}

IncidentReporter::IncidentReporter(IncidentReporterOptions options)
    : options_(std::move(options)),
      stub_(v1::IncidentService::NewStub(OpenChannel(options_.connection,
                                                     options_.backoff.initial,
                                                     options_.backoff.max))) {}

absl::StatusOr<v1::Incident> IncidentReporter::Report(
    const v1::ReportIncidentRequest& request) const {
  if (request.idempotency_key().empty()) {
    return absl::InvalidArgumentError(
        "idempotency_key: required, so that a retried report cannot file a "
        "second incident");
  }
  v1::Incident incident;
  const absl::Status status = RetryUnavailable(
      [&](absl::Time deadline) {
        grpc::ClientContext context;
        PrepareContext(options_.connection, &context);
        context.set_deadline(absl::ToChronoTime(deadline));
        return FromGrpcStatus(
            stub_->ReportIncident(&context, request, &incident));
      },
      absl::Now() + options_.deadline, options_.max_attempts, options_.backoff);
  if (!status.ok()) return status;
  return incident;
}

}  // namespace sentinel::client
