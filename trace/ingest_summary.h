// Turning the outcomes of Ingest batches into the IngestSummary a stream
// returns.
#ifndef SENTINEL_TRACE_INGEST_SUMMARY_H_
#define SENTINEL_TRACE_INGEST_SUMMARY_H_

#include <cstdint>

#include "absl/types/span.h"
#include "sentinel/v1/trace.pb.h"
#include "trace/ledger_store.h"

namespace sentinel::trace {

// Adds one batch to `summary`: `outcomes[i]` is the outcome of `events[i]`,
// which sits at stream position `first_position + i`. Rejections are listed
// up to kMaxReportedRejections in all (the rest are only counted), each with
// the event_id as sent, cut to 128 bytes, and the reason, cut to
// kMaxRejectionReasonBytes, both on UTF-8 character boundaries.
//
// Example:
//   AddToSummary(batch, outcomes, events_before_batch, summary);
void AddToSummary(absl::Span<const v1::LedgerEvent> events,
                  absl::Span<const IngestOutcome> outcomes,
                  int64_t first_position, v1::IngestSummary& summary);

}  // namespace sentinel::trace

#endif  // SENTINEL_TRACE_INGEST_SUMMARY_H_
