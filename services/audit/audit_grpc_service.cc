#include "services/audit/audit_grpc_service.h"

#include <algorithm>
#include <limits>
#include <memory>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "audit/audit_entries.h"
#include "common/identifiers.h"
#include "common/paging.h"
#include "common/status_macros.h"
#include "services/common/feed_write_reactor.h"
#include "services/common/refused_stream.h"
#include "services/common/unary_call.h"

namespace sentinel::services {
namespace {

constexpr char kQueryAudit[] = "/sentinel.v1.AuditService/QueryAudit";
constexpr char kGetCheckpoint[] = "/sentinel.v1.AuditService/GetCheckpoint";
constexpr char kGetEntries[] = "/sentinel.v1.AuditService/GetEntries";
constexpr char kGetInclusionProof[] =
    "/sentinel.v1.AuditService/GetInclusionProof";
constexpr char kGetConsistencyProof[] =
    "/sentinel.v1.AuditService/GetConsistencyProof";
constexpr char kWatchAudit[] = "/sentinel.v1.AuditService/WatchAudit";
constexpr char kDeliverAudit[] = "/sentinel.v1.AuditService/DeliverAudit";
constexpr char kRecordAudit[] = "/sentinel.v1.AuditService/RecordAudit";

constexpr int32_t kDefaultMaxEntries = 100;
constexpr int32_t kMaxEntries = 1000;

}  // namespace

std::string OutboxOrigin(const Principal& service) {
  return absl::StrCat("sentinel-", service.name);
}

AuditGrpcService::AuditGrpcService(audit::MerkleAuditLog& log,
                                   const audit::AuditReader& reader,
                                   audit::AuditInbox& inbox,
                                   const CallGate& gate,
                                   AuditExecutors executors, const Clock& clock)
    : log_(log),
      reader_(reader),
      inbox_(inbox),
      gate_(gate),
      reads_(executors.reads),
      deliveries_(executors.deliveries),
      clock_(clock),
      watchers_(std::numeric_limits<size_t>::max(), kMaxWatchStreamsPerPerson) {
}

grpc::ServerUnaryReactor* AuditGrpcService::DeliverAudit(
    grpc::CallbackServerContext* context,
    const v1::DeliverAuditRequest* request,
    v1::DeliverAuditResponse* response) {
  absl::StatusOr<Principal> caller = gate_.Admit(*context, kDeliverAudit);
  if (!caller.ok()) return FinishUnary(context, caller.status());
  if (const std::string own = OutboxOrigin(*caller); request->origin() != own) {
    const absl::Status refused = absl::PermissionDeniedError(absl::StrCat(
        "origin: ", caller->ToString(), " delivers only as ", own));
    gate_.RecordRefusal(*caller, kDeliverAudit, refused);
    return FinishUnary(context, refused);
  }
  return FinishOnExecutor(deliveries_, context, [=, this, caller = *caller] {
    std::vector<v1::OutboxRecord> records(request->records().begin(),
                                          request->records().end());
    SENTINEL_ASSIGN_OR_RETURN(
        const uint64_t through,
        inbox_.Deliver(caller.ToString(), request->origin(),
                       std::move(records)));
    response->set_delivered_through(through);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* AuditGrpcService::RecordAudit(
    grpc::CallbackServerContext* context, const v1::RecordAuditRequest* request,
    v1::RecordAuditResponse* /*response*/) {
  absl::StatusOr<Principal> caller = gate_.Admit(*context, kRecordAudit);
  if (!caller.ok()) return FinishUnary(context, caller.status());
  return FinishOnExecutor(deliveries_, context, [=, this, caller = *caller] {
    return inbox_.Record(caller.ToString(), request->idempotency_key(),
                         request->entry());
  });
}

absl::Status AuditGrpcService::RecordRead(
    const Principal& caller, const char* method,
    const google::protobuf::Message& request, const std::string& subject,
    const absl::Status& outcome) {
  // Only a well-formed identifier becomes the entry's (indexed) subject; the
  // request, whatever it held, is in the entry's parameters.
  v1::AuditSubject audit_subject;
  if (ValidateIdentifier("subject", subject, /*required=*/true).ok()) {
    audit_subject.set_account_id(subject);
  }
  absl::StatusOr<v1::AuditEntry> entry =
      audit::ChangeEntry(caller, clock_.Now(), AuditActionName(method),
                         std::move(audit_subject), {.parameters = &request});
  if (!entry.ok()) return entry.status();
  entry->mutable_outcome()->set_code(static_cast<int32_t>(outcome.code()));
  entry->mutable_outcome()->set_message(std::string(outcome.message()));
  rocksdb::WriteBatch no_changes;
  absl::Status status = log_.CommitWithAudit(no_changes, *std::move(entry),
                                             audit::CommitUrgency::kNormal,
                                             audit::AuditRule::kPermissive)
                            .status();
  if (!status.ok()) {
    return absl::UnavailableError(
        "this read could not be recorded in the audit log, so it is refused; "
        "retry later");
  }
  return absl::OkStatus();
}

grpc::ServerUnaryReactor* AuditGrpcService::AuditedRead(
    grpc::CallbackServerContext* context, const char* method,
    const google::protobuf::Message& request, std::string subject,
    std::function<absl::Status()> read) {
  absl::StatusOr<Principal> caller = gate_.Admit(*context, method);
  if (!caller.ok()) return FinishUnary(context, caller.status());
  return FinishOnExecutor(
      reads_, context,
      [this, caller = *caller, method, &request, subject = std::move(subject),
       read = std::move(read)] {
        const absl::Status outcome = read();
        SENTINEL_RETURN_IF_ERROR(
            RecordRead(caller, method, request, subject, outcome));
        return outcome;
      });
}

grpc::ServerUnaryReactor* AuditGrpcService::QueryAudit(
    grpc::CallbackServerContext* context, const v1::QueryAuditRequest* request,
    v1::QueryAuditResponse* response) {
  return AuditedRead(
      context, kQueryAudit, *request, request->subject(),
      [this, request, response] {
        // Everything committed before the query is found.
        const uint64_t size = log_.size();
        SENTINEL_RETURN_IF_ERROR(log_.AwaitIndexed(size, absl::Seconds(1)));
        return Deliver(reader_.Query(*request, size), response);
      });
}

absl::StatusOr<v1::Checkpoint> AuditGrpcService::Checkpoint(
    uint64_t tree_size) const {
  audit::SignedCheckpoint signed_checkpoint = log_.latest_checkpoint();
  if (tree_size != 0 && tree_size != signed_checkpoint.checkpoint.size) {
    SENTINEL_ASSIGN_OR_RETURN(signed_checkpoint.note,
                              reader_.CheckpointAt(tree_size));
    SENTINEL_ASSIGN_OR_RETURN(
        signed_checkpoint.checkpoint,
        audit::OpenCheckpoint(signed_checkpoint.note, log_.origin(),
                              log_.public_key(), log_.origin()));
  }
  v1::Checkpoint checkpoint;
  checkpoint.set_tree_size(signed_checkpoint.checkpoint.size);
  checkpoint.set_root_hash(signed_checkpoint.checkpoint.root_hash);
  checkpoint.set_note(signed_checkpoint.note);
  return checkpoint;
}

grpc::ServerUnaryReactor* AuditGrpcService::GetCheckpoint(
    grpc::CallbackServerContext* context,
    const v1::GetCheckpointRequest* request, v1::Checkpoint* response) {
  return AuditedRead(
      context, kGetCheckpoint, *request, "", [this, request, response] {
        return Deliver(Checkpoint(request->tree_size()), response);
      });
}

grpc::ServerUnaryReactor* AuditGrpcService::GetEntries(
    grpc::CallbackServerContext* context, const v1::GetEntriesRequest* request,
    v1::GetEntriesResponse* response) {
  return AuditedRead(
      context, kGetEntries, *request, "", [this, request, response] {
        absl::StatusOr<size_t> max =
            PageSize("max_entries", request->max_entries(), kDefaultMaxEntries,
                     kMaxEntries);
        if (!max.ok()) return max.status();
        absl::StatusOr<std::vector<v1::AuditEntry>> entries =
            reader_.ReadEntries(request->start_seq(), *max, log_.size());
        if (!entries.ok()) return entries.status();
        for (v1::AuditEntry& entry : *entries) {
          *response->add_entries() = std::move(entry);
        }
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* AuditGrpcService::GetInclusionProof(
    grpc::CallbackServerContext* context,
    const v1::GetInclusionProofRequest* request, v1::InclusionProof* response) {
  return AuditedRead(
      context, kGetInclusionProof, *request, "", [this, request, response] {
        return Deliver(reader_.InclusionProof(
                           request->seq(), request->tree_size(), log_.size()),
                       response);
      });
}

grpc::ServerUnaryReactor* AuditGrpcService::GetConsistencyProof(
    grpc::CallbackServerContext* context,
    const v1::GetConsistencyProofRequest* request,
    v1::ConsistencyProof* response) {
  return AuditedRead(
      context, kGetConsistencyProof, *request, "", [this, request, response] {
        return Deliver(
            reader_.ConsistencyProof(request->old_size(), request->new_size(),
                                     log_.size()),
            response);
      });
}

grpc::ServerWriteReactor<v1::AuditEntry>* AuditGrpcService::WatchAudit(
    grpc::CallbackServerContext* context,
    const v1::WatchAuditRequest* request) {
  absl::StatusOr<Principal> caller = gate_.Admit(*context, kWatchAudit);
  if (!caller.ok()) {
    return RefusedWriteReactor<v1::AuditEntry>::Create(caller.status());
  }
  std::shared_ptr<const void> share = watchers_.TakeShared(*caller);
  if (share == nullptr) {
    return RefusedWriteReactor<v1::AuditEntry>::Create(
        TooManyWatchStreams(*caller));
  }
  // Versions are tree sizes: entry seq is version seq + 1, so "entries from
  // seq N" is "versions after N".
  auto* reactor = new FeedWriteReactor<v1::AuditEntry>(
      std::make_unique<LogSubscription<v1::AuditEntry>>(
          log_.feed(),
          [this](uint64_t after_version, size_t max) {
            return reader_.ReadEntries(after_version, max, log_.size());
          },
          [](const v1::AuditEntry& entry) { return entry.seq() + 1; },
          request->from_seq()),
      [](uint64_t) { return std::optional<v1::AuditEntry>(); }, "from_seq");
  reactor->HoldUntilDone(std::move(share));
  // The watch is audited before anything is streamed.
  auto starter = reactor->starter();
  const bool scheduled = reads_.TrySchedule(
      [this, starter, caller = *caller, parameters = *request]() mutable {
        const absl::Status recorded =
            RecordRead(caller, kWatchAudit, parameters, "", absl::OkStatus());
        if (recorded.ok()) {
          starter.Start();
        } else {
          starter.Refuse(ToGrpcStatus(recorded));
        }
      });
  if (!scheduled) starter.Refuse(QueueFullStatus(reads_));
  return reactor;
}

}  // namespace sentinel::services
