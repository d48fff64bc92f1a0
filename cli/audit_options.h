// The values the audit subcommands take on the command line, checked and
// turned into what their calls need. Errors are kInvalidArgument with a
// one-line message naming the option, for UsageFailure (exit 2).
#ifndef SENTINEL_CLI_AUDIT_OPTIONS_H_
#define SENTINEL_CLI_AUDIT_OPTIONS_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "sentinel/v1/audit.pb.h"

namespace sentinel::cli {

// `value` of option --`flag_name` as an RFC 3339 time, e.g.
// "2026-11-26T10:00:00Z" or "2026-11-26T11:00:00.5+01:00".
//
// Example:
//   ParseTimeOption("since", "2026-11-26T10:00:00Z")
//     -> absl::FromCivil(absl::CivilSecond(2026, 11, 26, 10, 0, 0),
//                        absl::UTCTimeZone())
absl::StatusOr<absl::Time> ParseTimeOption(absl::string_view flag_name,
                                           absl::string_view value);

// An entry's position as typed: a decimal number without sign, e.g. "0".
absl::StatusOr<uint64_t> ParseSeqArgument(absl::string_view value);

// The QueryAuditRequest of `audit query`, from --subject, --actor, --action,
// --since, --until, --page_size and --page_token. Empty options are left
// unset. Errors for an actor that is not ROLE/NAME, an action that is not
// Service.Method, a time that does not parse, and --since not before
// --until; lengths and page limits are checked by the server, which names
// the field.
absl::StatusOr<v1::QueryAuditRequest> QueryAuditRequestFromFlags();

}  // namespace sentinel::cli

#endif  // SENTINEL_CLI_AUDIT_OPTIONS_H_
