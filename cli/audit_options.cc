// Implements checking the audit subcommands' option values.
#include "cli/audit_options.h"

#include <algorithm>
#include <string>

#include "absl/flags/flag.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "cli/flags.h"
#include "common/principal.h"
#include "common/time_util.h"

namespace sentinel::cli {

absl::StatusOr<absl::Time> ParseTimeOption(absl::string_view flag_name,
                                           absl::string_view value) {
  absl::Time time;
  std::string error;
  if (!absl::ParseTime(absl::RFC3339_full, value, &time, &error) ||
      time == absl::InfinitePast() || time == absl::InfiniteFuture()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", flag_name, ": \"", value,
                     "\" is not an RFC 3339 time such as "
                     "2026-11-26T10:00:00Z"));
  }
  return time;
}

absl::StatusOr<uint64_t> ParseSeqArgument(absl::string_view value) {
  uint64_t seq = 0;
  // SimpleAtoi accepts a leading '+' and spaces; a position is just digits.
  const bool digits_only =
      !value.empty() && std::all_of(value.begin(), value.end(), [](char c) {
        return absl::ascii_isdigit(static_cast<unsigned char>(c));
      });
  if (!digits_only || !absl::SimpleAtoi(value, &seq)) {
    return absl::InvalidArgumentError(
        absl::StrCat("SEQ must be an entry's position, a number from 0; got \"",
                     value, "\""));
  }
  return seq;
}

absl::StatusOr<v1::QueryAuditRequest> QueryAuditRequestFromFlags() {
  v1::QueryAuditRequest request;
  request.set_subject(absl::GetFlag(FLAGS_subject));
  request.set_page_size(absl::GetFlag(FLAGS_page_size));
  request.set_page_token(absl::GetFlag(FLAGS_page_token));

  // A malformed actor or action matches nothing; say so instead of printing
  // an empty page.
  if (const std::string actor = absl::GetFlag(FLAGS_actor); !actor.empty()) {
    absl::StatusOr<Principal> principal = ParsePrincipalShort(actor);
    if (!principal.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--actor=", actor, ": ", principal.status().message()));
    }
    request.set_actor(principal->ToString());
  }
  if (const std::string action = absl::GetFlag(FLAGS_action); !action.empty()) {
    const size_t dot = action.find('.');
    if (dot == 0 || dot == std::string::npos || dot + 1 == action.size()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--action=", action,
                       ": audit query takes an action as Service.Method, e.g. "
                       "FreezeService.FreezeAccount"));
    }
    request.set_action(action);
  }

  const std::string since = absl::GetFlag(FLAGS_since);
  const std::string until = absl::GetFlag(FLAGS_until);
  absl::Time since_time = absl::InfinitePast();
  absl::Time until_time = absl::InfiniteFuture();
  if (!since.empty()) {
    absl::StatusOr<absl::Time> parsed = ParseTimeOption("since", since);
    if (!parsed.ok()) return parsed.status();
    since_time = *parsed;
    *request.mutable_since() = ToProtoTime(since_time);
  }
  if (!until.empty()) {
    absl::StatusOr<absl::Time> parsed = ParseTimeOption("until", until);
    if (!parsed.ok()) return parsed.status();
    until_time = *parsed;
    *request.mutable_until() = ToProtoTime(until_time);
  }
  if (since_time >= until_time) {
    return absl::InvalidArgumentError(
        absl::StrCat("--since=", since, " is not before --until=", until));
  }
  return request;
}

}  // namespace sentinel::cli
