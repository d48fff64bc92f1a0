// The values the incident subcommands take on the command line, checked and
// turned into their requests. Errors are kInvalidArgument with a one-line
// message naming the option or argument, for UsageFailure (exit 2). Lengths,
// character sets, vip_level and page limits are left to the server, which
// names the field.
#ifndef SENTINEL_CLI_INCIDENT_OPTIONS_H_
#define SENTINEL_CLI_INCIDENT_OPTIONS_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "sentinel/v1/incident.pb.h"

namespace sentinel::cli {

// The ReportIncidentRequest of `report ACCOUNT`, from --category (required),
// --description, --channel (default LIVE_CHAT), --vip_level and
// --idempotency_key. Errors for a missing --category and for a category or
// channel name that is not one of the short names (incident_names.h).
//
// Example:
//   --category=account_takeover --description="2FA reset" ->
//   {account_id: "acct-1", category: INCIDENT_CATEGORY_ACCOUNT_TAKEOVER,
//    description: "2FA reset", channel: CHANNEL_LIVE_CHAT}
absl::StatusOr<v1::ReportIncidentRequest> ReportIncidentRequestFromFlags(
    absl::string_view account_id);

// The ListIncidentsRequest of `queue`, from --status, --priority (one
// priority), --account, --assignee, --page_size and --page_token; empty
// options are left unset (any). Errors for an unknown status or priority,
// a list of priorities, and an assignee that is not ROLE/NAME.
absl::StatusOr<v1::ListIncidentsRequest> ListIncidentsRequestFromFlags();

// The UpdateIncidentStatusRequest of `status INCIDENT_ID STATUS`, with
// --note. Errors for a STATUS that is not a short status name.
absl::StatusOr<v1::UpdateIncidentStatusRequest>
UpdateIncidentStatusRequestFromFlags(absl::string_view incident_id,
                                     absl::string_view status);

// The ListSlaBreachesRequest of `breaches`, from --priority (a
// comma-separated list), --breached_only, --page_size and --page_token.
// Errors for an empty, unknown or repeated priority.
absl::StatusOr<v1::ListSlaBreachesRequest> ListSlaBreachesRequestFromFlags();

// The WatchIncidentsRequest of `watch incidents`, from --from_version and
// --priority (a comma-separated list). Errors as for `breaches`.
absl::StatusOr<v1::WatchIncidentsRequest> WatchIncidentsRequestFromFlags();

}  // namespace sentinel::cli

#endif  // SENTINEL_CLI_INCIDENT_OPTIONS_H_
