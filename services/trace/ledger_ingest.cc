#include "services/trace/ledger_ingest.h"

#include <memory>
#include <utility>

#include "services/common/grpc_status.h"
#include "services/common/refused_stream.h"
#include "services/common/unary_call.h"
#include "trace/ingest_summary.h"

namespace sentinel::services {

grpc::ServerReadReactor<v1::LedgerEvent>* LedgerIngestReactor::Start(
    grpc::CallbackServerContext* context, absl::StatusOr<Principal> caller,
    trace::TraceManager& traces, BoundedExecutor& executor, StreamSlots& slots,
    v1::IngestSummary* response) {
  if (!caller.ok()) {
    return RefusedReadReactor<v1::LedgerEvent>::Create(caller.status());
  }
  if (!slots.TryTake(*caller)) {
    return RefusedReadReactor<v1::LedgerEvent>::Create(OverloadedStatus(
        "too many ledger ingest streams in progress; retry with backoff",
        kRetryAfterOverload));
  }
  auto* reactor = new LedgerIngestReactor(context, *std::move(caller), traces,
                                          executor, slots, response);
  reactor->StartRead(&reactor->event_);
  return reactor;
}

LedgerIngestReactor::LedgerIngestReactor(grpc::CallbackServerContext* context,
                                         Principal caller,
                                         trace::TraceManager& traces,
                                         BoundedExecutor& executor,
                                         StreamSlots& slots,
                                         v1::IngestSummary* response)
    : context_(context),
      caller_(std::move(caller)),
      traces_(traces),
      executor_(executor),
      slots_(slots),
      response_(response) {}

void LedgerIngestReactor::OnReadDone(bool ok) {
  std::optional<Batch> batch;
  bool read_more = false;
  {
    absl::MutexLock lock(&mu_);
    if (finished_) return;
    if (!ok) {
      closed_ = true;
      if (!storing_) {
        storing_ = true;
        batch = TakeBatch();
      }
    } else {
      filling_bytes_ += event_.ByteSizeLong();
      filling_.events.push_back(std::move(event_));
      ++events_read_;
      const bool full = filling_.events.size() >= kIngestBatchEvents ||
                        filling_bytes_ >= kIngestBatchBytes;
      if (!full) {
        read_more = true;
      } else if (!storing_) {
        storing_ = true;
        batch = TakeBatch();
        read_more = true;
      } else {
        read_paused_ = true;
      }
    }
  }
  if (read_more) {
    event_.Clear();
    StartRead(&event_);
  }
  if (batch.has_value()) Store(*std::move(batch));
}

LedgerIngestReactor::Batch LedgerIngestReactor::TakeBatch() {
  Batch batch = std::move(filling_);
  filling_ = Batch{{}, events_read_};
  filling_bytes_ = 0;
  return batch;
}

void LedgerIngestReactor::Store(Batch batch) {
  if (batch.events.empty()) {
    Stored(batch, std::vector<trace::IngestOutcome>());
    return;
  }
  // std::function needs a copyable task.
  auto shared = std::make_shared<Batch>(std::move(batch));
  const bool scheduled = executor_.TrySchedule([this, shared] {
    const absl::Status abandoned = AbandonedCall(*context_);
    if (!abandoned.ok()) {
      Stored(*shared, abandoned);
      return;
    }
    Stored(*shared, traces_.Ingest(caller_, shared->events));
  });
  if (!scheduled) FinishOnce(QueueFullStatus(executor_));
}

void LedgerIngestReactor::Stored(
    const Batch& batch,
    const absl::StatusOr<std::vector<trace::IngestOutcome>>& result) {
  if (!result.ok()) {
    FinishOnce(ToGrpcStatus(result.status()));
    return;
  }
  std::optional<Batch> next;
  bool resume_reading = false;
  bool done = false;
  {
    absl::MutexLock lock(&mu_);
    storing_ = false;
    trace::AddToSummary(batch.events, *result, batch.first_position,
                        *response_);
    if (read_paused_) {
      read_paused_ = false;
      resume_reading = true;
      storing_ = true;
      next = TakeBatch();
    } else if (closed_) {
      done = filling_.events.empty();
      if (!done) {
        storing_ = true;
        next = TakeBatch();
      }
    }
  }
  if (done) {
    FinishOnce(grpc::Status::OK);
    return;
  }
  // The read first: if storing fails at once, the call finishes with the
  // read outstanding, which gRPC then completes with !ok.
  if (resume_reading) {
    event_.Clear();
    StartRead(&event_);
  }
  if (next.has_value()) Store(*std::move(next));
}

void LedgerIngestReactor::FinishOnce(const grpc::Status& status) {
  {
    absl::MutexLock lock(&mu_);
    if (finished_) return;
    finished_ = true;
  }
  Finish(status);
}

void LedgerIngestReactor::OnDone() {
  slots_.Give(caller_);
  delete this;
}

}  // namespace sentinel::services
