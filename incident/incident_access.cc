#include "incident/incident_access.h"

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"

namespace sentinel::incident {
namespace {

// Whether the stored principal `recorded` ("<role>/<name>") is the person
// `caller` is. A record that does not parse is nobody.
bool IsPerson(absl::string_view recorded, const Principal& caller) {
  absl::StatusOr<Principal> parsed = ParsePrincipalShort(recorded);
  return parsed.ok() && parsed->PersonId() == caller.PersonId();
}

}  // namespace

bool IsAssignedTo(const v1::Incident& incident, const Principal& caller) {
  return !incident.assignee().empty() && IsPerson(incident.assignee(), caller);
}

absl::Status CheckMayChange(const Principal& caller,
                            const v1::Incident& incident) {
  if (caller.role == v1::ROLE_SECURITY || caller.role == v1::ROLE_ADMIN) {
    return absl::OkStatus();
  }
  if (IsAssignedTo(incident, caller)) return absl::OkStatus();
  if (incident.assignee().empty()) {
    if (IsPerson(incident.reported_by(), caller)) return absl::OkStatus();
    return absl::PermissionDeniedError(absl::StrCat(
        caller.ToString(), " may not change ", incident.incident_id(),
        ": it is not assigned to them (claim it first)"));
  }
  return absl::PermissionDeniedError(absl::StrCat(
      caller.ToString(), " may not change ", incident.incident_id(),
      ": it is assigned to ", incident.assignee()));
}

}  // namespace sentinel::incident
