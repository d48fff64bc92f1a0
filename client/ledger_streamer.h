// LedgerStreamer: how the exchange's ledger feeds TraceService.IngestLedger,
// in bounded streams, safely retried.
#ifndef SENTINEL_CLIENT_LEDGER_STREAMER_H_
#define SENTINEL_CLIENT_LEDGER_STREAMER_H_

#include <cstddef>
#include <memory>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "client/backoff.h"
#include "client/server_connection.h"
#include "sentinel/v1/trace.grpc.pb.h"

namespace sentinel::client {

struct LedgerStreamerOptions {
  // Where TraceService is; the principal needs role internal or admin.
  ServerConnection connection;
  // Events per IngestLedger stream: 1..1,000,000. A failed stream is sent
  // again whole, so this bounds the work a retry repeats.
  size_t batch_events = 10000;
  // The most one stream takes, retries included. Must be > 0.
  absl::Duration batch_deadline = absl::Seconds(60);
  // Attempts per stream, the first included: 1..100.
  int max_attempts = 4;
  BackoffPolicy backoff = {.initial = absl::Milliseconds(100),
                           .max = absl::Seconds(2)};
};

// Thread-safe: Ingest() may be called concurrently (the server runs a
// bounded number of ingest streams at once).
class LedgerStreamer final {
 public:
  // Errors: kInvalidArgument naming the bad option.
  static absl::StatusOr<std::unique_ptr<LedgerStreamer>> Create(
      LedgerStreamerOptions options);

  // Streams `events` in order, batch_events per IngestLedger stream, each
  // retried on UNAVAILABLE with backoff. Ingest is idempotent by event_id,
  // so a retried stream (or a second Ingest of the same events) only counts
  // what was already stored as duplicates.
  //
  // OK: the summaries of every stream added up; rejection positions are
  // indexes into `events` (the first 1000 rejections). Errors: the first
  // stream that failed (kUnavailable after its last attempt,
  // kDeadlineExceeded, kResourceExhausted when the server runs its maximum
  // of ingest streams, kPermissionDenied, ...); the streams before it are
  // stored, so calling again with the same events is safe.
  //
  // Example:
  //   std::vector<v1::LedgerEvent> events = ReadLedgerSince(cursor);
  //   SENTINEL_ASSIGN_OR_RETURN(v1::IngestSummary summary,
  //                             streamer->Ingest(events));
  //   if (summary.rejected() > 0) Alert(summary.rejections(0).reason());
  absl::StatusOr<v1::IngestSummary> Ingest(
      absl::Span<const v1::LedgerEvent> events) const;

 private:
  explicit LedgerStreamer(LedgerStreamerOptions options);

  // One IngestLedger stream of `batch`, within `deadline`.
  absl::Status Stream(absl::Span<const v1::LedgerEvent> batch,
                      absl::Time deadline, v1::IngestSummary* summary) const;

  const LedgerStreamerOptions options_;
  std::unique_ptr<v1::TraceService::Stub> stub_;
};

}  // namespace sentinel::client

#endif  // SENTINEL_CLIENT_LEDGER_STREAMER_H_
