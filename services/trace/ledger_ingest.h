// The server side of one IngestLedger stream.
//
// Events are read into batches of up to kIngestBatchEvents events (or
// kIngestBatchBytes bytes). A full batch is stored on the ledger executor
// (TraceManager::Ingest: one synced write with its audit entry) while the
// next one is read, so the network and the disk work side by side. At most
// one batch per stream is being stored: when the next batch fills up before
// the previous one is stored, reading pauses, which pushes back on the
// client through gRPC flow control instead of buffering without bound. When
// the client half-closes, the last batch is stored and the summary sent.
// A storage error ends the stream with that error; the batches stored
// before it stay stored (the client resends the whole stream, which is
// idempotent). At most `slots` streams run at once; beyond that a stream is
// refused at once with RESOURCE_EXHAUSTED and a retry hint.
#ifndef SENTINEL_SERVICES_TRACE_LEDGER_INGEST_H_
#define SENTINEL_SERVICES_TRACE_LEDGER_INGEST_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/bounded_executor.h"
#include "common/principal.h"
#include "grpcpp/support/server_callback.h"
#include "sentinel/v1/trace.pb.h"
#include "services/common/stream_slots.h"
#include "trace/trace_manager.h"

namespace sentinel::services {

// A batch is stored once it holds this many events...
inline constexpr size_t kIngestBatchEvents = 1000;
// ...or this many bytes of serialized events, whichever comes first.
inline constexpr size_t kIngestBatchBytes = 4 << 20;

class LedgerIngestReactor final
    : public grpc::ServerReadReactor<v1::LedgerEvent> {
 public:
  // Starts reading `caller`'s stream, or finishes it at once when `caller`
  // is an error or every slot is taken. Deletes itself when gRPC is done
  // with it. Every reference must outlive the call.
  static grpc::ServerReadReactor<v1::LedgerEvent>* Start(
      grpc::CallbackServerContext* context, absl::StatusOr<Principal> caller,
      trace::TraceManager& traces, BoundedExecutor& executor,
      StreamSlots& slots, v1::IngestSummary* response);

  void OnReadDone(bool ok) override;
  void OnDone() override;

 private:
  // Events read but not yet stored, and where they start in the stream.
  struct Batch {
    std::vector<v1::LedgerEvent> events;
    int64_t first_position = 0;
  };

  LedgerIngestReactor(grpc::CallbackServerContext* context, Principal caller,
                      trace::TraceManager& traces, BoundedExecutor& executor,
                      StreamSlots& slots, v1::IngestSummary* response);

  // Moves the batch being read out for storing, and starts a new one.
  Batch TakeBatch() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Stores `batch` on the executor; Stored() follows.
  void Store(Batch batch);
  // After a batch is stored (or failed): adds it to the summary, then
  // stores the next batch, resumes reading or finishes.
  void Stored(const Batch& batch,
              const absl::StatusOr<std::vector<trace::IngestOutcome>>& result);
  // Finishes the call once; later calls do nothing.
  void FinishOnce(const grpc::Status& status);

  grpc::CallbackServerContext* const context_;
  const Principal caller_;
  trace::TraceManager& traces_;
  BoundedExecutor& executor_;
  StreamSlots& slots_;
  v1::IngestSummary* const response_;
  // The read target; only the reaction that read it touches it.
  v1::LedgerEvent event_;

  absl::Mutex mu_;
  Batch filling_ ABSL_GUARDED_BY(mu_);
  size_t filling_bytes_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t events_read_ ABSL_GUARDED_BY(mu_) = 0;
  // A batch is on the executor.
  bool storing_ ABSL_GUARDED_BY(mu_) = false;
  // filling_ is full and reading waits for the batch being stored.
  bool read_paused_ ABSL_GUARDED_BY(mu_) = false;
  // The client has half-closed (or the call ended).
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace sentinel::services

#endif  // SENTINEL_SERVICES_TRACE_LEDGER_INGEST_H_
