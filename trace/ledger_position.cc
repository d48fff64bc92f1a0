#include "trace/ledger_position.h"

#include <limits>

#include "common/time_util.h"

namespace sentinel::trace {

LedgerPosition PositionOf(const v1::LedgerEvent& event) {
  return {absl::ToUnixNanos(FromProtoTime(event.time())), event.event_id()};
}

LedgerPosition StartOf(absl::Time time) {
  return {absl::ToUnixNanos(time), ""};
}

LedgerPosition EndOf(absl::Time time) {
  const int64_t nanos = absl::ToUnixNanos(time);
  // Times past year 2262 saturate: no event can sit there.
  if (nanos == std::numeric_limits<int64_t>::max()) return {nanos, ""};
  return {nanos + 1, ""};
}

LedgerPosition Successor(const LedgerPosition& position) {
  LedgerPosition next = position;
  next.event_id.push_back('\0');
  return next;
}

}  // namespace sentinel::trace
