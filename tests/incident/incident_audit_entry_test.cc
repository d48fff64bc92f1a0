// IncidentAuditEntry: any incident's audit entry fits what the audit
// service accepts from another process (64 KiB).
#include "incident/incident_audit_entry.h"

#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "audit/audit_entries.h"
#include "audit/sha256.h"
#include "common/identifiers.h"
#include "common/principal.h"
#include "common/proto_json.h"
#include "common/time_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "incident/evidence.h"
#include "incident/incident_validation.h"
#include "tests/testing/status_matchers.h"

namespace sentinel::incident {
namespace {

using ::testing::HasSubstr;

constexpr absl::Time kNow = absl::FromUnixSeconds(1798761600);

// Characters the JSON printer escapes as \u0001: six bytes each.
std::string Worst(size_t bytes) { return std::string(bytes, '\x01'); }

std::string LongName(char c) { return std::string(kMaxPrincipalNameBytes, c); }

// An incident with every field and list at its maximum.
v1::Incident MaximalIncident() {
  v1::Incident incident;
  incident.set_incident_id("inc-18446744073709551615");
  incident.set_account_id(std::string(kMaxIdentifierBytes, 'a'));
  incident.set_category(v1::INCIDENT_CATEGORY_ACCOUNT_TAKEOVER);
  incident.set_priority(v1::PRIORITY_P0);
  incident.set_status(v1::INCIDENT_STATUS_INVESTIGATING);
  incident.set_description(Worst(kMaxDescriptionBytes));
  incident.set_reported_by(absl::StrCat("agent/", LongName('r')));
  incident.set_assignee(absl::StrCat("security/", LongName('s')));
  incident.set_freeze_failed(true);
  incident.set_freeze_error(Worst(1024));
  *incident.mutable_created_at() = ToProtoTime(kNow);
  for (int i = 0; i < kMaxFoldedReports; ++i) {
    v1::FoldedReport* folded = incident.add_folded_reports();
    folded->set_reported_by(absl::StrCat("internal/", LongName('f')));
    folded->set_description(Worst(kMaxDescriptionBytes));
    folded->set_idempotency_key(std::string(128, 'k'));
    *folded->mutable_time() = ToProtoTime(kNow);
  }
  for (int i = 0; i < kMaxHistory; ++i) {
    v1::StatusChange* change = incident.add_history();
    change->set_from_status(v1::INCIDENT_STATUS_ACKNOWLEDGED);
    change->set_to_status(v1::INCIDENT_STATUS_INVESTIGATING);
    change->set_actor(absl::StrCat("security/", LongName('h')));
    change->set_note(Worst(kMaxNoteBytes));
    *change->mutable_time() = ToProtoTime(kNow);
  }
  for (int i = 0; i < kMaxEvidenceFiles; ++i) {
    v1::Evidence* evidence = incident.add_evidence();
    evidence->set_evidence_id(absl::StrCat("ev-", i));
    evidence->set_file_name(Worst(kMaxEvidenceFileNameBytes));
    evidence->set_content_type(std::string(kMaxContentTypeBytes, 'c'));
    evidence->set_sha256(std::string(64, 'e'));
  }
  incident.set_evidence_count(kMaxEvidenceFiles);
  incident.set_occurrence_count(kMaxFoldedReports + 1);
  return incident;
}

// Issue 15, hole 2 (the entry intake hands its outbox, in process): an
// incident's entry carried the whole incident before and after, several MB
// for a long P0 with many folded reports; the audit service refuses an entry
// over 64 KiB and the outbox retried it forever, cutting intake off from the
// audit log. The entry is now bounded, whatever the incident holds.
TEST(IncidentAuditEntryTest, AMaximalIncidentFitsTheAuditServiceLimit) {
  v1::Incident before = MaximalIncident();
  v1::Incident after = before;
  after.set_status(v1::INCIDENT_STATUS_RESOLVED);
  after.mutable_history(kMaxHistory - 1)->set_note("resolved");
  const Principal actor{v1::ROLE_SECURITY, LongName('x')};

  // What the entry used to be.
  ASSERT_OK_AND_ASSIGN(
      v1::AuditEntry unbounded,
      audit::ChangeEntry(actor, kNow, "IncidentService.UpdateIncidentStatus",
                         {}, {.before = &before, .after = &after}));
  EXPECT_GT(unbounded.ByteSizeLong(), 10u * 1024 * 1024);

  ASSERT_OK_AND_ASSIGN(
      v1::AuditEntry entry,
      IncidentAuditEntry(actor, kNow, "IncidentService.UpdateIncidentStatus",
                         &before, after));
  EXPECT_LE(entry.ByteSizeLong(), kMaxIncidentAuditEntryBytes);
  EXPECT_LE(entry.ByteSizeLong() + 1024, audit::kMaxPeerEntryBytes);
  EXPECT_EQ(entry.principal(), actor.ToString());
  EXPECT_EQ(entry.subject().incident_id(), after.incident_id());
  EXPECT_EQ(entry.subject().account_id(), after.account_id());
  // What changed is still readable; the lists are their digests.
  EXPECT_THAT(entry.before(),
              HasSubstr("\"status\":\"INCIDENT_STATUS_INVESTIGATING\""));
  EXPECT_THAT(entry.after(),
              HasSubstr("\"status\":\"INCIDENT_STATUS_RESOLVED\""));
  v1::Incident history_only;
  *history_only.mutable_history() = after.history();
  ASSERT_OK_AND_ASSIGN(std::string history_json, ToJson(history_only));
  // {"history":[...]} -> [...]
  const std::string history_value =
      history_json.substr(11, history_json.size() - 12);
  EXPECT_THAT(entry.after(),
              HasSubstr(absl::StrCat(
                  "\"history\":{\"sha256\":\"",
                  absl::BytesToHexString(audit::Sha256({history_value})),
                  "\",\"json_bytes\":", history_value.size(), "}")));
}

// A creation: no before, an incident with a maximal report folded 100 times.
TEST(IncidentAuditEntryTest, AMaximalCreationFits) {
  const v1::Incident after = MaximalIncident();
  ASSERT_OK_AND_ASSIGN(
      v1::AuditEntry entry,
      IncidentAuditEntry({v1::ROLE_AGENT, LongName('y')}, kNow,
                         "IncidentService.ReportIncident", nullptr, after));
  EXPECT_LE(entry.ByteSizeLong(), kMaxIncidentAuditEntryBytes);
  EXPECT_TRUE(entry.before().empty());
}

// An ordinary incident's entry is exactly what it always was.
TEST(IncidentAuditEntryTest, AnOrdinaryIncidentIsUnchanged) {
  v1::Incident after;
  after.set_incident_id("inc-7");
  after.set_account_id("acct-1");
  after.set_description("my account was taken over");
  after.add_history()->set_to_status(v1::INCIDENT_STATUS_NEW);
  const Principal actor{v1::ROLE_AGENT, "alice"};
  ASSERT_OK_AND_ASSIGN(
      v1::AuditEntry entry,
      IncidentAuditEntry(actor, kNow, "IncidentService.ReportIncident", nullptr,
                         after));
  v1::AuditSubject subject;
  subject.set_account_id("acct-1");
  subject.set_incident_id("inc-7");
  ASSERT_OK_AND_ASSIGN(
      v1::AuditEntry plain,
      audit::ChangeEntry(actor, kNow, "IncidentService.ReportIncident", subject,
                         {.after = &after}));
  EXPECT_EQ(entry.SerializeAsString(), plain.SerializeAsString());
}

}  // namespace
}  // namespace sentinel::incident
