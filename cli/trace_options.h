// The values the trace subcommands take on the command line, checked and
// turned into their requests. Errors are kInvalidArgument with a one-line
// message naming the option or argument, for UsageFailure (exit 2). Lengths,
// character sets and the numeric limits (--max_hops, --max_events,
// --max_edges) are left to the server, which names the field.
#ifndef SENTINEL_CLI_TRACE_OPTIONS_H_
#define SENTINEL_CLI_TRACE_OPTIONS_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "sentinel/v1/trace.pb.h"

namespace sentinel::cli {

// The TraceFundsRequest of `trace ACCOUNT`, from --since (required),
// --until, --model (default fifo), --max_hops, --max_events, --max_edges,
// --assets (comma-separated) and --incident. Errors for a missing --since,
// a time that is not RFC 3339, --since not before --until, an unknown
// model, and an empty or repeated asset in --assets.
//
// Example:
//   --since=2026-11-20T10:00:00Z --model=poison --assets=BTC,ETH ->
//   {account_id: "acct-1", since: 2026-11-20T10:00:00Z,
//    model: TAINT_MODEL_POISON, assets: ["BTC", "ETH"]}
absl::StatusOr<v1::TraceFundsRequest> TraceFundsRequestFromFlags(
    absl::string_view account_id);

// The FreezeTraceCandidatesRequest of `trace freeze ACCOUNT`: the trace from
// the flags TraceFundsRequestFromFlags reads (max_edges aside, which does
// not matter to freezing), --incident (required; also recorded on the
// trace), --reason, --scopes (default: the server's), --accounts
// (comma-separated) and --idempotency_key. Errors as for the trace, and for
// a missing --incident, an unknown scope, and an empty or repeated account
// in --accounts. The reason is checked by the server.
absl::StatusOr<v1::FreezeTraceCandidatesRequest>
FreezeTraceCandidatesRequestFromFlags(absl::string_view account_id);

// The SetAccountKindsRequest of `trace kinds set ACCOUNT KIND`: one entry
// with --note. Errors for a KIND that is not a kind name.
absl::StatusOr<v1::SetAccountKindsRequest> SetAccountKindsRequestFromFlags(
    absl::string_view account_id, absl::string_view kind);

// The first ListInfrastructureAccountsRequest of `trace kinds list`, from
// --kind (empty for every infrastructure kind) and --pending, at the largest
// page size.
// Errors for an unknown kind and for USER, which is not listed.
absl::StatusOr<v1::ListInfrastructureAccountsRequest>
ListInfrastructureAccountsRequestFromFlags();

}  // namespace sentinel::cli

#endif  // SENTINEL_CLI_TRACE_OPTIONS_H_
