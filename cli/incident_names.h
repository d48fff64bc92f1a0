// IncidentService enum values as operators type and read them: short names
// without the proto prefix, such as "account_takeover", "LIVE_CHAT",
// "waiting_on_user" or "p0", case-insensitive on input and upper case on
// output.
#ifndef SENTINEL_CLI_INCIDENT_NAMES_H_
#define SENTINEL_CLI_INCIDENT_NAMES_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "sentinel/v1/incident.pb.h"

namespace sentinel::cli {

// Each parser returns the value whose short name is `name` in any case, e.g.
// ParseCategoryName("account_takeover") -> INCIDENT_CATEGORY_ACCOUNT_TAKEOVER.
// kInvalidArgument naming `name` and listing the valid short names
// otherwise, including for UNSPECIFIED and for the full proto name
// ("INCIDENT_CATEGORY_ACCOUNT_TAKEOVER"), as ParseScopeName does.
//
// Example:
//   ParseCategoryName("phish")
//     -> kInvalidArgument: unknown category "phish" (expected one of
//        ACCOUNT_TAKEOVER, TWO_FA_FAILURE, ..., OTHER)

// ACCOUNT_TAKEOVER, TWO_FA_FAILURE, UNAUTHORIZED_WITHDRAWAL, PHISHING,
// WITHDRAWAL_NOT_RECEIVED, ACCOUNT_RESTRICTED_IN_ERROR, TRADE_DISPUTE,
// POLICY_QUESTION, OTHER.
absl::StatusOr<v1::IncidentCategory> ParseCategoryName(absl::string_view name);

// The valid category names as above, comma-separated, for usage messages.
std::string CategoryNameList();

// LIVE_CHAT, TICKET, SOCIAL, VIP_MANAGER, INTERNAL_DETECTION.
absl::StatusOr<v1::Channel> ParseChannelName(absl::string_view name);

// NEW, ACKNOWLEDGED, INVESTIGATING, WAITING_ON_USER, RESOLVED, CLOSED.
absl::StatusOr<v1::IncidentStatus> ParseIncidentStatusName(
    absl::string_view name);

// P0, P1, P2, P3.
absl::StatusOr<v1::Priority> ParsePriorityName(absl::string_view name);

// A comma-separated list of priority names, in the order given; spaces
// around names are ignored and an all-blank list gives no priorities.
// kInvalidArgument for an empty, unknown or repeated name (the server
// refuses repeats).
//
// Example:
//   ParsePriorityList("p0, P1") -> {PRIORITY_P0, PRIORITY_P1}
absl::StatusOr<std::vector<v1::Priority>> ParsePriorityList(
    absl::string_view list);

// The short upper-case name of a value, e.g. "ACCOUNT_TAKEOVER", "P0",
// "WAITING_ON_USER", "AT_RISK". "-" for UNSPECIFIED; the number for a value
// this build does not know (a newer server's), so nothing is hidden.
std::string CategoryName(int category);
std::string ChannelName(int channel);
std::string IncidentStatusName(int status);
std::string PriorityName(int priority);
std::string ReportOutcomeName(int outcome);
std::string SlaStateName(int state);
std::string SlaClockName(int clock);
std::string IncidentEventKindName(int kind);

}  // namespace sentinel::cli

#endif  // SENTINEL_CLI_INCIDENT_NAMES_H_
