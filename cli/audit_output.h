// The human-readable forms of AuditService answers and of what the audit
// subcommands did. Deterministic, like output.h: times are RFC 3339 UTC to
// the second, unset values print as "-", and every function returns whole
// lines, each ending in a newline (the one-word cell helpers excepted).
#ifndef SENTINEL_CLI_AUDIT_OUTPUT_H_
#define SENTINEL_CLI_AUDIT_OUTPUT_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "audit/checkpoint_note.h"
#include "sentinel/v1/audit.pb.h"

namespace sentinel::cli {

// An entry's subject as one table cell: the account, the incident, or both
// as "ACCOUNT,INCIDENT"; empty when neither is set. Further accounts show as
// a count: "acct-1+2" (acct-1 and two others).
std::string AuditSubjectCell(const v1::AuditSubject& subject);

// An outcome as one word: "OK", the canonical code name such as
// "PERMISSION_DENIED", or "CODE_<n>" for a code this build does not know.
std::string AuditOutcomeCell(const v1::AuditOutcome& outcome);

// Table SEQ TIME PRINCIPAL ACTION SUBJECT OUTCOME ("no audit entries" when
// the page is empty), then "next page: --page_token=..." when there is one.
std::string AuditQueryText(const v1::QueryAuditResponse& response);

// One line about one entry: "entry 3: FreezeService.FreezeAccount by
// agent/alice on acct-1 at 2026-11-26T10:43:48Z: OK". " on ..." is left out
// when the entry has no subject; a refusal ends in its code and message,
// ": PERMISSION_DENIED (role agent may not ...)".
std::string AuditEntryText(const v1::AuditEntry& entry);

// "entry 3 is included in the signed checkpoint of size 42 (root <base64>)".
std::string IncludedText(uint64_t seq, const audit::Checkpoint& checkpoint);

// "verified: signed by <key_name>".
std::string VerifiedText(absl::string_view key_name);

// "exported 42 entries and the checkpoint of size 42 to <path>".
std::string ExportedText(uint64_t entries, uint64_t tree_size,
                         absl::string_view path);

// "exported 10000 of 42000 entries", export's progress line (for stderr).
std::string ExportProgressText(uint64_t done, uint64_t total);

}  // namespace sentinel::cli

#endif  // SENTINEL_CLI_AUDIT_OUTPUT_H_
