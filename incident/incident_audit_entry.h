// The audit entry of a change to an incident, bounded in size.
//
// An incident carries up to 100 folded reports and 1000 status changes, and
// its entry holds the whole incident before and after as JSON: several MB
// unbounded. In the four-process form the entry must cross to the audit
// service, which refuses one over 64 KiB (audit/audit_inbox.h); so the
// entry's JSON is bounded here, the largest members (history, folded
// reports, evidence) replaced by their SHA-256 digest and length once the
// whole would not fit (audit::BoundedJson). The full incident stays in the
// intake database, and it hashes to those digests.
#ifndef SENTINEL_INCIDENT_INCIDENT_AUDIT_ENTRY_H_
#define SENTINEL_INCIDENT_INCIDENT_AUDIT_ENTRY_H_

#include <cstddef>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "audit/audit_inbox.h"
#include "common/principal.h"
#include "sentinel/v1/audit.pb.h"
#include "sentinel/v1/incident.pb.h"

namespace sentinel::incident {

// The most an incident's audit entry serializes to: under the audit
// service's limit for a peer's entry, with room for what it adds (origin,
// position, origin_time).
inline constexpr size_t kMaxIncidentAuditEntryBytes = 48 * 1024;
static_assert(kMaxIncidentAuditEntryBytes + 1024 <= audit::kMaxPeerEntryBytes);

// The entry recording that `actor` did `action` ("IncidentService.Method")
// at `time`, changing `before` (null for a creation) into `after`: subject
// the incident and its account, `before` and `after` as JSON, together at
// most kMaxIncidentAuditEntryBytes serialized. Errors: kInternal when an
// incident cannot be printed as JSON.
//
// Example:
//   SENTINEL_ASSIGN_OR_RETURN(v1::AuditEntry entry,
//       IncidentAuditEntry(caller, clock.Now(), "IncidentService.ClaimNext",
//                          &before, after));
absl::StatusOr<v1::AuditEntry> IncidentAuditEntry(const Principal& actor,
                                                  absl::Time time,
                                                  absl::string_view action,
                                                  const v1::Incident* before,
                                                  const v1::Incident& after);

}  // namespace sentinel::incident

#endif  // SENTINEL_INCIDENT_INCIDENT_AUDIT_ENTRY_H_
