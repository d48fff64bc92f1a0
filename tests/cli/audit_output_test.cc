// Tests of the human-readable forms of AuditService answers.
#include "cli/audit_output.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace sentinel::cli {
namespace {

// 2026-11-26T10:43:48Z
constexpr int64_t kTime = 1795689828;

v1::AuditEntry Entry(uint64_t seq, std::string principal, std::string action,
                     std::string account, std::string incident, int code) {
  v1::AuditEntry entry;
  entry.set_seq(seq);
  entry.mutable_time()->set_seconds(kTime);
  entry.set_principal(std::move(principal));
  entry.set_action(std::move(action));
  entry.mutable_subject()->set_account_id(std::move(account));
  entry.mutable_subject()->set_incident_id(std::move(incident));
  entry.mutable_outcome()->set_code(code);
  return entry;
}

TEST(AuditSubjectCellTest, AccountIncidentOrBoth) {
  v1::AuditSubject subject;
  EXPECT_EQ(AuditSubjectCell(subject), "");
  subject.set_account_id("acct-1");
  EXPECT_EQ(AuditSubjectCell(subject), "acct-1");
  subject.set_incident_id("inc-7");
  EXPECT_EQ(AuditSubjectCell(subject), "acct-1,inc-7");
  subject.clear_account_id();
  EXPECT_EQ(AuditSubjectCell(subject), "inc-7");
  subject.set_account_id("acct-1");
  subject.add_other_account_ids("acct-2");
  subject.add_other_account_ids("acct-3");
  EXPECT_EQ(AuditSubjectCell(subject), "acct-1+2,inc-7");
}

TEST(AuditOutcomeCellTest, CodeNames) {
  v1::AuditOutcome outcome;
  EXPECT_EQ(AuditOutcomeCell(outcome), "OK");
  outcome.set_code(7);
  EXPECT_EQ(AuditOutcomeCell(outcome), "PERMISSION_DENIED");
  outcome.set_code(16);
  EXPECT_EQ(AuditOutcomeCell(outcome), "UNAUTHENTICATED");
  outcome.set_code(99);
  EXPECT_EQ(AuditOutcomeCell(outcome), "CODE_99");
}

TEST(AuditQueryTextTest, AlignedTableThenNextPage) {
  v1::QueryAuditResponse response;
  *response.add_entries() = Entry(
      0, "agent/alice", "FreezeService.FreezeAccount", "acct-1", "inc-7", 0);
  *response.add_entries() =
      Entry(12, "", "AuditService.QueryAudit", "", "", 16);
  response.set_next_page_token("abc");
  EXPECT_EQ(AuditQueryText(response),
            "SEQ  TIME                  PRINCIPAL    ACTION                    "
            "   SUBJECT       OUTCOME\n"
            "0    2026-11-26T10:43:48Z  agent/alice  "
            "FreezeService.FreezeAccount  acct-1,inc-7  OK\n"
            "12   2026-11-26T10:43:48Z  -            AuditService.QueryAudit  "
            "    -             UNAUTHENTICATED\n"
            "next page: --page_token=abc\n");
}

TEST(AuditQueryTextTest, EmptyPage) {
  EXPECT_EQ(AuditQueryText(v1::QueryAuditResponse()), "no audit entries\n");
}

TEST(AuditEntryTextTest, Success) {
  EXPECT_EQ(
      AuditEntryText(Entry(3, "agent/alice", "FreezeService.FreezeAccount",
                           "acct-1", "", 0)),
      "entry 3: FreezeService.FreezeAccount by agent/alice on acct-1 at "
      "2026-11-26T10:43:48Z: OK\n");
}

TEST(AuditEntryTextTest, RefusalWithoutSubjectOrPrincipal) {
  v1::AuditEntry entry = Entry(4, "", "AuditService.GetEntries", "", "", 7);
  entry.mutable_outcome()->set_message("role agent\nmay not");
  EXPECT_EQ(AuditEntryText(entry),
            "entry 4: AuditService.GetEntries by (unauthenticated) at "
            "2026-11-26T10:43:48Z: PERMISSION_DENIED (role agent may not)\n");
}

TEST(AuditSentencesTest, Included) {
  EXPECT_EQ(IncludedText(3, {.origin = "sentinel/audit",
                             .size = 42,
                             .root_hash = std::string(32, '\0')}),
            "entry 3 is included in the signed checkpoint of size 42 (root "
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=)\n");
}

TEST(AuditSentencesTest, VerifiedExportedAndProgress) {
  EXPECT_EQ(VerifiedText("sentinel/audit"),
            "verified: signed by sentinel/audit\n");
  EXPECT_EQ(ExportedText(42, 42, "bundle"),
            "exported 42 entries and the checkpoint of size 42 to bundle\n");
  EXPECT_EQ(ExportedText(1, 1, "b"),
            "exported 1 entry and the checkpoint of size 1 to b\n");
  EXPECT_EQ(ExportProgressText(10000, 25000),
            "exported 10000 of 25000 entries\n");
}

}  // namespace
}  // namespace sentinel::cli
