// Tests of the intake domain on a real RocksDB and audit log, with a fake
// protective freezer and an injected clock.

#include "incident/incident_manager.h"

#include <atomic>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "audit/audit_log_layout.h"
#include "audit/audit_reader.h"
#include "audit/merkle_audit_log.h"
#include "common/rocks_database.h"
#include "common/time_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "incident/rocksdb_incident_store.h"
#include "incident/triage.h"
#include "tests/incident/incident_manager_fixture.h"
#include "tests/testing/fake_clock.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace sentinel::incident {
namespace {

using ::sentinel::testing::StatusIs;
using ::testing::HasSubstr;

// The triage table, including the VIP raise of P2 and P3.
TEST(TriageTest, MapsEveryCategory) {
  using C = v1::IncidentCategory;
  const std::vector<std::pair<C, v1::Priority>> table = {
      {v1::INCIDENT_CATEGORY_ACCOUNT_TAKEOVER, v1::PRIORITY_P0},
      {v1::INCIDENT_CATEGORY_TWO_FA_FAILURE, v1::PRIORITY_P0},
      {v1::INCIDENT_CATEGORY_UNAUTHORIZED_WITHDRAWAL, v1::PRIORITY_P0},
      {v1::INCIDENT_CATEGORY_PHISHING, v1::PRIORITY_P1},
      {v1::INCIDENT_CATEGORY_WITHDRAWAL_NOT_RECEIVED, v1::PRIORITY_P2},
      {v1::INCIDENT_CATEGORY_ACCOUNT_RESTRICTED_IN_ERROR, v1::PRIORITY_P2},
      {v1::INCIDENT_CATEGORY_TRADE_DISPUTE, v1::PRIORITY_P3},
      {v1::INCIDENT_CATEGORY_POLICY_QUESTION, v1::PRIORITY_P3},
      {v1::INCIDENT_CATEGORY_OTHER, v1::PRIORITY_P3},
  };
  for (const auto& [category, priority] : table) {
    EXPECT_EQ(TriageReport(category, 0).priority, priority) << category;
    EXPECT_EQ(TriageReport(category, 2).priority, priority) << category;
  }
  EXPECT_EQ(TriageReport(v1::INCIDENT_CATEGORY_TRADE_DISPUTE, 3).priority,
            v1::PRIORITY_P2);
  EXPECT_TRUE(
      TriageReport(v1::INCIDENT_CATEGORY_TRADE_DISPUTE, 3).raised_for_vip);
  EXPECT_EQ(
      TriageReport(v1::INCIDENT_CATEGORY_WITHDRAWAL_NOT_RECEIVED, 9).priority,
      v1::PRIORITY_P1);
  EXPECT_EQ(TriageReport(v1::INCIDENT_CATEGORY_PHISHING, 9).priority,
            v1::PRIORITY_P1);
  EXPECT_EQ(TriageReport(v1::INCIDENT_CATEGORY_ACCOUNT_TAKEOVER, 9).priority,
            v1::PRIORITY_P0);
}

// Every P0 category is frozen before the reply, with SLA deadlines set.
TEST_F(IncidentManagerTest, P0ReportsFreezeTheAccount) {
  int account = 0;
  for (v1::IncidentCategory category :
       {v1::INCIDENT_CATEGORY_ACCOUNT_TAKEOVER,
        v1::INCIDENT_CATEGORY_TWO_FA_FAILURE,
        v1::INCIDENT_CATEGORY_UNAUTHORIZED_WITHDRAWAL}) {
    const v1::Incident incident =
        Report(Request(absl::StrCat("acct-", ++account), category));
    EXPECT_EQ(incident.priority(), v1::PRIORITY_P0);
    EXPECT_EQ(incident.report_outcome(), v1::REPORT_OUTCOME_CREATED);
    EXPECT_EQ(incident.protective_freeze_id(),
              absl::StrCat("frz-for-", incident.incident_id()));
    EXPECT_FALSE(incident.freeze_failed());
    EXPECT_EQ(FromProtoTime(incident.ack_due()),
              clock_.Now() + absl::Minutes(5));
    EXPECT_EQ(FromProtoTime(incident.resolve_due()),
              clock_.Now() + absl::Hours(4));
  }
  EXPECT_EQ(freezer_.calls.load(), 3);
  const v1::Incident ticket =
      Report(Request("acct-9", v1::INCIDENT_CATEGORY_POLICY_QUESTION));
  EXPECT_EQ(ticket.priority(), v1::PRIORITY_P3);
  EXPECT_EQ(ticket.protective_freeze_id(), "");
  EXPECT_EQ(freezer_.calls.load(), 3);
}

// A failed protective freeze is never silent: the incident is recorded and
// flagged, and folding a repeat report tries the freeze again.
TEST_F(IncidentManagerTest, FreezeFailureIsRecordedAndRetried) {
  freezer_.fail = true;
  const v1::Incident incident =
      Report(Request("acct-1", v1::INCIDENT_CATEGORY_ACCOUNT_TAKEOVER));
  EXPECT_TRUE(incident.freeze_failed());
  EXPECT_EQ(incident.freeze_error(), "freeze service unreachable");
  EXPECT_EQ(incident.protective_freeze_id(), "");
  ASSERT_OK_AND_ASSIGN(v1::Incident stored, [&] {
    v1::GetIncidentRequest request;
    request.set_incident_id(incident.incident_id());
    return manager_->Get(request);
  }());
  EXPECT_TRUE(stored.freeze_failed());

  freezer_.fail = false;
  const v1::Incident folded =
      Report(Request("acct-1", v1::INCIDENT_CATEGORY_ACCOUNT_TAKEOVER));
  EXPECT_EQ(folded.incident_id(), incident.incident_id());
  EXPECT_FALSE(folded.freeze_failed());
  EXPECT_EQ(folded.protective_freeze_id(),
            absl::StrCat("frz-for-", incident.incident_id()));
}

// A failed protective freeze is retried by intake itself (the retrier's
// RetryFailedFreezes): nothing is written while the freeze keeps failing,
// a restart remembers what waits, and the freeze that succeeds is asked for
// on behalf of the original reporter and recorded as one more change with
// its audit entry.
TEST_F(IncidentManagerTest, FailedFreezesAreRetriedUntilTheySucceed) {
  const Principal retrier{v1::ROLE_SERVICE, "intake"};
  freezer_.fail = true;
  const v1::Incident reported =
      Report(Request("acct-1", v1::INCIDENT_CATEGORY_ACCOUNT_TAKEOVER));
  ASSERT_TRUE(reported.freeze_failed());
  EXPECT_TRUE(manager_->HasFailedFreezes());
  const uint64_t entries_after_report = log_->size();

  ASSERT_OK_AND_ASSIGN(int frozen, manager_->RetryFailedFreezes(retrier));
  EXPECT_EQ(frozen, 0);
  EXPECT_EQ(log_->size(), entries_after_report);
  EXPECT_EQ(freezer_.calls.load(), 2);

  Open();  // a restart: the open incident still waits for its freeze
  EXPECT_TRUE(manager_->HasFailedFreezes());
  freezer_.fail = false;
  ASSERT_OK_AND_ASSIGN(frozen, manager_->RetryFailedFreezes(retrier));
  EXPECT_EQ(frozen, 1);
  EXPECT_FALSE(manager_->HasFailedFreezes());
  {
    absl::MutexLock lock(&freezer_.mu);
    EXPECT_EQ(freezer_.last_reporter, "agent/alice");
  }
  v1::GetIncidentRequest get;
  get.set_incident_id(reported.incident_id());
  ASSERT_OK_AND_ASSIGN(const v1::Incident stored, manager_->Get(get));
  EXPECT_FALSE(stored.freeze_failed());
  EXPECT_EQ(stored.freeze_error(), "");
  EXPECT_EQ(stored.protective_freeze_id(),
            absl::StrCat("frz-for-", reported.incident_id()));
  EXPECT_EQ(stored.version(), reported.version() + 1);
  ASSERT_EQ(log_->size(), entries_after_report + 1);
  audit::AuditReader reader(*database_);
  ASSERT_OK_AND_ASSIGN(
      const std::vector<v1::AuditEntry> last,
      reader.ReadEntries(entries_after_report, 1, log_->size()));
  ASSERT_EQ(last.size(), 1u);
  EXPECT_EQ(last[0].action(), "IncidentService.RetryProtectiveFreeze");
  EXPECT_EQ(last[0].principal(), "service/intake");
  EXPECT_EQ(last[0].subject().incident_id(), reported.incident_id());

  // Nothing waits any more: another retry asks for no freeze.
  ASSERT_OK_AND_ASSIGN(frozen, manager_->RetryFailedFreezes(retrier));
  EXPECT_EQ(frozen, 0);
  EXPECT_EQ(freezer_.calls.load(), 3);
}

// One incident whose freeze keeps failing never keeps the others from being
// retried: each waiting incident is tried on its own (the retrier used to
// stop at the first failure, so a freeze blocked for good blocked every
// freeze behind it).
TEST_F(IncidentManagerTest, EveryWaitingFreezeIsRetriedOnItsOwn) {
  const Principal retrier{v1::ROLE_SERVICE, "intake"};
  freezer_.fail = true;
  const v1::Incident blocked =
      Report(Request("acct-1", v1::INCIDENT_CATEGORY_ACCOUNT_TAKEOVER));
  const v1::Incident waiting =
      Report(Request("acct-2", v1::INCIDENT_CATEGORY_TWO_FA_FAILURE));
  ASSERT_TRUE(blocked.freeze_failed());
  ASSERT_TRUE(waiting.freeze_failed());
  ASSERT_LT(blocked.incident_id(), waiting.incident_id());

  freezer_.fail = false;
  {
    absl::MutexLock lock(&freezer_.mu);
    freezer_.failing_account = "acct-1";
  }
  ASSERT_OK_AND_ASSIGN(const int frozen, manager_->RetryFailedFreezes(retrier));
  EXPECT_EQ(frozen, 1);
  EXPECT_TRUE(manager_->HasFailedFreezes());
  v1::GetIncidentRequest get;
  get.set_incident_id(waiting.incident_id());
  ASSERT_OK_AND_ASSIGN(const v1::Incident stored, manager_->Get(get));
  EXPECT_FALSE(stored.freeze_failed());
  EXPECT_EQ(stored.protective_freeze_id(),
            absl::StrCat("frz-for-", waiting.incident_id()));
  get.set_incident_id(blocked.incident_id());
  ASSERT_OK_AND_ASSIGN(const v1::Incident still, manager_->Get(get));
  EXPECT_TRUE(still.freeze_failed());
}

// Idempotency keys belong to the person who sent them: another agent's
// report with the same key is a new incident, never a replay of (or a
// refusal because of) someone else's.
TEST_F(IncidentManagerTest, IdempotencyKeysArePerPerson) {
  v1::ReportIncidentRequest request =
      Request("acct-1", v1::INCIDENT_CATEGORY_WITHDRAWAL_NOT_RECEIVED);
  request.set_idempotency_key("ticket-7781");
  ASSERT_OK_AND_ASSIGN(
      const v1::Incident alice,
      manager_->Report(Principal{v1::ROLE_AGENT, "alice"}, request));
  request.set_account_id("acct-2");
  ASSERT_OK_AND_ASSIGN(
      const v1::Incident mallory,
      manager_->Report(Principal{v1::ROLE_AGENT, "mallory"}, request));
  EXPECT_NE(mallory.incident_id(), alice.incident_id());
  EXPECT_EQ(mallory.report_outcome(), v1::REPORT_OUTCOME_CREATED);
  EXPECT_EQ(mallory.account_id(), "acct-2");
  // The same person under another role or case is still alice.
  request.set_account_id("acct-1");
  ASSERT_OK_AND_ASSIGN(
      const v1::Incident again,
      manager_->Report(Principal{v1::ROLE_SECURITY, "Alice"}, request));
  EXPECT_EQ(again.incident_id(), alice.incident_id());
  EXPECT_EQ(again.report_outcome(), v1::REPORT_OUTCOME_REPLAYED);
}

// A retry with the same key returns the incident; another request with the
// key is refused; nothing new is written either way.
TEST_F(IncidentManagerTest, IdempotencyKey) {
  v1::ReportIncidentRequest request =
      Request("acct-1", v1::INCIDENT_CATEGORY_WITHDRAWAL_NOT_RECEIVED);
  request.set_idempotency_key("ticket-7781");
  const v1::Incident first = Report(request);
  const uint64_t audit_size = log_->size();
  const v1::Incident retry = Report(request);
  EXPECT_EQ(retry.incident_id(), first.incident_id());
  EXPECT_EQ(retry.report_outcome(), v1::REPORT_OUTCOME_REPLAYED);
  EXPECT_EQ(log_->size(), audit_size);

  request.set_description("a different story");
  EXPECT_THAT(
      manager_->Report(agent_, request),
      StatusIs(absl::StatusCode::kAlreadyExists,
               HasSubstr("idempotency_key: already used by incident inc-1")));
}

// Repeated P0 reports for one account and category fold into the open
// incident; other categories and resolved incidents open new ones.
TEST_F(IncidentManagerTest, RepeatedP0ReportsFold) {
  const v1::Incident first =
      Report(Request("acct-1", v1::INCIDENT_CATEGORY_ACCOUNT_TAKEOVER));
  const v1::Incident second = Report(
      Request("acct-1", v1::INCIDENT_CATEGORY_ACCOUNT_TAKEOVER, "again"));
  EXPECT_EQ(second.incident_id(), first.incident_id());
  EXPECT_EQ(second.report_outcome(), v1::REPORT_OUTCOME_FOLDED);
  EXPECT_EQ(second.occurrence_count(), 2);
  ASSERT_EQ(second.folded_reports_size(), 1);
  EXPECT_EQ(second.folded_reports(0).description(), "again");
  EXPECT_EQ(freezer_.calls.load(), 1);

  const v1::Incident other =
      Report(Request("acct-1", v1::INCIDENT_CATEGORY_TWO_FA_FAILURE));
  EXPECT_NE(other.incident_id(), first.incident_id());

  for (auto status :
       {v1::INCIDENT_STATUS_ACKNOWLEDGED, v1::INCIDENT_STATUS_INVESTIGATING,
        v1::INCIDENT_STATUS_RESOLVED}) {
    ASSERT_OK(Move(first.incident_id(), status).status());
  }
  const v1::Incident after_resolve =
      Report(Request("acct-1", v1::INCIDENT_CATEGORY_ACCOUNT_TAKEOVER));
  EXPECT_EQ(after_resolve.report_outcome(), v1::REPORT_OUTCOME_CREATED);
  EXPECT_NE(after_resolve.incident_id(), first.incident_id());
}

// The lifecycle allows only its moves, keeping who, when and the note.
TEST_F(IncidentManagerTest, StatusLifecycle) {
  const v1::Incident incident =
      Report(Request("acct-1", v1::INCIDENT_CATEGORY_TRADE_DISPUTE));
  EXPECT_THAT(Move(incident.incident_id(), v1::INCIDENT_STATUS_RESOLVED),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       "status: cannot move from INCIDENT_STATUS_NEW to "
                       "INCIDENT_STATUS_RESOLVED"));
  ASSERT_OK(
      Move(incident.incident_id(), v1::INCIDENT_STATUS_ACKNOWLEDGED, "on it")
          .status());
  ASSERT_OK(
      Move(incident.incident_id(), v1::INCIDENT_STATUS_INVESTIGATING).status());
  ASSERT_OK(Move(incident.incident_id(), v1::INCIDENT_STATUS_WAITING_ON_USER)
                .status());
  ASSERT_OK(
      Move(incident.incident_id(), v1::INCIDENT_STATUS_INVESTIGATING).status());
  ASSERT_OK(
      Move(incident.incident_id(), v1::INCIDENT_STATUS_RESOLVED).status());
  ASSERT_OK_AND_ASSIGN(
      v1::Incident closed,
      Move(incident.incident_id(), v1::INCIDENT_STATUS_CLOSED, "done"));
  EXPECT_THAT(Move(incident.incident_id(), v1::INCIDENT_STATUS_CLOSED),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("cannot move")));
  ASSERT_EQ(closed.history_size(), 7);
  EXPECT_EQ(closed.history(1).from_status(), v1::INCIDENT_STATUS_NEW);
  EXPECT_EQ(closed.history(1).to_status(), v1::INCIDENT_STATUS_ACKNOWLEDGED);
  EXPECT_EQ(closed.history(1).actor(), "agent/alice");
  EXPECT_EQ(closed.history(1).note(), "on it");
  EXPECT_EQ(closed.history(6).note(), "done");
  EXPECT_THAT(Move("inc-999", v1::INCIDENT_STATUS_ACKNOWLEDGED),
              StatusIs(absl::StatusCode::kNotFound,
                       "incident_id: no incident inc-999"));
}

// The resolve clock pauses while waiting on the user.
TEST_F(IncidentManagerTest, ResolveClockPausesWhileWaitingOnUser) {
  const v1::Incident incident =
      Report(Request("acct-1", v1::INCIDENT_CATEGORY_WITHDRAWAL_NOT_RECEIVED));
  const absl::Time created = FromProtoTime(incident.created_at());
  EXPECT_EQ(FromProtoTime(incident.resolve_due()), created + absl::Hours(24));
  ASSERT_OK(
      Move(incident.incident_id(), v1::INCIDENT_STATUS_ACKNOWLEDGED).status());
  ASSERT_OK(
      Move(incident.incident_id(), v1::INCIDENT_STATUS_INVESTIGATING).status());
  ASSERT_OK(Move(incident.incident_id(), v1::INCIDENT_STATUS_WAITING_ON_USER)
                .status());
  clock_.Advance(absl::Hours(3));
  ASSERT_OK_AND_ASSIGN(
      v1::Incident resumed,
      Move(incident.incident_id(), v1::INCIDENT_STATUS_INVESTIGATING));
  EXPECT_EQ(FromProtoTime(resumed.resolve_due()), created + absl::Hours(27));
  EXPECT_EQ(resumed.sla_paused_total().seconds(), 3 * 3600);
}

// VIP level 3 halves P2 and P3 targets.
TEST_F(IncidentManagerTest, VipTargetsAreHalved) {
  v1::ReportIncidentRequest request =
      Request("acct-1", v1::INCIDENT_CATEGORY_TRADE_DISPUTE);
  request.set_vip_level(3);
  const v1::Incident incident = Report(request);
  EXPECT_EQ(incident.priority(), v1::PRIORITY_P2);
  EXPECT_TRUE(incident.priority_raised_for_vip());
  const absl::Time created = FromProtoTime(incident.created_at());
  EXPECT_EQ(FromProtoTime(incident.ack_due()), created + absl::Hours(2));
  EXPECT_EQ(FromProtoTime(incident.resolve_due()), created + absl::Hours(12));
}

// Breaches list clocks past 80% and breached ones, breached first.
TEST_F(IncidentManagerTest, SlaBreaches) {
  const v1::Incident p0 =
      Report(Request("acct-1", v1::INCIDENT_CATEGORY_ACCOUNT_TAKEOVER));
  clock_.Advance(absl::Minutes(1));
  const v1::Incident p1 =
      Report(Request("acct-2", v1::INCIDENT_CATEGORY_PHISHING));
  ASSERT_OK_AND_ASSIGN(v1::ListSlaBreachesResponse none,
                       manager_->ListSlaBreaches({}));
  EXPECT_EQ(none.breaches_size(), 0);

  clock_.Advance(absl::Minutes(3));  // P0 ack at 4 of 5 minutes: 80%
  ASSERT_OK_AND_ASSIGN(v1::ListSlaBreachesResponse at_risk,
                       manager_->ListSlaBreaches({}));
  ASSERT_EQ(at_risk.breaches_size(), 1);
  EXPECT_EQ(at_risk.breaches(0).incident().incident_id(), p0.incident_id());
  EXPECT_EQ(at_risk.breaches(0).clock(), v1::SLA_CLOCK_ACKNOWLEDGE);
  EXPECT_EQ(at_risk.breaches(0).state(), v1::SLA_STATE_AT_RISK);
  EXPECT_EQ(at_risk.breaches(0).elapsed_permille(), 800);

  clock_.Advance(absl::Minutes(9));  // P0 13 min, P1 12 of 15 min
  ASSERT_OK_AND_ASSIGN(v1::ListSlaBreachesResponse both,
                       manager_->ListSlaBreaches({}));
  ASSERT_EQ(both.breaches_size(), 2);
  EXPECT_EQ(both.breaches(0).state(), v1::SLA_STATE_BREACHED);
  EXPECT_EQ(both.breaches(0).incident().incident_id(), p0.incident_id());
  EXPECT_EQ(both.breaches(1).state(), v1::SLA_STATE_AT_RISK);
  EXPECT_EQ(both.breaches(1).incident().incident_id(), p1.incident_id());
  v1::ListSlaBreachesRequest breached_only;
  breached_only.set_breached_only(true);
  ASSERT_OK_AND_ASSIGN(v1::ListSlaBreachesResponse only,
                       manager_->ListSlaBreaches(breached_only));
  EXPECT_EQ(only.breaches_size(), 1);
}

// Claims go to the most urgent incident first.
TEST_F(IncidentManagerTest, ClaimsMostUrgentFirst) {
  const v1::Incident p3 =
      Report(Request("acct-1", v1::INCIDENT_CATEGORY_OTHER));
  const v1::Incident p0 =
      Report(Request("acct-2", v1::INCIDENT_CATEGORY_TWO_FA_FAILURE));
  const Principal bob{v1::ROLE_AGENT, "bob"};
  ASSERT_OK_AND_ASSIGN(v1::Incident first, manager_->ClaimNext(bob));
  EXPECT_EQ(first.incident_id(), p0.incident_id());
  EXPECT_EQ(first.assignee(), "agent/bob");
  ASSERT_OK_AND_ASSIGN(v1::Incident second, manager_->ClaimNext(bob));
  EXPECT_EQ(second.incident_id(), p3.incident_id());
  EXPECT_THAT(manager_->ClaimNext(bob),
              StatusIs(absl::StatusCode::kNotFound,
                       "no unclaimed incident is waiting"));
}

// Agents change only the incidents assigned to them, and their own reports
// until someone claims them; security and admin change any. Before, any
// agent could move any incident, even to CLOSED (which stops reports
// folding into it), or add evidence to it.
TEST_F(IncidentManagerTest, AgentsChangeOnlyTheirOwnCases) {
  const v1::Incident incident =
      Report(Request("acct-1", v1::INCIDENT_CATEGORY_WITHDRAWAL_NOT_RECEIVED));
  const Principal mallory{v1::ROLE_AGENT, "mallory"};
  v1::UpdateIncidentStatusRequest close;
  close.set_incident_id(incident.incident_id());
  close.set_status(v1::INCIDENT_STATUS_ACKNOWLEDGED);
  const uint64_t audit_size = log_->size();
  EXPECT_THAT(manager_->UpdateStatus(mallory, close),
              StatusIs(absl::StatusCode::kPermissionDenied,
                       absl::StrCat("agent/mallory may not change ",
                                    incident.incident_id(),
                                    ": it is not assigned to them (claim it "
                                    "first)")));
  EvidenceUpload upload;
  upload.incident_id = incident.incident_id();
  upload.file_name = "file";
  upload.content_type = "image/png";
  upload.data = "png";
  EXPECT_THAT(manager_->AddEvidence(mallory, upload),
              StatusIs(absl::StatusCode::kPermissionDenied,
                       HasSubstr("agent/mallory may not change")));
  EXPECT_EQ(log_->size(), audit_size);

  // The reporter may, until the case is claimed; then only the assignee.
  ASSERT_OK(
      Move(incident.incident_id(), v1::INCIDENT_STATUS_ACKNOWLEDGED).status());
  const Principal bob{v1::ROLE_AGENT, "bob"};
  ASSERT_OK_AND_ASSIGN(const v1::Incident claimed, manager_->ClaimNext(bob));
  ASSERT_EQ(claimed.incident_id(), incident.incident_id());
  EXPECT_THAT(Move(incident.incident_id(), v1::INCIDENT_STATUS_INVESTIGATING),
              StatusIs(absl::StatusCode::kPermissionDenied,
                       absl::StrCat("agent/alice may not change ",
                                    incident.incident_id(),
                                    ": it is assigned to agent/bob")));
  close.set_status(v1::INCIDENT_STATUS_INVESTIGATING);
  ASSERT_OK(
      manager_->UpdateStatus(Principal{v1::ROLE_AGENT, "Bob"}, close).status());
  close.set_status(v1::INCIDENT_STATUS_RESOLVED);
  ASSERT_OK(manager_->UpdateStatus(Principal{v1::ROLE_SECURITY, "sam"}, close)
                .status());
}

// 32 agents claim 1,000 incidents at once: each is claimed exactly once.
TEST_F(IncidentManagerTest, ConcurrentClaimsNeverCollide) {
  constexpr int kIncidents = 1000;
  constexpr int kAgents = 32;
  {
    std::vector<std::thread> reporters;
    for (int t = 0; t < 8; ++t) {
      reporters.emplace_back([&, t] {
        for (int i = t; i < kIncidents; i += 8) {
          Report(
              Request(absl::StrCat("acct-", i), v1::INCIDENT_CATEGORY_OTHER));
        }
      });
    }
    for (std::thread& thread : reporters) thread.join();
  }
  absl::Mutex mu;
  std::vector<std::string> claimed;
  std::vector<std::thread> agents;
  for (int a = 0; a < kAgents; ++a) {
    agents.emplace_back([&, a] {
      const Principal agent{v1::ROLE_AGENT, absl::StrCat("agent", a)};
      for (int attempt = 0; attempt < kIncidents; ++attempt) {
        absl::StatusOr<v1::Incident> incident = manager_->ClaimNext(agent);
        if (absl::IsNotFound(incident.status())) return;
        ASSERT_OK(incident.status());
        absl::MutexLock lock(&mu);
        claimed.push_back(incident->incident_id());
      }
    });
  }
  for (std::thread& thread : agents) thread.join();
  absl::MutexLock lock(&mu);
  EXPECT_EQ(claimed.size(), static_cast<size_t>(kIncidents));
  EXPECT_EQ(std::set<std::string>(claimed.begin(), claimed.end()).size(),
            static_cast<size_t>(kIncidents));
}

// Bad input names the field, and nothing is written.
TEST_F(IncidentManagerTest, BadInputIsRefused) {
  v1::ReportIncidentRequest unknown =
      Request("acct-1", v1::INCIDENT_CATEGORY_OTHER);
  unknown.set_category(static_cast<v1::IncidentCategory>(42));
  EXPECT_THAT(manager_->Report(agent_, unknown),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "category: unknown value 42"));
  EXPECT_THAT(
      manager_->Report(agent_,
                       Request("acct-1", v1::INCIDENT_CATEGORY_UNSPECIFIED)),
      StatusIs(absl::StatusCode::kInvalidArgument, "category: required"));
  EXPECT_THAT(
      manager_->Report(agent_, Request("acct-1", v1::INCIDENT_CATEGORY_OTHER,
                                       std::string(8193, 'd'))),
      StatusIs(absl::StatusCode::kInvalidArgument,
               "description: 8193 bytes, longer than the limit of 8192"));
  v1::ReportIncidentRequest vip =
      Request("acct-1", v1::INCIDENT_CATEGORY_OTHER);
  vip.set_vip_level(10);
  EXPECT_THAT(manager_->Report(agent_, vip),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "vip_level: 10 is outside 0..9"));
  EXPECT_EQ(log_->size(), 0u);
  // At the limits: accepted.
  v1::ReportIncidentRequest max =
      Request("acct-1", v1::INCIDENT_CATEGORY_OTHER, std::string(8192, 'd'));
  max.set_vip_level(9);
  EXPECT_OK(manager_->Report(agent_, max).status());
}

// Seed phrases pasted into a description never reach storage.
TEST_F(IncidentManagerTest, DescriptionsAreRedacted) {
  const v1::Incident incident = Report(Request(
      "acct-1", v1::INCIDENT_CATEGORY_ACCOUNT_TAKEOVER,
      "my words: abandon abandon abandon abandon abandon abandon abandon "
      "abandon abandon abandon abandon about. Please help me"));
  EXPECT_EQ(incident.redactions(), 1);
  // "Please help" are list words and join the phrase across the '.'.
  EXPECT_EQ(incident.description(), "my words: [REDACTED:bip39_mnemonic] me");
}

// Open incidents, claims and folding survive a restart.
TEST_F(IncidentManagerTest, StateSurvivesRestart) {
  const v1::Incident p0 =
      Report(Request("acct-1", v1::INCIDENT_CATEGORY_ACCOUNT_TAKEOVER));
  Open();
  const v1::Incident folded =
      Report(Request("acct-1", v1::INCIDENT_CATEGORY_ACCOUNT_TAKEOVER));
  EXPECT_EQ(folded.incident_id(), p0.incident_id());
  const v1::Incident next =
      Report(Request("acct-2", v1::INCIDENT_CATEGORY_OTHER));
  // Numbering continues after the number lease (incident_numbers.h).
  EXPECT_EQ(next.incident_id(), "inc-101");
  ASSERT_OK_AND_ASSIGN(v1::Incident claimed, manager_->ClaimNext(agent_));
  EXPECT_EQ(claimed.incident_id(), p0.incident_id());
}

// Listing filters by status, priority, account and assignee, newest first.
TEST_F(IncidentManagerTest, ListsFromIndexes) {
  Report(Request("acct-1", v1::INCIDENT_CATEGORY_OTHER));
  Report(Request("acct-2", v1::INCIDENT_CATEGORY_PHISHING));
  Report(Request("acct-1", v1::INCIDENT_CATEGORY_PHISHING));
  v1::ListIncidentsRequest by_account;
  by_account.set_account_id("acct-1");
  ASSERT_OK_AND_ASSIGN(v1::ListIncidentsResponse page,
                       manager_->List(by_account));
  ASSERT_EQ(page.incidents_size(), 2);
  EXPECT_EQ(page.incidents(0).incident_id(), "inc-3");
  EXPECT_EQ(page.incidents(1).incident_id(), "inc-1");
  EXPECT_EQ(page.incidents(0).history_size(), 0);  // summary view

  v1::ListIncidentsRequest by_priority;
  by_priority.set_priority(v1::PRIORITY_P1);
  by_priority.set_page_size(1);
  ASSERT_OK_AND_ASSIGN(v1::ListIncidentsResponse first,
                       manager_->List(by_priority));
  ASSERT_EQ(first.incidents_size(), 1);
  EXPECT_EQ(first.incidents(0).incident_id(), "inc-3");
  by_priority.set_page_token(first.next_page_token());
  ASSERT_OK_AND_ASSIGN(v1::ListIncidentsResponse second,
                       manager_->List(by_priority));
  ASSERT_EQ(second.incidents_size(), 1);
  EXPECT_EQ(second.incidents(0).incident_id(), "inc-2");
  EXPECT_EQ(second.next_page_token(), "");

  ASSERT_OK(manager_->ClaimNext(agent_).status());
  v1::ListIncidentsRequest by_assignee;
  by_assignee.set_assignee("agent/alice");
  ASSERT_OK_AND_ASSIGN(v1::ListIncidentsResponse mine,
                       manager_->List(by_assignee));
  ASSERT_EQ(mine.incidents_size(), 1);
}

}  // namespace
}  // namespace sentinel::incident
