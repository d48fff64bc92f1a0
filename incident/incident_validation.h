// Checks of incident requests before anything is read or written, the
// allowed status moves, and the incident id format.
//
// Each check returns OK or kInvalidArgument naming the field and the reason.
#ifndef SENTINEL_INCIDENT_INCIDENT_VALIDATION_H_
#define SENTINEL_INCIDENT_INCIDENT_VALIDATION_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "sentinel/v1/incident.pb.h"

namespace sentinel::incident {

inline constexpr size_t kMaxDescriptionBytes = 8192;
inline constexpr size_t kMaxNoteBytes = 1024;
inline constexpr int kMaxVipLevel = 9;
inline constexpr int kMaxHistory = 1000;
inline constexpr int kMaxFoldedReports = 100;
inline constexpr int32_t kDefaultIncidentPageSize = 100;
inline constexpr int32_t kMaxIncidentPageSize = 1000;

absl::Status ValidateReport(const v1::ReportIncidentRequest& request);
absl::Status ValidateStatusUpdate(
    const v1::UpdateIncidentStatusRequest& request);
absl::Status ValidateIncidentId(absl::string_view field, absl::string_view id);
// A priority filter: 0..4 distinct priorities, none UNSPECIFIED.
absl::Status ValidatePriorities(
    absl::string_view field,
    const google::protobuf::RepeatedField<int>& priorities);

// OK when an incident may move from `from` to `to`: NEW -> ACKNOWLEDGED ->
// INVESTIGATING <-> WAITING_ON_USER, INVESTIGATING or WAITING_ON_USER ->
// RESOLVED -> CLOSED. kFailedPrecondition naming both statuses otherwise.
absl::Status CheckTransition(v1::IncidentStatus from, v1::IncidentStatus to);

// Open incidents are those not RESOLVED or CLOSED.
bool IsOpen(v1::IncidentStatus status);

// "inc-<n>" and back.
std::string IncidentId(uint64_t number);
std::optional<uint64_t> ParseIncidentId(absl::string_view id);

}  // namespace sentinel::incident

#endif  // SENTINEL_INCIDENT_INCIDENT_VALIDATION_H_
