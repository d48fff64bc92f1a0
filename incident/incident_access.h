// Who may change an incident and read its evidence, apart from the
// authorization table's role check: agents work the cases assigned to them.
#ifndef SENTINEL_INCIDENT_INCIDENT_ACCESS_H_
#define SENTINEL_INCIDENT_INCIDENT_ACCESS_H_

#include "absl/status/status.h"
#include "common/principal.h"
#include "sentinel/v1/incident.pb.h"

namespace sentinel::incident {

// Whether `incident` is assigned to the person `caller` is (compared as
// Principal::PersonId, so "agent/Alice" is "agent/alice").
bool IsAssignedTo(const v1::Incident& incident, const Principal& caller);

// Whether `caller` may change `incident` (its status, its evidence).
// Security and admin may change any incident. Anyone else may change an
// incident assigned to them, and one they reported until someone claims it.
//
// OK, or kPermissionDenied saying why ("agent/mallory may not change
// inc-7: it is assigned to agent/alice").
absl::Status CheckMayChange(const Principal& caller,
                            const v1::Incident& incident);

}  // namespace sentinel::incident

#endif  // SENTINEL_INCIDENT_INCIDENT_ACCESS_H_
