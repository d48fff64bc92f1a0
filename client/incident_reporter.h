// IncidentReporter: how an internal detector (login service, risk engine)
// files an incident with IncidentService.ReportIncident, safely retried.
#ifndef SENTINEL_CLIENT_INCIDENT_REPORTER_H_
#define SENTINEL_CLIENT_INCIDENT_REPORTER_H_

#include <memory>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "client/backoff.h"
#include "client/server_connection.h"
#include "sentinel/v1/incident.grpc.pb.h"

namespace sentinel::client {

struct IncidentReporterOptions {
  // Where IncidentService is; the principal needs role agent, security,
  // internal or admin.
  ServerConnection connection;
  // The most one Report() takes, retries and waits included. Must be > 0.
  absl::Duration deadline = absl::Seconds(10);
  // Attempts per Report(), the first included: 1..100.
  int max_attempts = 4;
  // Delays between attempts.
  BackoffPolicy backoff = {.initial = absl::Milliseconds(100),
                           .max = absl::Seconds(2)};
};

// Thread-safe: Report() may be called concurrently.
class IncidentReporter final {
 public:
  // Errors: kInvalidArgument naming the bad option.
  static absl::StatusOr<std::unique_ptr<IncidentReporter>> Create(
      IncidentReporterOptions options);

  // Files `request`, which must carry an idempotency_key: that is what
  // makes a retry return the incident the first attempt created instead of
  // filing a second one. UNAVAILABLE (server down or restarting) is retried
  // with backoff, up to max_attempts and within the deadline; every other
  // outcome is returned as is.
  //
  // OK: the incident (report_outcome CREATED, FOLDED or REPLAYED; for P0,
  // protective_freeze_id or freeze_failed). Errors: kInvalidArgument
  // without an idempotency_key (nothing is sent) or as the server names the
  // field; kUnavailable after the last attempt; kDeadlineExceeded;
  // kResourceExhausted (P1..P3 shed under load; not retried here);
  // kAlreadyExists (key reused for a different report); kUnauthenticated,
  // kPermissionDenied.
  //
  // Example:
  //   v1::ReportIncidentRequest report;
  //   report.set_account_id(account_id);
  //   report.set_category(v1::INCIDENT_CATEGORY_ACCOUNT_TAKEOVER);
  //   report.set_description("new device and 2FA reset within a minute");
  //   report.set_channel(v1::CHANNEL_INTERNAL_DETECTION);
  //   report.set_idempotency_key(absl::StrCat("risk-", alert_id));
  //   SENTINEL_ASSIGN_OR_RETURN(v1::Incident incident,
  //                             reporter->Report(report));
  absl::StatusOr<v1::Incident> Report(
      const v1::ReportIncidentRequest& request) const;

 private:
  explicit IncidentReporter(IncidentReporterOptions options);

  const IncidentReporterOptions options_;
  std::unique_ptr<v1::IncidentService::Stub> stub_;
};

}  // namespace sentinel::client

#endif  // SENTINEL_CLIENT_INCIDENT_REPORTER_H_
