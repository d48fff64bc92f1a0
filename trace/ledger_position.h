// The total order of ledger events: by time, then by event_id (bytewise),
// so that balances and traces do not depend on the order of ingest.
#ifndef SENTINEL_TRACE_LEDGER_POSITION_H_
#define SENTINEL_TRACE_LEDGER_POSITION_H_

#include <cstdint>
#include <string>
#include <tuple>

#include "absl/time/time.h"
#include "sentinel/v1/trace.pb.h"

namespace sentinel::trace {

// A point in the ledger order. Events sit at (their time, their event_id);
// a position with an empty event_id lies before every event of its time,
// which makes it a time boundary: "everything before `since`".
//
// Times are Unix nanoseconds, >= 0 (ValidateLedgerTime), so they encode as
// unsigned big-endian key bytes in the same order.
struct LedgerPosition {
  int64_t unix_nanos = 0;
  std::string event_id;

  friend bool operator<(const LedgerPosition& a, const LedgerPosition& b) {
    return std::tie(a.unix_nanos, a.event_id) <
           std::tie(b.unix_nanos, b.event_id);
  }
};

// Where a validated event sits.
LedgerPosition PositionOf(const v1::LedgerEvent& event);

// The first position of `time`: before every event at `time` or later, after
// every earlier event.
LedgerPosition StartOf(absl::Time time);

// The first position after every event at `time` or earlier.
LedgerPosition EndOf(absl::Time time);

// The first position after `position` (event ids never contain NUL, so no
// event sits between the two).
LedgerPosition Successor(const LedgerPosition& position);

}  // namespace sentinel::trace

#endif  // SENTINEL_TRACE_LEDGER_POSITION_H_
