// The human-readable forms of TraceService answers (the flow graph is in
// flow_graph_dot.h). Deterministic, like output.h: times are RFC 3339
// UTC to the second, unset values print as "-", enum values by their short
// names ("FIFO", "OMNIBUS", "FROZEN"), amounts as integers in the asset's
// smallest unit, and every text function returns whole lines, each ending
// in a newline.
#ifndef SENTINEL_CLI_TRACE_OUTPUT_H_
#define SENTINEL_CLI_TRACE_OUTPUT_H_

#include <cstdint>
#include <string>

#include "absl/functional/function_ref.h"
#include "absl/strings/string_view.h"
#include "sentinel/v1/trace.pb.h"

namespace sentinel::cli {

// The summary of a trace of `victim` (the traced account), in sections
// separated by blank lines:
//   trace of acct-1 (FIFO) as of 2026-11-20T12:00:00Z: 40 events examined,
//   4 accounts reached
//   PARTIAL: ... (only when the work budget ran out)
//   POISON: ... (only for that model: amounts are not conserved)
//   totals: table ASSET SEEDED CONVERTED_IN CONVERTED_OUT HELD
//     INFRASTRUCTURE EXTERNAL
//   "still in acct-1 (the traced account): BTC 30000" (when it holds any)
//   freeze candidates: the other non-infrastructure holdings, table ACCOUNT
//     ASSET TAINTED BALANCE HOP NOTE, NOTE saying "hop limit" for an account
//     whose onward movements were not followed
//   absorbed by infrastructure: table ACCOUNT KIND ASSET TAINTED BALANCE HOP
//   external addresses: table ADDRESS ASSET TAINTED WITHDRAWALS HOP FIRST
//     LAST
//   flow edges by hop, of the edges returned: table HOP EDGES TRANSFERS
//     TRADES WITHDRAWALS TAINTED (TAINTED: per asset moved or sold)
//   "not returned: 3 flow edges (raise --max_edges), ..." (when any were
//     left out)
// A section with nothing in it says "none".
std::string TraceText(const v1::TraceResult& result, absl::string_view victim);

// What IngestLedger did with the `sent` events of one stream:
//   sent 5 events: 3 accepted, 1 duplicate, 1 rejected
// then, when any were rejected, table LINE POSITION EVENT REASON, LINE
// being line_of_position(position), the line of the input the event came
// from. Says when the server listed only the first of its rejections, and
// when its counts do not add up to `sent`.
std::string IngestedText(const v1::IngestSummary& summary, int64_t sent,
                         absl::FunctionRef<int64_t(int64_t)> line_of_position);

// What FreezeTraceCandidates did: "frozen 2, failed 1, not a candidate 0
// (trace as of 2026-11-20T12:00:00Z)", a PARTIAL line when the trace ran
// out of its work budget, then table ACCOUNT OUTCOME FREEZE TAINTED ERROR
// (TAINTED: the holdings that made it a candidate, per asset), or "no
// freeze candidates: nothing frozen".
std::string CandidateFreezesText(
    const v1::FreezeTraceCandidatesResponse& response);

// "FREEZES FAILED on 2 accounts: acct-3, acct-4" (at most 10 named) when
// any result is FAILED, otherwise "". Those accounts are not blocked, so
// callers also print this to stderr and exit with a failure.
std::string FreezesFailedLine(
    const v1::FreezeTraceCandidatesResponse& response);

// One line per stored entry: "acct-9: OMNIBUS pending approval, set by
// security/bob at 2026-11-26T10:43:48Z (BTC hot wallet)", the parentheses
// only with a note; an approved mark reads "OMNIBUS in effect, set by ...,
// approved by security/sam at ..."; USER reads "USER (no longer
// infrastructure)".
std::string AccountKindsText(
    const google::protobuf::RepeatedPtrField<v1::AccountKindEntry>& entries);

// Table ACCOUNT KIND SET_BY SET_AT APPROVED_BY NOTE ("no infrastructure
// accounts" when empty; APPROVED_BY "-" while pending), then "more accounts
// not listed" when next_page_token is set.
std::string InfrastructureAccountsText(
    const v1::ListInfrastructureAccountsResponse& response);

}  // namespace sentinel::cli

#endif  // SENTINEL_CLI_TRACE_OUTPUT_H_
