#include "trace/ingest_summary.h"

#include <string>

#include "absl/strings/string_view.h"
#include "common/identifiers.h"
#include "trace/trace_limits.h"

namespace sentinel::trace {

void AddToSummary(absl::Span<const v1::LedgerEvent> events,
                  absl::Span<const IngestOutcome> outcomes,
                  int64_t first_position, v1::IngestSummary& summary) {
  for (size_t i = 0; i < outcomes.size(); ++i) {
    switch (outcomes[i].disposition) {
      case IngestOutcome::Disposition::kAccepted:
        summary.set_accepted(summary.accepted() + 1);
        break;
      case IngestOutcome::Disposition::kDuplicate:
        summary.set_duplicates(summary.duplicates() + 1);
        break;
      case IngestOutcome::Disposition::kRejected: {
        summary.set_rejected(summary.rejected() + 1);
        if (static_cast<size_t>(summary.rejections_size()) >=
            kMaxReportedRejections) {
          break;
        }
        v1::IngestRejection& rejection = *summary.add_rejections();
        rejection.set_position(first_position + static_cast<int64_t>(i));
        rejection.set_event_id(
            Utf8Prefix(events[i].event_id(), kMaxIdentifierBytes));
        rejection.set_reason(
            Utf8Prefix(outcomes[i].reason, kMaxRejectionReasonBytes));
        break;
      }
    }
  }
}

}  // namespace sentinel::trace
