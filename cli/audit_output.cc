// Implements the human-readable forms of AuditService answers.
#include "cli/audit_output.h"

#include <vector>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "cli/table.h"
#include "common/time_util.h"

namespace sentinel::cli {
namespace {

std::string Time(const v1::AuditEntry& entry) {
  return entry.has_time() ? FormatUtc(FromProtoTime(entry.time())) : "-";
}

// Refusal messages are free text; keep each entry on one line.
std::string OneLine(absl::string_view text) {
  return absl::StrReplaceAll(text, {{"\t", " "}, {"\n", " "}, {"\r", " "}});
}

}  // namespace

std::string AuditSubjectCell(const v1::AuditSubject& subject) {
  std::string accounts = subject.account_id();
  if (subject.other_account_ids_size() > 0) {
    absl::StrAppend(&accounts, "+", subject.other_account_ids_size());
  }
  if (subject.incident_id().empty()) return accounts;
  if (accounts.empty()) return subject.incident_id();
  return absl::StrCat(accounts, ",", subject.incident_id());
}

std::string AuditOutcomeCell(const v1::AuditOutcome& outcome) {
  // absl::StatusCode shares google.rpc.Code's numbering and names.
  const std::string name =
      absl::StatusCodeToString(static_cast<absl::StatusCode>(outcome.code()));
  if (name.empty()) return absl::StrCat("CODE_", outcome.code());
  return name;
}

std::string AuditQueryText(const v1::QueryAuditResponse& response) {
  std::string text;
  if (response.entries().empty()) {
    text = "no audit entries\n";
  } else {
    Table table({"SEQ", "TIME", "PRINCIPAL", "ACTION", "SUBJECT", "OUTCOME"});
    for (const v1::AuditEntry& entry : response.entries()) {
      table.AddRow({absl::StrCat(entry.seq()), Time(entry), entry.principal(),
                    entry.action(), AuditSubjectCell(entry.subject()),
                    AuditOutcomeCell(entry.outcome())});
    }
    text = table.ToString();
  }
  if (!response.next_page_token().empty()) {
    absl::StrAppend(
        &text, "next page: --page_token=", response.next_page_token(), "\n");
  }
  return text;
}

std::string AuditEntryText(const v1::AuditEntry& entry) {
  std::string text = absl::StrCat(
      "entry ", entry.seq(), ": ",
      entry.action().empty() ? "-" : entry.action(), " by ",
      entry.principal().empty() ? "(unauthenticated)" : entry.principal());
  const std::string subject = AuditSubjectCell(entry.subject());
  if (!subject.empty()) absl::StrAppend(&text, " on ", subject);
  absl::StrAppend(&text, " at ", Time(entry), ": ",
                  AuditOutcomeCell(entry.outcome()));
  if (!entry.outcome().message().empty()) {
    absl::StrAppend(&text, " (", OneLine(entry.outcome().message()), ")");
  }
  text += '\n';
  return text;
}

std::string IncludedText(uint64_t seq, const audit::Checkpoint& checkpoint) {
  return absl::StrCat("entry ", seq,
                      " is included in the signed checkpoint of size ",
                      checkpoint.size, " (root ",
                      absl::Base64Escape(checkpoint.root_hash), ")\n");
}

std::string VerifiedText(absl::string_view key_name) {
  return absl::StrCat("verified: signed by ", key_name, "\n");
}

std::string ExportedText(uint64_t entries, uint64_t tree_size,
                         absl::string_view path) {
  return absl::StrCat(
      "exported ", entries, entries == 1 ? " entry" : " entries",
      " and the checkpoint of size ", tree_size, " to ", path, "\n");
}

std::string ExportProgressText(uint64_t done, uint64_t total) {
  return absl::StrCat("exported ", done, " of ", total, " entries\n");
}

}  // namespace sentinel::cli
