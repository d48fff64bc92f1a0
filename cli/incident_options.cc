// Implements checking the incident subcommands' option values.
#include "cli/incident_options.h"

#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "cli/flags.h"
#include "cli/incident_names.h"
#include "common/principal.h"

namespace sentinel::cli {
namespace {

// `status` with "--<flag_name>: " in front of its message.
absl::Status ForOption(absl::string_view flag_name,
                       const absl::Status& status) {
  return absl::InvalidArgumentError(
      absl::StrCat("--", flag_name, ": ", status.message()));
}

}  // namespace

absl::StatusOr<v1::ReportIncidentRequest> ReportIncidentRequestFromFlags(
    absl::string_view account_id) {
  v1::ReportIncidentRequest request;
  request.set_account_id(std::string(account_id));

  // Checked here: the server's complaint about an UNSPECIFIED category would
  // not say which flag is missing or what the categories are.
  const std::string category = absl::GetFlag(FLAGS_category);
  if (category.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "report needs --category=CATEGORY (one of ", CategoryNameList(), ")"));
  }
  absl::StatusOr<v1::IncidentCategory> parsed_category =
      ParseCategoryName(category);
  if (!parsed_category.ok()) {
    return ForOption("category", parsed_category.status());
  }
  request.set_category(*parsed_category);

  absl::StatusOr<v1::Channel> channel =
      ParseChannelName(absl::GetFlag(FLAGS_channel));
  if (!channel.ok()) return ForOption("channel", channel.status());
  request.set_channel(*channel);

  request.set_description(absl::GetFlag(FLAGS_description));
  request.set_vip_level(absl::GetFlag(FLAGS_vip_level));
  request.set_idempotency_key(absl::GetFlag(FLAGS_idempotency_key));
  return request;
}

absl::StatusOr<v1::ListIncidentsRequest> ListIncidentsRequestFromFlags() {
  v1::ListIncidentsRequest request;
  if (const std::string status = absl::GetFlag(FLAGS_status); !status.empty()) {
    absl::StatusOr<v1::IncidentStatus> parsed = ParseIncidentStatusName(status);
    if (!parsed.ok()) return ForOption("status", parsed.status());
    request.set_status(*parsed);
  }
  if (const std::string priority = absl::GetFlag(FLAGS_priority);
      !priority.empty()) {
    if (absl::StrContains(priority, ',')) {
      return absl::InvalidArgumentError(
          absl::StrCat("--priority=", priority,
                       ": queue filters by one priority (P0, P1, P2 or P3)"));
    }
    absl::StatusOr<v1::Priority> parsed = ParsePriorityName(priority);
    if (!parsed.ok()) return ForOption("priority", parsed.status());
    request.set_priority(*parsed);
  }
  request.set_account_id(absl::GetFlag(FLAGS_account));
  // A malformed assignee matches nothing; say so instead of printing an
  // empty page.
  if (const std::string assignee = absl::GetFlag(FLAGS_assignee);
      !assignee.empty()) {
    absl::StatusOr<Principal> principal = ParsePrincipalShort(assignee);
    if (!principal.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--assignee=", assignee, ": ", principal.status().message()));
    }
    request.set_assignee(principal->ToString());
  }
  request.set_page_size(absl::GetFlag(FLAGS_page_size));
  request.set_page_token(absl::GetFlag(FLAGS_page_token));
  return request;
}

absl::StatusOr<v1::UpdateIncidentStatusRequest>
UpdateIncidentStatusRequestFromFlags(absl::string_view incident_id,
                                     absl::string_view status) {
  absl::StatusOr<v1::IncidentStatus> parsed = ParseIncidentStatusName(status);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("STATUS: ", parsed.status().message()));
  }
  v1::UpdateIncidentStatusRequest request;
  request.set_incident_id(std::string(incident_id));
  request.set_status(*parsed);
  request.set_note(absl::GetFlag(FLAGS_note));
  return request;
}

absl::StatusOr<v1::ListSlaBreachesRequest> ListSlaBreachesRequestFromFlags() {
  absl::StatusOr<std::vector<v1::Priority>> priorities =
      ParsePriorityList(absl::GetFlag(FLAGS_priority));
  if (!priorities.ok()) return ForOption("priority", priorities.status());
  v1::ListSlaBreachesRequest request;
  for (v1::Priority priority : *priorities) request.add_priorities(priority);
  request.set_breached_only(absl::GetFlag(FLAGS_breached_only));
  request.set_page_size(absl::GetFlag(FLAGS_page_size));
  request.set_page_token(absl::GetFlag(FLAGS_page_token));
  return request;
}

absl::StatusOr<v1::WatchIncidentsRequest> WatchIncidentsRequestFromFlags() {
  absl::StatusOr<std::vector<v1::Priority>> priorities =
      ParsePriorityList(absl::GetFlag(FLAGS_priority));
  if (!priorities.ok()) return ForOption("priority", priorities.status());
  v1::WatchIncidentsRequest request;
  for (v1::Priority priority : *priorities) request.add_priorities(priority);
  request.set_from_version(absl::GetFlag(FLAGS_from_version));
  return request;
}

}  // namespace sentinel::cli
