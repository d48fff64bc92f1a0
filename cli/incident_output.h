// The human-readable forms of IncidentService answers. Deterministic, like
// output.h: times are RFC 3339 UTC to the second, unset values print as "-",
// enum values by their short names (incident_names.h), and every function
// returns whole lines, each ending in a newline (PermilleCell excepted).
#ifndef SENTINEL_CLI_INCIDENT_OUTPUT_H_
#define SENTINEL_CLI_INCIDENT_OUTPUT_H_

#include <cstdint>
#include <string>

#include "sentinel/v1/incident.pb.h"

namespace sentinel::cli {

// What ReportIncident did, e.g.
//   reported inc-7: P0 ACCOUNT_TAKEOVER on acct-1 (CREATED)
//   protective freeze: frz-3
//   acknowledge by 2026-11-26T10:48:48Z, resolve by 2026-11-26T14:43:48Z
//   redacted 2 secrets from the description
// The parentheses also say "priority raised for VIP" when it was, and for a
// folded report the occurrence count: "(FOLDED, 3 occurrences)". The freeze
// line is FreezeFailedLine instead when the protective freeze failed, and is
// left out when there is neither a freeze nor a failure (P1..P3). The last
// line only when secrets were redacted from this report's description (for
// FOLDED, the folded report's own count, when the reply holds it).
std::string ReportedText(const v1::Incident& incident);

// "PROTECTIVE FREEZE FAILED: <freeze_error>" when freeze_failed is set,
// otherwise "". A failed protective freeze means nobody blocked the account:
// a person must freeze it by hand, so callers also print this to stderr.
std::string FreezeFailedLine(const v1::Incident& incident);

// One incident in full, for show: a key-value block (incident, account,
// category, priority with "(raised for VIP)", status, assignee, reported by
// and channel, created, acknowledge and resolve deadlines with their SLA
// states, protective freeze or its failure, occurrences, redactions,
// evidence files, description with its own line breaks kept and indented),
// a blank line, the history as table TIME FROM TO ACTOR NOTE, then
// "folded reports: N" and, when there are any, table TIME REPORTED_BY
// CHANNEL DESCRIPTION.
std::string IncidentText(const v1::Incident& incident);

// "claimed inc-7", a blank line, then IncidentText.
std::string ClaimedText(const v1::Incident& incident);

// Table INCIDENT PRIORITY STATUS CATEGORY ACCOUNT ASSIGNEE ACK_DUE
// RESOLVE_DUE ("no incidents" when the page is empty), then
// "next page: --page_token=..." when there is one.
std::string QueueText(const v1::ListIncidentsResponse& response);

// The change UpdateIncidentStatus made, from the incident's last history
// entry: "inc-7: NEW -> ACKNOWLEDGED by agent/alice". Without history (not
// the full view): "inc-7: now ACKNOWLEDGED".
std::string StatusChangedText(const v1::Incident& incident);

// Share of a clock's allowed time used, from thousandths to percent with at
// most one decimal: 800 -> "80%", 1234 -> "123.4%".
std::string PermilleCell(int32_t permille);

// Table INCIDENT PRIORITY CLOCK STATE DUE USED ("no SLA clocks at risk or
// breached" when the page is empty), "next page: --page_token=..." when
// there is one, then "as of <time>".
std::string SlaBreachesText(const v1::ListSlaBreachesResponse& response);

// "added evd-1 to inc-3: chat.txt (text/plain, 120 bytes, 1 secret
// redacted)", or for binary content "... (application/pdf, 2621440 bytes,
// not scanned for secrets: handle it as possibly secret)", and the sha256
// on the next line.
std::string EvidenceAddedText(const v1::Evidence& evidence);

// The table header and one line per event of `watch incidents`: VERSION
// TIME KIND INCIDENT PRIORITY STATUS ACCOUNT ACTOR.
std::string IncidentWatchHeader();
std::string IncidentWatchLine(const v1::IncidentEvent& event);

}  // namespace sentinel::cli

#endif  // SENTINEL_CLI_INCIDENT_OUTPUT_H_
