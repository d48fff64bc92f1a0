// The checked and defaulted form of a TraceFundsRequest.
#ifndef SENTINEL_TRACE_TRACE_REQUEST_H_
#define SENTINEL_TRACE_TRACE_REQUEST_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "sentinel/v1/trace.pb.h"

namespace sentinel::trace {

// What TraceFunds follows; every field is set and within its limits.
struct TraceParams {
  // The victim: hop 0.
  std::string account_id;
  // Taint starts here: the victim's holdings after every earlier event are
  // tainted, and events at `since` or later are followed.
  absl::Time since;
  // Events later than this are not followed; > since.
  absl::Time until;
  // 1..kMaxMaxHops.
  int32_t max_hops = 0;
  v1::TaintModel model = v1::TAINT_MODEL_UNSPECIFIED;
  // The work budget: ledger events examined, 1..kMaxMaxEvents.
  int64_t max_events = 0;
  // Flow edges returned, 1..kMaxMaxEdges.
  int32_t max_edges = 0;
  // The victim's assets that are tainted at `since`, sorted and distinct;
  // empty means all.
  std::vector<std::string> assets;
};

// Checks `request` and fills in its defaults, with `now` the server's clock
// (the default `until`). Returns kInvalidArgument naming the field:
// account_id not an identifier; since unset, malformed or before 1970; until
// malformed, or not after since (when unset: now not after since); max_hops
// outside 0..32; model unset or unknown; max_events outside 0..100000000;
// max_edges outside 0..50000; more than 100 assets, a malformed or repeated
// one; incident_id not an identifier (it may be empty).
//
// Example:
//   SENTINEL_ASSIGN_OR_RETURN(TraceParams params,
//                             ResolveTraceRequest(request, clock.Now()));
absl::StatusOr<TraceParams> ResolveTraceRequest(
    const v1::TraceFundsRequest& request, absl::Time now);

}  // namespace sentinel::trace

#endif  // SENTINEL_TRACE_TRACE_REQUEST_H_
