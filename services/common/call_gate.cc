#include "services/common/call_gate.h"

#include <algorithm>
#include <cstdio>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/time_util.h"
#include "rocksdb/write_batch.h"
#include "services/common/authorization.h"

namespace sentinel::services {

std::string AuditActionName(absl::string_view method) {
  absl::ConsumePrefix(&method, "/sentinel.v1.");
  std::string action(method);
  std::replace(action.begin(), action.end(), '/', '.');
  return action;
}

CallGate::CallGate(const Authenticator& authenticator, audit::AuditSink& audit,
                   const Clock& clock)
    : authenticator_(authenticator), audit_(audit), clock_(clock) {}

absl::StatusOr<Principal> CallGate::Admit(
    const grpc::ServerContextBase& context, absl::string_view method) const {
  absl::StatusOr<Principal> principal = authenticator_.Authenticate(context);
  if (!principal.ok()) {
    RecordRefusal("", method, principal.status());
    return principal.status();
  }
  if (!IsAllowed(method, principal->role)) {
    const absl::Status denied = absl::PermissionDeniedError(absl::StrCat(
        "role ", RoleName(principal->role), " may not call ", method));
    RecordRefusal(principal->ToString(), method, denied);
    return denied;
  }
  return principal;
}

void CallGate::RecordRefusal(const std::string& principal,
                             absl::string_view method,
                             const absl::Status& refusal) const {
  if (recording_.fetch_add(1) >= kMaxRecordingRefusals) {
    recording_.fetch_sub(1);
    unrecorded_.fetch_add(1);
    return;
  }
  v1::AuditEntry entry;
  *entry.mutable_time() = ToProtoTime(clock_.Now());
  entry.set_principal(principal);
  entry.set_action(AuditActionName(method));
  entry.mutable_outcome()->set_code(static_cast<int32_t>(refusal.code()));
  std::string message(refusal.message());
  if (const uint64_t missed = unrecorded_.exchange(0); missed > 0) {
    absl::StrAppend(&message, " (and ", missed, " more refusals not recorded)");
  }
  entry.mutable_outcome()->set_message(std::move(message));
  rocksdb::WriteBatch no_changes;
  const absl::Status recorded =
      audit_
          .CommitWithAudit(no_changes, entry, audit::CommitUrgency::kNormal,
                           audit::AuditRule::kProtective)
          .status();
  recording_.fetch_sub(1);
  if (!recorded.ok()) {
    // The call is refused either way; say that the trail has a hole.
    std::fprintf(stderr, "sentinel: refusal of %s not recorded: %s\n",
                 std::string(method).c_str(),
                 std::string(recorded.message()).c_str());
  }
}

}  // namespace sentinel::services
