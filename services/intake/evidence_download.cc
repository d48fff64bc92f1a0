#include "services/intake/evidence_download.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "services/common/grpc_status.h"
#include "services/common/refused_stream.h"
#include "services/common/unary_call.h"

namespace sentinel::services {

grpc::ServerWriteReactor<v1::EvidenceChunk>* EvidenceDownloadReactor::Start(
    grpc::CallbackServerContext* context, absl::StatusOr<Principal> caller,
    const v1::ReadEvidenceRequest& request,
    incident::IncidentManager& incidents, BoundedExecutor& executor) {
  if (!caller.ok()) {
    return RefusedWriteReactor<v1::EvidenceChunk>::Create(caller.status());
  }
  auto* reactor = new EvidenceDownloadReactor(context, *std::move(caller),
                                              request, incidents);
  if (!executor.TrySchedule([reactor] { reactor->Open(); })) {
    reactor->Finish(QueueFullStatus(executor));
  }
  return reactor;
}

EvidenceDownloadReactor::EvidenceDownloadReactor(
    grpc::CallbackServerContext* context, Principal caller,
    const v1::ReadEvidenceRequest& request,
    incident::IncidentManager& incidents)
    : context_(context),
      caller_(std::move(caller)),
      request_(request),
      incidents_(incidents) {}

void EvidenceDownloadReactor::Open() {
  absl::Status status = AbandonedCall(*context_);
  if (status.ok()) {
    absl::StatusOr<v1::Evidence> evidence =
        incidents_.OpenEvidence(caller_, request_);
    status = evidence.status();
    if (status.ok()) evidence_ = *std::move(evidence);
  }
  if (!status.ok()) {
    Finish(ToGrpcStatus(status));
    return;
  }
  chunk_.set_incident_id(evidence_.incident_id());
  chunk_.set_evidence_id(evidence_.evidence_id());
  chunk_.set_file_name(evidence_.file_name());
  chunk_.set_content_type(evidence_.content_type());
  WriteNext();
}

void EvidenceDownloadReactor::WriteNext() {
  if (sent_bytes_ >= static_cast<uint64_t>(evidence_.size_bytes())) {
    Finish(grpc::Status::OK);
    return;
  }
  absl::StatusOr<std::string> part =
      incidents_.ReadEvidencePart(evidence_, next_part_);
  if (!part.ok()) {
    Finish(ToGrpcStatus(part.status()));
    return;
  }
  ++next_part_;
  sent_bytes_ += part->size();
  *chunk_.mutable_data() = *std::move(part);
  StartWrite(&chunk_);
}

void EvidenceDownloadReactor::OnWriteDone(bool ok) {
  if (!ok) {
    Finish(grpc::Status(grpc::StatusCode::CANCELLED, "stream broken"));
    return;
  }
  chunk_.Clear();
  WriteNext();
}

}  // namespace sentinel::services
