// A ledger event whose strings view bytes held elsewhere, so that the store
// and the tracer can read and compare events by the million without
// allocating.
#ifndef SENTINEL_TRACE_EVENT_VIEW_H_
#define SENTINEL_TRACE_EVENT_VIEW_H_

#include <cstdint>

#include "absl/strings/string_view.h"
#include "sentinel/v1/trace.pb.h"

namespace sentinel::trace {

// Every field of a LedgerEvent; valid while the viewed bytes are.
struct EventView {
  // The event's time in Unix nanoseconds (>= 0 for validated events).
  int64_t unix_nanos = 0;
  absl::string_view event_id;
  v1::LedgerEventKind kind = v1::LEDGER_EVENT_KIND_UNSPECIFIED;
  absl::string_view from_account;
  absl::string_view to_account;
  absl::string_view external_address;
  absl::string_view asset;
  int64_t amount = 0;
  absl::string_view counter_asset;
  int64_t counter_amount = 0;
};

// A view of `event`, which must outlive it and have a valid time.
EventView ViewOf(const v1::LedgerEvent& event);

// The event `view` shows.
v1::LedgerEvent ToLedgerEvent(const EventView& view);

// Whether every field is equal: what "the same content" means for ingest.
bool SameEvent(const EventView& a, const EventView& b);

}  // namespace sentinel::trace

#endif  // SENTINEL_TRACE_EVENT_VIEW_H_
