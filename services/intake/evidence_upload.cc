#include "services/intake/evidence_upload.h"

#include <utility>

#include "services/common/grpc_status.h"
#include "services/common/refused_stream.h"
#include "services/common/unary_call.h"

namespace sentinel::services {

grpc::ServerReadReactor<v1::EvidenceChunk>* EvidenceUploadReactor::Start(
    grpc::CallbackServerContext* context, absl::StatusOr<Principal> caller,
    const CallGate& gate, incident::IncidentManager& incidents,
    BoundedExecutor& executor, UploadGuards guards, v1::Evidence* response) {
  if (!caller.ok())
    return RefusedReadReactor<v1::EvidenceChunk>::Create(caller.status());
  if (!guards.slots.TryTake(*caller)) {
    return RefusedReadReactor<v1::EvidenceChunk>::Create(OverloadedStatus(
        "too many evidence uploads in progress (at most the server's limit, "
        "and a share of it per person); retry with backoff",
        kRetryAfterOverload));
  }
  auto* reactor = new EvidenceUploadReactor(
      context, *std::move(caller), gate, incidents, executor, guards, response);
  reactor->StartRead(&reactor->chunk_);
  return reactor;
}

EvidenceUploadReactor::EvidenceUploadReactor(
    grpc::CallbackServerContext* context, Principal caller,
    const CallGate& gate, incident::IncidentManager& incidents,
    BoundedExecutor& executor, UploadGuards guards, v1::Evidence* response)
    : context_(context),
      caller_(std::move(caller)),
      gate_(gate),
      incidents_(incidents),
      executor_(executor),
      guards_(guards),
      idle_watch_(guards.reaper.Watch([context] { context->TryCancel(); })),
      response_(response),
      assembler_(incidents.evidence_limits()) {}

void EvidenceUploadReactor::OnReadDone(bool ok) {
  if (!ok) {
    // The client is done sending: nothing left to wait for from it.
    guards_.reaper.Forget(idle_watch_);
    Store();
    return;
  }
  guards_.reaper.Touch(idle_watch_);
  absl::Status added = assembler_.Add(chunk_);
  if (!added.ok()) {
    Finish(ToGrpcStatus(added));
    return;
  }
  chunk_.Clear();
  StartRead(&chunk_);
}

void EvidenceUploadReactor::Store() {
  const bool scheduled = executor_.TrySchedule([this] {
    absl::Status status = AbandonedCall(*context_);
    if (status.ok()) {
      absl::StatusOr<incident::EvidenceUpload> upload =
          std::move(assembler_).Finish();
      status =
          upload.ok()
              ? gate_.Outcome(
                    caller_, kAddEvidenceMethod,
                    Deliver(incidents_.AddEvidence(caller_, *std::move(upload)),
                            response_))
              : upload.status();
    }
    Finish(ToGrpcStatus(status));
  });
  if (!scheduled) Finish(QueueFullStatus(executor_));
}

void EvidenceUploadReactor::OnDone() {
  guards_.reaper.Forget(idle_watch_);
  guards_.slots.Give(caller_);
  delete this;
}

}  // namespace sentinel::services
