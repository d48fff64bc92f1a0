// Tests of the human-readable forms of IncidentService answers.
#include "cli/incident_output.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace sentinel::cli {
namespace {

// 2026-11-26T10:43:48Z
constexpr int64_t kTime = 1795689828;

google::protobuf::Timestamp At(int64_t seconds_after) {
  google::protobuf::Timestamp time;
  time.set_seconds(kTime + seconds_after);
  return time;
}

// A P0 report as ReportIncident returns it: created, frozen, one history
// entry.
v1::Incident Takeover() {
  v1::Incident incident;
  incident.set_incident_id("inc-7");
  incident.set_account_id("acct-1");
  incident.set_category(v1::INCIDENT_CATEGORY_ACCOUNT_TAKEOVER);
  incident.set_priority(v1::PRIORITY_P0);
  incident.set_status(v1::INCIDENT_STATUS_NEW);
  *incident.mutable_ack_due() = At(300);
  *incident.mutable_resolve_due() = At(4 * 3600);
  incident.set_protective_freeze_id("frz-3");
  *incident.mutable_created_at() = At(0);
  incident.set_description("2FA reset from an unknown device");
  incident.set_channel(v1::CHANNEL_LIVE_CHAT);
  incident.set_reported_by("agent/alice");
  incident.set_report_outcome(v1::REPORT_OUTCOME_CREATED);
  incident.set_occurrence_count(1);
  *incident.mutable_last_reported_at() = At(0);
  incident.set_ack_sla(v1::SLA_STATE_ON_TRACK);
  incident.set_resolve_sla(v1::SLA_STATE_ON_TRACK);
  v1::StatusChange& created = *incident.add_history();
  created.set_to_status(v1::INCIDENT_STATUS_NEW);
  created.set_actor("agent/alice");
  *created.mutable_time() = At(0);
  return incident;
}

TEST(ReportedTextTest, CreatedWithProtectiveFreeze) {
  EXPECT_EQ(ReportedText(Takeover()),
            "reported inc-7: P0 ACCOUNT_TAKEOVER on acct-1 (CREATED)\n"
            "protective freeze: frz-3\n"
            "acknowledge by 2026-11-26T10:48:48Z, resolve by "
            "2026-11-26T14:43:48Z\n");
}

TEST(ReportedTextTest, FreezeFailedIsLoudAndRedactionsAreCounted) {
  v1::Incident incident = Takeover();
  incident.clear_protective_freeze_id();
  incident.set_freeze_failed(true);
  incident.set_freeze_error("UNAVAILABLE: freeze store\nis down");
  incident.set_redactions(2);
  EXPECT_EQ(ReportedText(incident),
            "reported inc-7: P0 ACCOUNT_TAKEOVER on acct-1 (CREATED)\n"
            "PROTECTIVE FREEZE FAILED: UNAVAILABLE: freeze store is down\n"
            "acknowledge by 2026-11-26T10:48:48Z, resolve by "
            "2026-11-26T14:43:48Z\n"
            "redacted 2 secrets from the description\n");
  EXPECT_EQ(FreezeFailedLine(incident),
            "PROTECTIVE FREEZE FAILED: UNAVAILABLE: freeze store is down\n");
}

TEST(ReportedTextTest, FreezeFailedWithoutReason) {
  v1::Incident incident = Takeover();
  incident.set_freeze_failed(true);
  EXPECT_EQ(FreezeFailedLine(incident),
            "PROTECTIVE FREEZE FAILED: (no reason given)\n");
  EXPECT_EQ(FreezeFailedLine(Takeover()), "");
}

TEST(ReportedTextTest, TicketRaisedForVipHasNoFreezeLine) {
  v1::Incident incident = Takeover();
  incident.set_category(v1::INCIDENT_CATEGORY_TRADE_DISPUTE);
  incident.set_priority(v1::PRIORITY_P2);
  incident.set_priority_raised_for_vip(true);
  incident.clear_protective_freeze_id();
  incident.set_redactions(1);
  EXPECT_EQ(ReportedText(incident),
            "reported inc-7: P2 TRADE_DISPUTE on acct-1 (CREATED, priority "
            "raised for VIP)\n"
            "acknowledge by 2026-11-26T10:48:48Z, resolve by "
            "2026-11-26T14:43:48Z\n"
            "redacted 1 secret from the description\n");
}

TEST(ReportedTextTest, FoldedCountsOccurrencesAndItsOwnRedactions) {
  v1::Incident incident = Takeover();
  incident.set_report_outcome(v1::REPORT_OUTCOME_FOLDED);
  incident.set_occurrence_count(2);
  incident.set_redactions(5);  // The original report's, not this one's.
  incident.add_folded_reports()->set_redactions(1);
  EXPECT_EQ(ReportedText(incident),
            "reported inc-7: P0 ACCOUNT_TAKEOVER on acct-1 (FOLDED, 2 "
            "occurrences)\n"
            "protective freeze: frz-3\n"
            "acknowledge by 2026-11-26T10:48:48Z, resolve by "
            "2026-11-26T14:43:48Z\n"
            "redacted 1 secret from the description\n");

  // Beyond the folded reports kept, this report's count is unknown.
  incident.set_occurrence_count(150);
  EXPECT_THAT(ReportedText(incident),
              ::testing::Not(::testing::HasSubstr("redacted")));
}

TEST(IncidentTextTest, NewIncident) {
  v1::Incident incident = Takeover();
  incident.set_description("line one\r\nline two\n\nline four");
  EXPECT_EQ(IncidentText(incident),
            "incident:           inc-7\n"
            "account:            acct-1\n"
            "category:           ACCOUNT_TAKEOVER\n"
            "priority:           P0\n"
            "status:             NEW\n"
            "assignee:           -\n"
            "reported by:        agent/alice via LIVE_CHAT\n"
            "created:            2026-11-26T10:43:48Z\n"
            "ack due:            2026-11-26T10:48:48Z (ON_TRACK)\n"
            "resolve due:        2026-11-26T14:43:48Z (ON_TRACK)\n"
            "protective freeze:  frz-3\n"
            "occurrences:        1\n"
            "redactions:         0\n"
            "evidence files:     0\n"
            "description:        line one\n"
            "                    line two\n"
            "\n"
            "                    line four\n"
            "\n"
            "TIME                  FROM  TO   ACTOR        NOTE\n"
            "2026-11-26T10:43:48Z  -     NEW  agent/alice  -\n"
            "\n"
            "folded reports: 0\n");
}

TEST(IncidentTextTest, WorkedIncidentWithFoldsAndFailedFreeze) {
  v1::Incident incident = Takeover();
  incident.set_priority(v1::PRIORITY_P1);
  incident.set_priority_raised_for_vip(true);
  incident.set_vip_level(4);
  incident.set_status(v1::INCIDENT_STATUS_WAITING_ON_USER);
  incident.set_assignee("agent/bob");
  *incident.mutable_claimed_at() = At(60);
  *incident.mutable_acknowledged_at() = At(120);
  incident.set_ack_sla(v1::SLA_STATE_MET);
  incident.set_resolve_sla(v1::SLA_STATE_AT_RISK);
  incident.set_sla_paused(true);
  *incident.mutable_sla_paused_since() = At(600);
  incident.clear_protective_freeze_id();
  incident.set_freeze_failed(true);
  incident.set_freeze_error("UNAVAILABLE: store down");
  incident.set_occurrence_count(3);
  *incident.mutable_last_reported_at() = At(240);
  incident.set_redactions(2);
  incident.set_evidence_count(1);
  v1::StatusChange& ack = *incident.add_history();
  ack.set_from_status(v1::INCIDENT_STATUS_NEW);
  ack.set_to_status(v1::INCIDENT_STATUS_ACKNOWLEDGED);
  ack.set_actor("agent/bob");
  ack.set_note("calling\tthe user");
  *ack.mutable_time() = At(120);
  v1::FoldedReport& folded = *incident.add_folded_reports();
  folded.set_reported_by("internal/login-service");
  folded.set_channel(v1::CHANNEL_INTERNAL_DETECTION);
  folded.set_description("new device\nlogin");
  *folded.mutable_time() = At(240);

  EXPECT_EQ(
      IncidentText(incident),
      "incident:           inc-7\n"
      "account:            acct-1\n"
      "category:           ACCOUNT_TAKEOVER\n"
      "priority:           P1 (raised for VIP)\n"
      "status:             WAITING_ON_USER\n"
      "assignee:           agent/bob (claimed 2026-11-26T10:44:48Z)\n"
      "reported by:        agent/alice via LIVE_CHAT, VIP level 4\n"
      "created:            2026-11-26T10:43:48Z\n"
      "ack due:            2026-11-26T10:48:48Z (MET, acknowledged "
      "2026-11-26T10:45:48Z)\n"
      "resolve due:        2026-11-26T14:43:48Z (AT_RISK, paused since "
      "2026-11-26T10:53:48Z)\n"
      "protective freeze:  FAILED: UNAVAILABLE: store down (intake retries "
      "it; freeze by hand if it cannot wait)\n"
      "occurrences:        3 (last reported 2026-11-26T10:47:48Z)\n"
      "redactions:         2\n"
      "evidence files:     1\n"
      "description:        2FA reset from an unknown device\n"
      "\n"
      "TIME                  FROM  TO            ACTOR        NOTE\n"
      "2026-11-26T10:43:48Z  -     NEW           agent/alice  -\n"
      "2026-11-26T10:45:48Z  NEW   ACKNOWLEDGED  agent/bob    calling the "
      "user\n"
      "\n"
      "folded reports: 2 (the first 1 kept)\n"
      "TIME                  REPORTED_BY             CHANNEL             "
      "DESCRIPTION\n"
      "2026-11-26T10:47:48Z  internal/login-service  INTERNAL_DETECTION  "
      "new device login\n");
}

TEST(IncidentTextTest, SummaryViewHasNoHistoryTable) {
  v1::Incident incident = Takeover();
  incident.clear_history();
  const std::string text = IncidentText(incident);
  EXPECT_THAT(text, ::testing::Not(::testing::HasSubstr("ACTOR")));
  EXPECT_THAT(text, ::testing::EndsWith(
                        "description:        2FA reset from an unknown device\n"
                        "\nfolded reports: 0\n"));
}

TEST(ClaimedTextTest, HeadlineThenTheIncident) {
  v1::Incident incident = Takeover();
  EXPECT_EQ(ClaimedText(incident),
            "claimed inc-7\n\n" + IncidentText(incident));
}

TEST(QueueTextTest, TableThenNextPage) {
  v1::ListIncidentsResponse response;
  v1::Incident& first = *response.add_incidents() = Takeover();
  first.clear_history();
  v1::Incident& second = *response.add_incidents() = Takeover();
  second.set_incident_id("inc-12");
  second.set_account_id("acct-2");
  second.set_priority(v1::PRIORITY_P3);
  second.set_category(v1::INCIDENT_CATEGORY_POLICY_QUESTION);
  second.set_status(v1::INCIDENT_STATUS_INVESTIGATING);
  second.set_assignee("agent/bob");
  second.clear_ack_due();
  response.set_next_page_token("tok");
  EXPECT_EQ(QueueText(response),
            "INCIDENT  PRIORITY  STATUS         CATEGORY          ACCOUNT  "
            "ASSIGNEE   ACK_DUE               RESOLVE_DUE\n"
            "inc-7     P0        NEW            ACCOUNT_TAKEOVER  acct-1   "
            "-          2026-11-26T10:48:48Z  2026-11-26T14:43:48Z\n"
            "inc-12    P3        INVESTIGATING  POLICY_QUESTION   acct-2   "
            "agent/bob  -                     2026-11-26T14:43:48Z\n"
            "next page: --page_token=tok\n");
}

TEST(QueueTextTest, EmptyPage) {
  EXPECT_EQ(QueueText(v1::ListIncidentsResponse()), "no incidents\n");
}

TEST(StatusChangedTextTest, FromTheLastHistoryEntry) {
  v1::Incident incident = Takeover();
  v1::StatusChange& ack = *incident.add_history();
  ack.set_from_status(v1::INCIDENT_STATUS_NEW);
  ack.set_to_status(v1::INCIDENT_STATUS_ACKNOWLEDGED);
  ack.set_actor("agent/alice");
  incident.set_status(v1::INCIDENT_STATUS_ACKNOWLEDGED);
  EXPECT_EQ(StatusChangedText(incident),
            "inc-7: NEW -> ACKNOWLEDGED by agent/alice\n");

  incident.clear_history();
  EXPECT_EQ(StatusChangedText(incident), "inc-7: now ACKNOWLEDGED\n");
}

TEST(PermilleCellTest, PercentWithAtMostOneDecimal) {
  EXPECT_EQ(PermilleCell(0), "0%");
  EXPECT_EQ(PermilleCell(800), "80%");
  EXPECT_EQ(PermilleCell(805), "80.5%");
  EXPECT_EQ(PermilleCell(1000), "100%");
  EXPECT_EQ(PermilleCell(1234), "123.4%");
  EXPECT_EQ(PermilleCell(-5), "-0.5%");
}

TEST(SlaBreachesTextTest, TableNextPageAndAsOf) {
  v1::ListSlaBreachesResponse response;
  v1::SlaBreach& breached = *response.add_breaches();
  *breached.mutable_incident() = Takeover();
  breached.set_clock(v1::SLA_CLOCK_ACKNOWLEDGE);
  breached.set_state(v1::SLA_STATE_BREACHED);
  *breached.mutable_due() = At(300);
  breached.set_elapsed_permille(1250);
  v1::SlaBreach& at_risk = *response.add_breaches();
  at_risk.mutable_incident()->set_incident_id("inc-12");
  at_risk.mutable_incident()->set_priority(v1::PRIORITY_P2);
  at_risk.set_clock(v1::SLA_CLOCK_RESOLVE);
  at_risk.set_state(v1::SLA_STATE_AT_RISK);
  *at_risk.mutable_due() = At(3600);
  at_risk.set_elapsed_permille(812);
  response.set_next_page_token("more");
  *response.mutable_as_of() = At(375);
  EXPECT_EQ(SlaBreachesText(response),
            "INCIDENT  PRIORITY  CLOCK        STATE     DUE                   "
            "USED\n"
            "inc-7     P0        ACKNOWLEDGE  BREACHED  2026-11-26T10:48:48Z  "
            "125%\n"
            "inc-12    P2        RESOLVE      AT_RISK   2026-11-26T11:43:48Z  "
            "81.2%\n"
            "next page: --page_token=more\n"
            "as of 2026-11-26T10:50:03Z\n");
}

TEST(SlaBreachesTextTest, Nothing) {
  v1::ListSlaBreachesResponse response;
  *response.mutable_as_of() = At(0);
  EXPECT_EQ(SlaBreachesText(response),
            "no SLA clocks at risk or breached\n"
            "as of 2026-11-26T10:43:48Z\n");
}

}  // namespace
}  // namespace sentinel::cli
