#include "incident/incident_validation.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/identifiers.h"
#include "common/status_macros.h"

namespace sentinel::incident {
namespace {

template <typename IsValid>
absl::Status ValidateEnum(absl::string_view field, int value,
                          IsValid is_valid) {
  if (value == 0) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": required"));
  }
  if (!is_valid(value)) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": unknown value ", value));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateReport(const v1::ReportIncidentRequest& request) {
  SENTINEL_RETURN_IF_ERROR(
      ValidateIdentifier("account_id", request.account_id(), true));
  SENTINEL_RETURN_IF_ERROR(ValidateEnum("category", request.category(),
                                        v1::IncidentCategory_IsValid));
  SENTINEL_RETURN_IF_ERROR(ValidateText("description", request.description(),
                                        kMaxDescriptionBytes, true));
  SENTINEL_RETURN_IF_ERROR(
      ValidateEnum("channel", request.channel(), v1::Channel_IsValid));
  if (request.vip_level() < 0 || request.vip_level() > kMaxVipLevel) {
    return absl::InvalidArgumentError(absl::StrCat(
        "vip_level: ", request.vip_level(), " is outside 0..", kMaxVipLevel));
  }
  return ValidateIdentifier("idempotency_key", request.idempotency_key(),
                            false);
}

absl::Status ValidateIncidentId(absl::string_view field, absl::string_view id) {
  if (id.empty())
    return absl::InvalidArgumentError(absl::StrCat(field, ": required"));
  if (!ParseIncidentId(id).has_value()) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": malformed (expected inc-<number>)"));
  }
  return absl::OkStatus();
}

absl::Status ValidatePriorities(
    absl::string_view field,
    const google::protobuf::RepeatedField<int>& priorities) {
  for (int i = 0; i < priorities.size(); ++i) {
    const int priority = priorities[i];
    if (priority == v1::PRIORITY_UNSPECIFIED ||
        !v1::Priority_IsValid(priority)) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ": unknown priority ", priority));
    }
    for (int j = 0; j < i; ++j) {
      if (priorities[j] == priority) {
        return absl::InvalidArgumentError(absl::StrCat(
            field, ": ", v1::Priority_Name(priority), " is listed twice"));
      }
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateStatusUpdate(
    const v1::UpdateIncidentStatusRequest& request) {
  SENTINEL_RETURN_IF_ERROR(
      ValidateIncidentId("incident_id", request.incident_id()));
  SENTINEL_RETURN_IF_ERROR(
      ValidateEnum("status", request.status(), v1::IncidentStatus_IsValid));
  return ValidateText("note", request.note(), kMaxNoteBytes, false);
}

absl::Status CheckTransition(v1::IncidentStatus from, v1::IncidentStatus to) {
  bool allowed = false;
  switch (from) {
    case v1::INCIDENT_STATUS_NEW:
      allowed = to == v1::INCIDENT_STATUS_ACKNOWLEDGED;
      break;
    case v1::INCIDENT_STATUS_ACKNOWLEDGED:
      allowed = to == v1::INCIDENT_STATUS_INVESTIGATING;
      break;
    case v1::INCIDENT_STATUS_INVESTIGATING:
      allowed = to == v1::INCIDENT_STATUS_WAITING_ON_USER ||
                to == v1::INCIDENT_STATUS_RESOLVED;
      break;
    case v1::INCIDENT_STATUS_WAITING_ON_USER:
      allowed = to == v1::INCIDENT_STATUS_INVESTIGATING ||
                to == v1::INCIDENT_STATUS_RESOLVED;
      break;
    case v1::INCIDENT_STATUS_RESOLVED:
      allowed = to == v1::INCIDENT_STATUS_CLOSED;
      break;
    default:
      break;
  }
  if (allowed) return absl::OkStatus();
  return absl::FailedPreconditionError(
      absl::StrCat("status: cannot move from ", v1::IncidentStatus_Name(from),
                   " to ", v1::IncidentStatus_Name(to)));
}

bool IsOpen(v1::IncidentStatus status) {
  return status != v1::INCIDENT_STATUS_RESOLVED &&
         status != v1::INCIDENT_STATUS_CLOSED;
}

std::string IncidentId(uint64_t number) { return absl::StrCat("inc-", number); }

std::optional<uint64_t> ParseIncidentId(absl::string_view id) {
  return ParseNumberedId("inc-", id);
}

}  // namespace sentinel::incident
