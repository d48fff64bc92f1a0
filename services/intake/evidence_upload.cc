#include "services/intake/evidence_upload.h"

#include <utility>

#include "services/common/grpc_status.h"
#include "services/common/refused_stream.h"
#include "services/common/unary_call.h"

namespace sentinel::services {

grpc::ServerReadReactor<v1::EvidenceChunk>* EvidenceUploadReactor::Start(
    grpc::CallbackServerContext* context, absl::StatusOr<Principal> caller,
    const CallGate& gate, incident::IncidentManager& incidents,
    BoundedExecutor& executor, StreamSlots& slots, v1::Evidence* response) {
  if (!caller.ok())
    return RefusedReadReactor<v1::EvidenceChunk>::Create(caller.status());
  if (!slots.TryTake()) {
    return RefusedReadReactor<v1::EvidenceChunk>::Create(OverloadedStatus(
        "too many evidence uploads in progress; retry with backoff",
        kRetryAfterOverload));
  }
  auto* reactor = new EvidenceUploadReactor(
      context, *std::move(caller), gate, incidents, executor, slots, response);
  reactor->StartRead(&reactor->chunk_);
  return reactor;
}

EvidenceUploadReactor::EvidenceUploadReactor(
    grpc::CallbackServerContext* context, Principal caller,
    const CallGate& gate, incident::IncidentManager& incidents,
    BoundedExecutor& executor, StreamSlots& slots, v1::Evidence* response)
    : context_(context),
      caller_(std::move(caller)),
      gate_(gate),
      incidents_(incidents),
      executor_(executor),
      slots_(slots),
      response_(response),
      assembler_(incidents.evidence_limits()) {}

void EvidenceUploadReactor::OnReadDone(bool ok) {
  if (!ok) {
    Store();
    return;
  }
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
  slots_.Give();
  delete this;
}

}  // namespace sentinel::services
