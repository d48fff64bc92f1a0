// From a trace to action: freezing the accounts a trace found holding
// tainted value (TraceService.FreezeTraceCandidates).
#ifndef SENTINEL_TRACE_CANDIDATE_FREEZES_H_
#define SENTINEL_TRACE_CANDIDATE_FREEZES_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/principal.h"
#include "freeze/account_freezer.h"
#include "sentinel/v1/freeze.pb.h"
#include "sentinel/v1/trace.pb.h"
#include "trace/trace_manager.h"

namespace sentinel::trace {

// The idempotency key of one account's freeze within a call made with
// `key`: "tfc-" and 32 hex digits of SHA-256(key, account), so that a retry
// of the call finds each account's earlier freeze and two accounts never
// share one.
std::string CandidateIdempotencyKey(absl::string_view key,
                                    absl::string_view account_id);

// Runs `request.trace` through `traces` (audited as a trace, with the
// request's incident when the trace names none) and freezes its candidates
// through `freezer` with the request's reason redacted for secrets: every
// non-infrastructure account holding tainted value other than the traced
// account, in holdings order (largest holding first), or only those listed
// in account_ids. Accounts are frozen independently;
// a failure is reported in that account's result and the others go on.
//
// kInvalidArgument naming the field, before anything is traced or frozen:
// trace missing; incident_id missing or not an identifier; reason missing
// or too long; a scope unknown or repeated; more than
// kMaxCandidateAccountIds account_ids, one malformed or repeated;
// idempotency_key malformed. kInvalidArgument "trace.<field>: ..." for a
// malformed trace. kFailedPrecondition, freezing nothing, when more than
// kMaxCandidateFreezes accounts would be frozen. The trace's own errors
// (storage, kUnavailable when it cannot be audited) are returned as is.
//
// Example:
//   SENTINEL_ASSIGN_OR_RETURN(
//       v1::FreezeTraceCandidatesResponse response,
//       FreezeTraceCandidates(traces, freezer, caller, request));
absl::StatusOr<v1::FreezeTraceCandidatesResponse> FreezeTraceCandidates(
    TraceManager& traces, freeze::AccountFreezer& freezer,
    const Principal& caller, const v1::FreezeTraceCandidatesRequest& request);

}  // namespace sentinel::trace

#endif  // SENTINEL_TRACE_CANDIDATE_FREEZES_H_
