#include "client/ledger_streamer.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "client/retry.h"

namespace sentinel::client {
namespace {

// As many rejections as one IngestSummary lists.
constexpr int kMaxRejections = 1000;

}  // namespace

absl::StatusOr<std::unique_ptr<LedgerStreamer>> LedgerStreamer::Create(
    LedgerStreamerOptions options) {
  if (absl::Status valid = ValidateConnection(options.connection);
      !valid.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("connection.", valid.message()));
  }
  if (options.batch_events < 1 || options.batch_events > 1000000) {
    return absl::InvalidArgumentError("batch_events: must be 1..1000000");
  }
  if (absl::Status valid = ValidateRetry(options.batch_deadline,
                                         options.max_attempts, options.backoff);
      !valid.ok()) {
    return valid;
  }
  return std::unique_ptr<LedgerStreamer>(
      new LedgerStreamer(std::move(options)));
}

LedgerStreamer::LedgerStreamer(LedgerStreamerOptions options)
    : options_(std::move(options)),
      stub_(v1::TraceService::NewStub(OpenChannel(options_.connection,
                                                  options_.backoff.initial,
                                                  options_.backoff.max))) {}

absl::Status LedgerStreamer::Stream(absl::Span<const v1::LedgerEvent> batch,
                                    absl::Time deadline,
                                    v1::IngestSummary* summary) const {
  grpc::ClientContext context;
  PrepareContext(options_.connection, &context);
  context.set_deadline(absl::ToChronoTime(deadline));
  std::unique_ptr<grpc::ClientWriter<v1::LedgerEvent>> writer =
      stub_->IngestLedger(&context, summary);
  for (const v1::LedgerEvent& event : batch) {
    if (!writer->Write(event)) break;  // the call failed: Finish says why
  }
  writer->WritesDone();
  return FromGrpcStatus(writer->Finish());
}

absl::StatusOr<v1::IngestSummary> LedgerStreamer::Ingest(
    absl::Span<const v1::LedgerEvent> events) const {
  v1::IngestSummary total;
  for (size_t start = 0; start < events.size();
       start += options_.batch_events) {
    const absl::Span<const v1::LedgerEvent> batch =
        events.subspan(start, options_.batch_events);
    v1::IngestSummary summary;
    const absl::Status status = RetryUnavailable(
        [&](absl::Time deadline) {
          summary.Clear();
          return Stream(batch, deadline, &summary);
        },
        absl::Now() + options_.batch_deadline, options_.max_attempts,
        options_.backoff);
    if (!status.ok()) return status;
    total.set_accepted(total.accepted() + summary.accepted());
    total.set_duplicates(total.duplicates() + summary.duplicates());
    total.set_rejected(total.rejected() + summary.rejected());
    for (const v1::IngestRejection& rejection : summary.rejections()) {
      if (total.rejections_size() >= kMaxRejections) break;
      v1::IngestRejection& copy = *total.add_rejections();
      copy = rejection;
      copy.set_position(rejection.position() + static_cast<int64_t>(start));
    }
  }
  return total;
}

}  // namespace sentinel::client
