// A run of one account's (or address's) events read from the ledger in one
// go: EventViews of bytes the chunk owns, so that a trace reads thousands of
// events without an allocation each.
#ifndef SENTINEL_TRACE_EVENT_CHUNK_H_
#define SENTINEL_TRACE_EVENT_CHUNK_H_

#include <string>
#include <vector>

#include "trace/event_view.h"
#include "trace/ledger_balance.h"

namespace sentinel::trace {

// The views stay valid until the chunk is refilled or destroyed. Not
// copyable (the views would dangle).
class EventChunk final {
 public:
  EventChunk() = default;
  EventChunk(const EventChunk&) = delete;
  EventChunk& operator=(const EventChunk&) = delete;

  const std::vector<EventView>& events() const { return events_; }

  // For an account's events: the account's positive balances just after
  // events()[0]; empty when there is no event. A reader that starts at an
  // event it knows learns the balances before it from these, without a
  // search backwards.
  const AssetBalances& balances_after_first() const {
    return balances_after_first_;
  }

  // For a LedgerView filling the chunk: the bytes to copy stored entries
  // into, then the views of them (made once every byte is in place, as
  // appending may move the bytes), and the balances.
  std::string& mutable_bytes() { return bytes_; }
  std::vector<EventView>& mutable_events() { return events_; }
  AssetBalances& mutable_balances_after_first() {
    return balances_after_first_;
  }

 private:
  std::string bytes_;
  std::vector<EventView> events_;
  AssetBalances balances_after_first_;
};

}  // namespace sentinel::trace

#endif  // SENTINEL_TRACE_EVENT_CHUNK_H_
