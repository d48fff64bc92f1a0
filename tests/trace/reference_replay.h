// A slow, obviously-correct fund trace to check the tracer against.
//
// It replays the whole ledger from its first event, in ledger order, and
// keeps every account's balance and model state from zero, with no
// snapshots, seeks, lazy state or cursors: taint is seeded into the victim
// when the replay reaches `since`, and everything else follows the rules of
// trace/tracer.h literally. It shares no code with trace/ beyond the
// parameter and result types.
#ifndef SENTINEL_TESTS_TRACE_REFERENCE_REPLAY_H_
#define SENTINEL_TESTS_TRACE_REFERENCE_REPLAY_H_

#include <map>
#include <string>
#include <vector>

#include "sentinel/v1/trace.pb.h"
#include "trace/trace_request.h"

namespace sentinel::trace::testing {

// The TraceResult for `params` over `events` (valid, distinct event ids, in
// any order) with the infrastructure marks `kinds` (absent accounts are
// USER). The budget is ignored: the result is never partial, and
// events_examined is 0 (the replay examines everything).
v1::TraceResult ReferenceTrace(
    const std::vector<v1::LedgerEvent>& events,
    const std::map<std::string, v1::AccountKind>& kinds,
    const TraceParams& params);

}  // namespace sentinel::trace::testing

#endif  // SENTINEL_TESTS_TRACE_REFERENCE_REPLAY_H_
