#include "incident/incident_audit_entry.h"

#include <utility>

#include "audit/audit_entries.h"
#include "common/status_macros.h"

namespace sentinel::incident {

absl::StatusOr<v1::AuditEntry> IncidentAuditEntry(const Principal& actor,
                                                  absl::Time time,
                                                  absl::string_view action,
                                                  const v1::Incident* before,
                                                  const v1::Incident& after) {
  v1::AuditSubject subject;
  subject.set_account_id(after.account_id());
  subject.set_incident_id(after.incident_id());
  SENTINEL_ASSIGN_OR_RETURN(
      v1::AuditEntry entry,
      audit::ChangeEntry(actor, time, action, std::move(subject),
                         {.before = before, .after = &after}));
  audit::BoundEntry(entry, kMaxIncidentAuditEntryBytes);
  return entry;
}

}  // namespace sentinel::incident
