#include "tests/crash/audit_log_scan.h"

#include "absl/strings/str_cat.h"
#include "tests/crash/crash_client.h"

namespace sentinel::crash {

grpc::Status AuditLogScan::ReadNew() {
  // Every read is itself audited, so the log grows as it is read: read up
  // to the newest checkpoint as it was when the call began.
  v1::Checkpoint checkpoint;
  const grpc::Status newest = audit_.GetCheckpoint(
      CrashClient::Context().get(), v1::GetCheckpointRequest(), &checkpoint);
  if (!newest.ok()) return newest;
  while (next_seq_ < checkpoint.tree_size()) {
    v1::GetEntriesRequest request;
    request.set_start_seq(next_seq_);
    request.set_max_entries(1000);
    v1::GetEntriesResponse response;
    const grpc::Status status =
        audit_.GetEntries(CrashClient::Context().get(), request, &response);
    if (!status.ok()) return status;
    if (response.entries().empty()) {
      return grpc::Status(grpc::StatusCode::DATA_LOSS,
                          absl::StrCat("no audit entry at ", next_seq_,
                                       " below the checkpoint's tree size ",
                                       checkpoint.tree_size()));
    }
    for (const v1::AuditEntry& entry : response.entries()) Add(entry);
  }
  return grpc::Status::OK;
}

int AuditLogScan::Count(const std::string& action,
                        const std::string& account_id) const {
  const auto found = ok_counts_.find({action, account_id});
  return found == ok_counts_.end() ? 0 : found->second;
}

void AuditLogScan::Add(const v1::AuditEntry& entry) {
  if (entry.seq() != next_seq_) {
    problems_.push_back(absl::StrCat("audit entry at position ", next_seq_,
                                     " has seq ", entry.seq()));
  }
  ++next_seq_;
  if (entry.outcome().code() == 0) {
    ++ok_counts_[{entry.action(), entry.subject().account_id()}];
  }
  if (entry.origin().empty()) return;
  ++records_by_origin_[entry.origin()];
  uint64_t& last = last_origin_seq_[entry.origin()];
  if (entry.origin_seq() <= last) {
    problems_.push_back(absl::StrCat(
        "audit entry ", entry.seq(), ": outbox record ", entry.origin(), "#",
        entry.origin_seq(), " after ", entry.origin(), "#", last,
        " (delivered twice or out of order)"));
  } else if (entry.origin_seq() != last + 1) {
    problems_.push_back(absl::StrCat(
        "audit entry ", entry.seq(), ": outbox record ", entry.origin(), "#",
        entry.origin_seq(), " after ", entry.origin(), "#", last,
        " (positions ", last + 1, "..", entry.origin_seq() - 1, " missing)"));
  }
  last = entry.origin_seq();
}

}  // namespace sentinel::crash
