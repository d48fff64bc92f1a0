// Implements checking the trace subcommands' option values.
#include "cli/trace_options.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "cli/audit_options.h"
#include "cli/flags.h"
#include "cli/scope_names.h"
#include "cli/trace_names.h"
#include "common/time_util.h"

namespace sentinel::cli {
namespace {

// The largest page ListInfrastructureAccounts serves (trace.proto).
constexpr int32_t kKindsPageSize = 1000;

// `status` with "--<flag_name>: " in front of its message.
absl::Status ForFlag(absl::string_view flag_name, const absl::Status& status) {
  return absl::InvalidArgumentError(
      absl::StrCat("--", flag_name, ": ", status.message()));
}

// The entries of a comma-separated `list` given as --`flag_name`, in the
// order given, spaces around them dropped; none for an all-blank list.
// kInvalidArgument for an empty or repeated entry.
absl::StatusOr<std::vector<std::string>> ParseList(absl::string_view flag_name,
                                                   absl::string_view list) {
  std::vector<std::string> entries;
  if (absl::StripAsciiWhitespace(list).empty()) return entries;
  for (absl::string_view entry : absl::StrSplit(list, ',')) {
    entry = absl::StripAsciiWhitespace(entry);
    if (entry.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--", flag_name, ": empty entry in \"", list, "\""));
    }
    if (std::find(entries.begin(), entries.end(), entry) != entries.end()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--", flag_name, ": ", entry, " given twice in \"", list, "\""));
    }
    entries.emplace_back(entry);
  }
  return entries;
}

// The trace of `account_id` from --since, --until, --model, --max_hops,
// --max_events and --assets; `command` names the subcommand in the message
// for a missing --since.
absl::StatusOr<v1::TraceFundsRequest> TraceFromFlags(
    absl::string_view command, absl::string_view account_id) {
  v1::TraceFundsRequest request;
  request.set_account_id(std::string(account_id));

  const std::string since = absl::GetFlag(FLAGS_since);
  if (since.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(command,
                     " needs --since=TIME, when the taint starts (RFC 3339, "
                     "e.g. 2026-11-20T10:00:00Z)"));
  }
  absl::StatusOr<absl::Time> since_time = ParseTimeOption("since", since);
  if (!since_time.ok()) return since_time.status();
  *request.mutable_since() = ToProtoTime(*since_time);
  if (const std::string until = absl::GetFlag(FLAGS_until); !until.empty()) {
    absl::StatusOr<absl::Time> until_time = ParseTimeOption("until", until);
    if (!until_time.ok()) return until_time.status();
    if (*since_time >= *until_time) {
      return absl::InvalidArgumentError(
          absl::StrCat("--since=", since, " is not before --until=", until));
    }
    *request.mutable_until() = ToProtoTime(*until_time);
  }

  absl::StatusOr<v1::TaintModel> model =
      ParseTaintModelName(absl::GetFlag(FLAGS_model));
  if (!model.ok()) return ForFlag("model", model.status());
  request.set_model(*model);

  absl::StatusOr<std::vector<std::string>> assets =
      ParseList("assets", absl::GetFlag(FLAGS_assets));
  if (!assets.ok()) return assets.status();
  for (std::string& asset : *assets) request.add_assets(std::move(asset));

  request.set_max_hops(absl::GetFlag(FLAGS_max_hops));
  request.set_max_events(absl::GetFlag(FLAGS_max_events));
  request.set_incident_id(absl::GetFlag(FLAGS_incident));
  return request;
}

}  // namespace

absl::StatusOr<v1::TraceFundsRequest> TraceFundsRequestFromFlags(
    absl::string_view account_id) {
  absl::StatusOr<v1::TraceFundsRequest> request =
      TraceFromFlags("trace", account_id);
  if (!request.ok()) return request.status();
  request->set_max_edges(absl::GetFlag(FLAGS_max_edges));
  return request;
}

absl::StatusOr<v1::FreezeTraceCandidatesRequest>
FreezeTraceCandidatesRequestFromFlags(absl::string_view account_id) {
  // Checked here: the server would name the field, not the flag.
  const std::string incident = absl::GetFlag(FLAGS_incident);
  if (incident.empty()) {
    return absl::InvalidArgumentError(
        "trace freeze needs --incident=ID, the incident the freezes belong "
        "to");
  }
  absl::StatusOr<v1::TraceFundsRequest> trace =
      TraceFromFlags("trace freeze", account_id);
  if (!trace.ok()) return trace.status();
  absl::StatusOr<std::vector<v1::FreezeScope>> scopes =
      ParseScopeList(absl::GetFlag(FLAGS_scopes));
  if (!scopes.ok()) return ForFlag("scopes", scopes.status());
  absl::StatusOr<std::vector<std::string>> accounts =
      ParseList("accounts", absl::GetFlag(FLAGS_accounts));
  if (!accounts.ok()) return accounts.status();

  v1::FreezeTraceCandidatesRequest request;
  *request.mutable_trace() = *std::move(trace);
  request.set_incident_id(incident);
  for (v1::FreezeScope scope : *scopes) request.add_scopes(scope);
  request.set_reason(absl::GetFlag(FLAGS_reason));
  for (std::string& account : *accounts) {
    request.add_account_ids(std::move(account));
  }
  request.set_idempotency_key(absl::GetFlag(FLAGS_idempotency_key));
  return request;
}

absl::StatusOr<v1::SetAccountKindsRequest> SetAccountKindsRequestFromFlags(
    absl::string_view account_id, absl::string_view kind) {
  absl::StatusOr<v1::AccountKind> parsed = ParseAccountKindName(kind);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("KIND: ", parsed.status().message()));
  }
  v1::SetAccountKindsRequest request;
  v1::AccountKindEntry& entry = *request.add_accounts();
  entry.set_account_id(std::string(account_id));
  entry.set_kind(*parsed);
  entry.set_note(absl::GetFlag(FLAGS_note));
  return request;
}

absl::StatusOr<v1::ListInfrastructureAccountsRequest>
ListInfrastructureAccountsRequestFromFlags() {
  v1::ListInfrastructureAccountsRequest request;
  request.set_page_size(kKindsPageSize);
  request.set_pending(absl::GetFlag(FLAGS_pending));
  const std::string kind = absl::GetFlag(FLAGS_kind);
  if (kind.empty()) return request;
  absl::StatusOr<v1::AccountKind> parsed = ParseAccountKindName(kind);
  if (!parsed.ok()) return ForFlag("kind", parsed.status());
  if (*parsed == v1::ACCOUNT_KIND_USER) {
    return absl::InvalidArgumentError(
        "--kind=USER: only infrastructure accounts are listed; give OMNIBUS, "
        "FEE or MARKET_MAKER, or leave --kind out for all three");
  }
  request.set_kind(*parsed);
  return request;
}

}  // namespace sentinel::cli
