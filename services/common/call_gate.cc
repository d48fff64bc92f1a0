#include "services/common/call_gate.h"

#include <algorithm>
#include <cstdio>
#include <iterator>

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
  absl::StatusOr<Principal> caller = authenticator_.Authenticate(context);
  if (!caller.ok()) {
    Record("", "", method, caller.status());
    return caller.status();
  }
  absl::StatusOr<Principal> acting = ActingPrincipal(context, *caller);
  if (!acting.ok()) {
    RecordRefusal(*caller, method, acting.status());
    return acting.status();
  }
  if (!IsAllowed(method, acting->role)) {
    const absl::Status denied = absl::PermissionDeniedError(absl::StrCat(
        "role ", RoleName(acting->role), " may not call ", method));
    RecordRefusal(*acting, method, denied);
    return denied;
  }
  return acting;
}

absl::StatusOr<Principal> CallGate::ActingPrincipal(
    const grpc::ServerContextBase& context, const Principal& caller) const {
  const auto& metadata = context.client_metadata();
  const auto [first, last] = metadata.equal_range(kOnBehalfOfHeader);
  if (first == last) return caller;
  if (!MayActOnBehalf(caller)) {
    return absl::PermissionDeniedError(
        absl::StrCat(caller.ToString(), " may not act on behalf of another (",
                     kOnBehalfOfHeader, ")"));
  }
  if (std::next(first) != last) {
    return absl::PermissionDeniedError(
        absl::StrCat("more than one ", kOnBehalfOfHeader, " header"));
  }
  absl::StatusOr<Principal> person = ParsePrincipalShort(
      absl::string_view(first->second.data(), first->second.size()));
  if (!person.ok()) {
    return absl::PermissionDeniedError(
        absl::StrCat(kOnBehalfOfHeader, ": ", person.status().message()));
  }
  if (person->role == v1::ROLE_SERVICE) {
    return absl::PermissionDeniedError(
        absl::StrCat(kOnBehalfOfHeader, ": a service acts only as itself"));
  }
  person->via = caller.ToString();
  return person;
}

void CallGate::RecordRefusal(const Principal& principal,
                             absl::string_view method,
                             const absl::Status& refusal) const {
  Record(principal.ToString(), principal.via, method, refusal);
}

absl::Status CallGate::Outcome(const Principal& principal,
                               absl::string_view method,
                               absl::Status outcome) const {
  if (absl::IsPermissionDenied(outcome)) {
    RecordRefusal(principal, method, outcome);
  }
  return outcome;
}

void CallGate::Record(const std::string& principal, const std::string& via,
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
  entry.set_via(via);
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
