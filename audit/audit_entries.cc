#include "audit/audit_entries.h"

#include <string>
#include <utility>

#include "common/proto_json.h"
#include "common/status_macros.h"
#include "common/time_util.h"

namespace sentinel::audit {
namespace {

absl::Status SetJson(const google::protobuf::Message* message,
                     std::string* out) {
  if (message == nullptr) return absl::OkStatus();
  SENTINEL_ASSIGN_OR_RETURN(*out, ToJson(*message));
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<v1::AuditEntry> ChangeEntry(const Principal& actor,
                                           absl::Time time,
                                           absl::string_view action,
                                           v1::AuditSubject subject,
                                           const ChangeDetails& details) {
  v1::AuditEntry entry;
  *entry.mutable_time() = ToProtoTime(time);
  entry.set_principal(actor.ToString());
  entry.set_via(actor.via);
  entry.set_action(std::string(action));
  *entry.mutable_subject() = std::move(subject);
  entry.mutable_outcome()->set_code(0);
  SENTINEL_RETURN_IF_ERROR(SetJson(details.before, entry.mutable_before()));
  SENTINEL_RETURN_IF_ERROR(SetJson(details.after, entry.mutable_after()));
  SENTINEL_RETURN_IF_ERROR(
      SetJson(details.parameters, entry.mutable_parameters()));
  return entry;
}

}  // namespace sentinel::audit
