// Tests of the freeze domain against a real RocksDB in a temporary directory.

#include "freeze/freeze_manager.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "common/time_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/freeze_fixture.h"
#include "tests/testing/status_matchers.h"

namespace sentinel::freeze {
namespace {

using ::sentinel::testing::Agent;
using ::sentinel::testing::FreezeFixture;
using ::sentinel::testing::FreezeRequest;
using ::sentinel::testing::Security;
using ::sentinel::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

v1::CheckAccountsRequest CheckRequest(const std::string& account_id,
                                      v1::FreezeScope action) {
  v1::CheckAccountsRequest request;
  request.add_account_ids(account_id);
  request.set_action(action);
  return request;
}

v1::AccountCheck CheckOne(FreezeManager& manager, const std::string& account_id,
                          v1::FreezeScope action) {
  absl::StatusOr<v1::CheckAccountsResponse> response =
      manager.CheckAccounts(CheckRequest(account_id, action));
  EXPECT_TRUE(response.ok()) << response.status();
  if (!response.ok() || response->results_size() != 1) return {};
  return response->results(0);
}

v1::RequestUnfreezeRequest UnfreezeRequestFor(const v1::FreezeRecord& record) {
  v1::RequestUnfreezeRequest request;
  request.set_account_id(record.account_id());
  request.set_freeze_id(record.freeze_id());
  request.set_reason("user verified identity on a video call");
  return request;
}

v1::ApproveUnfreezeRequest Approve(const std::string& request_id) {
  v1::ApproveUnfreezeRequest request;
  request.set_request_id(request_id);
  return request;
}

class FreezeManagerTest : public ::testing::Test {
 protected:
  FreezeManager& manager() { return fixture_.manager(); }

  // Files an ordinary (P2) report, which freezes nothing; its incident id.
  std::string ReportIncident() {
    v1::ReportIncidentRequest request;
    request.set_account_id("acct-reporter");
    request.set_category(v1::INCIDENT_CATEGORY_WITHDRAWAL_NOT_RECEIVED);
    request.set_channel(v1::CHANNEL_LIVE_CHAT);
    request.set_description("my withdrawal never arrived");
    absl::StatusOr<v1::Incident> incident =
        fixture_.incidents().Report(Agent(), request);
    EXPECT_TRUE(incident.ok()) << incident.status();
    return incident.ok() ? incident->incident_id() : "";
  }

  FreezeFixture fixture_;
};

// Where the freeze service sees the incidents, a freeze names an incident
// that exists, or is refused with nothing written. The protective freeze
// (intake's, under a reserved key) is exempt: it comes before the incident
// it names is committed.
TEST_F(FreezeManagerTest, AFreezeNamesAnExistingIncident) {
  const std::string incident = ReportIncident();
  ASSERT_EQ(incident, "inc-1");
  v1::FreezeAccountRequest request = FreezeRequest("acct-1");
  request.set_incident_id("inc-2");
  const size_t entries = fixture_.AuditEntries().size();
  EXPECT_THAT(
      manager().FreezeAccount(Agent(), request),
      StatusIs(absl::StatusCode::kNotFound, "incident_id: no incident inc-2"));
  EXPECT_EQ(fixture_.AuditEntries().size(), entries);
  v1::GetFreezeStateRequest get;
  get.set_account_id("acct-1");
  ASSERT_OK_AND_ASSIGN(v1::AccountFreezeState state,
                       manager().GetFreezeState(get));
  EXPECT_EQ(state.active_freezes_size(), 0);

  v1::FreezeAccountRequest protective = request;
  protective.set_idempotency_key("sentinel:protective:inc-2");
  Principal via_intake = Agent();
  via_intake.via = "service/intake";
  ASSERT_OK_AND_ASSIGN(v1::FreezeRecord by_service,
                       manager().FreezeAccount(via_intake, protective));
  EXPECT_EQ(by_service.incident_id(), "inc-2");
  request.set_incident_id(incident);
  ASSERT_OK_AND_ASSIGN(v1::FreezeRecord by_agent,
                       manager().FreezeAccount(Agent(), request));
  EXPECT_EQ(by_agent.incident_id(), "inc-1");
}

// A freeze records who, when and why, and blocks exactly its scopes.
TEST_F(FreezeManagerTest, FreezeRecordsAndBlocksItsScopes) {
  v1::FreezeAccountRequest request = FreezeRequest("acct-1");
  request.set_incident_id(ReportIncident());
  ASSERT_OK_AND_ASSIGN(v1::FreezeRecord record,
                       manager().FreezeAccount(Agent(), request));
  EXPECT_EQ(record.freeze_id(), "frz-1");
  EXPECT_EQ(record.account_id(), "acct-1");
  EXPECT_THAT(record.scopes(), ElementsAre(v1::FREEZE_SCOPE_WITHDRAW,
                                           v1::FREEZE_SCOPE_TRANSFER_OUT));
  EXPECT_EQ(record.created_by(), "agent/alice");
  EXPECT_EQ(FromProtoTime(record.created_at()), fixture_.clock().Now());
  EXPECT_EQ(record.state(), v1::FREEZE_STATE_ACTIVE);
  EXPECT_EQ(record.incident_id(), "inc-1");

  const v1::AccountCheck withdraw =
      CheckOne(manager(), "acct-1", v1::FREEZE_SCOPE_WITHDRAW);
  EXPECT_FALSE(withdraw.allowed());
  EXPECT_EQ(withdraw.denial(), v1::DENIAL_REASON_FROZEN);
  EXPECT_EQ(withdraw.reason(), "frozen for WITHDRAW by frz-1 (incident inc-1)");
  EXPECT_THAT(withdraw.freeze_ids(), ElementsAre("frz-1"));

  const v1::AccountCheck trade =
      CheckOne(manager(), "acct-1", v1::FREEZE_SCOPE_TRADE);
  EXPECT_TRUE(trade.allowed());
  EXPECT_EQ(trade.reason(), "");
  EXPECT_TRUE(
      CheckOne(manager(), "acct-2", v1::FREEZE_SCOPE_WITHDRAW).allowed());
}

// Several active freezes on one account: the effective scopes are the union.
TEST_F(FreezeManagerTest, EffectiveScopesAreTheUnionOfActiveFreezes) {
  ASSERT_OK(
      manager()
          .FreezeAccount(Agent(),
                         FreezeRequest("acct-1", {v1::FREEZE_SCOPE_WITHDRAW}))
          .status());
  ASSERT_OK(
      manager()
          .FreezeAccount(Security(),
                         FreezeRequest("acct-1", {v1::FREEZE_SCOPE_LOGIN,
                                                  v1::FREEZE_SCOPE_WITHDRAW}))
          .status());
  v1::GetFreezeStateRequest request;
  request.set_account_id("acct-1");
  ASSERT_OK_AND_ASSIGN(v1::AccountFreezeState state,
                       manager().GetFreezeState(request));
  EXPECT_EQ(state.active_freezes_size(), 2);
  EXPECT_THAT(state.effective_scopes(),
              ElementsAre(v1::FREEZE_SCOPE_WITHDRAW, v1::FREEZE_SCOPE_LOGIN));
  EXPECT_FALSE(state.has_withdrawals_held_until());

  const v1::AccountCheck check =
      CheckOne(manager(), "acct-1", v1::FREEZE_SCOPE_WITHDRAW);
  EXPECT_EQ(check.reason(), "frozen for WITHDRAW by frz-1, frz-2");
}

// A retry with the same key and request returns the original and writes
// nothing; a different request under the same key is refused.
TEST_F(FreezeManagerTest, IdempotencyKeyReplaysOrRefuses) {
  v1::FreezeAccountRequest request = FreezeRequest("acct-1");
  request.set_idempotency_key("intake:inc-7");
  ASSERT_OK_AND_ASSIGN(v1::FreezeRecord first,
                       manager().FreezeAccount(Agent(), request));
  const uint64_t audit_size = fixture_.audit_log().size();

  ASSERT_OK_AND_ASSIGN(v1::FreezeRecord retry,
                       manager().FreezeAccount(Agent(), request));
  EXPECT_EQ(retry.SerializeAsString(), first.SerializeAsString());
  EXPECT_EQ(fixture_.audit_log().size(), audit_size);
  EXPECT_EQ(manager().feed().head(), 1u);

  v1::FreezeAccountRequest different = request;
  different.set_reason("another reason");
  EXPECT_THAT(
      manager().FreezeAccount(Agent(), different),
      StatusIs(absl::StatusCode::kAlreadyExists,
               HasSubstr("idempotency_key: already used by freeze frz-1")));
  EXPECT_EQ(fixture_.audit_log().size(), audit_size);

  // The key survives a restart.
  fixture_.Reopen();
  ASSERT_OK_AND_ASSIGN(v1::FreezeRecord after_restart,
                       manager().FreezeAccount(Agent(), request));
  EXPECT_EQ(after_restart.freeze_id(), "frz-1");
}

// Keys belong to the person who sent them: mallory's key never replays or
// blocks alice's freeze with the same key, and the reserved prefix is
// refused to anyone a Sentinel service does not carry.
TEST_F(FreezeManagerTest, IdempotencyKeysArePerPersonAndReservedForServices) {
  v1::FreezeAccountRequest mine = FreezeRequest("acct-1");
  mine.set_idempotency_key("case-7");
  ASSERT_OK_AND_ASSIGN(v1::FreezeRecord alice,
                       manager().FreezeAccount(Agent("alice"), mine));
  v1::FreezeAccountRequest theirs = FreezeRequest("acct-2");
  theirs.set_idempotency_key("case-7");
  ASSERT_OK_AND_ASSIGN(v1::FreezeRecord mallory,
                       manager().FreezeAccount(Agent("mallory"), theirs));
  EXPECT_NE(mallory.freeze_id(), alice.freeze_id());
  EXPECT_EQ(mallory.account_id(), "acct-2");
  // alice under another role and case is still alice: a replay.
  ASSERT_OK_AND_ASSIGN(v1::FreezeRecord replay,
                       manager().FreezeAccount(Security("ALICE"), mine));
  EXPECT_EQ(replay.freeze_id(), alice.freeze_id());

  v1::FreezeAccountRequest reserved = FreezeRequest("acct-3");
  reserved.set_idempotency_key("sentinel:protective:inc-1");
  const uint64_t audit_size = fixture_.audit_log().size();
  EXPECT_THAT(manager().FreezeAccount(Agent("mallory"), reserved),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "idempotency_key: the prefix \"sentinel:\" is reserved "
                       "for Sentinel's own services"));
  EXPECT_EQ(fixture_.audit_log().size(), audit_size);
  Principal carried = Agent("alice");
  carried.via = "service/intake";
  ASSERT_OK_AND_ASSIGN(v1::FreezeRecord protective,
                       manager().FreezeAccount(carried, reserved));
  EXPECT_EQ(protective.created_by(), "agent/alice");
}

// A seed phrase and a key pasted into a reason are redacted before the
// freeze, the unfreeze request or their audit entries are stored; a retry
// with the same key and the same unredacted reason replays the freeze.
TEST_F(FreezeManagerTest, ReasonsAreRedactedBeforeTheyAreStored) {
  const std::string seed =
      "abandon abandon abandon abandon abandon abandon abandon abandon "
      "abandon abandon abandon about";
  const std::string wif = "5HueCGU8rMjxEXxiPuD5BDku4MkFqeZyd4dZ1jvhTVqvbTLvyTJ";
  v1::FreezeAccountRequest request = FreezeRequest("acct-1");
  request.set_reason("the user sent his key " + wif + " and the words " + seed +
                     " in chat");
  request.set_idempotency_key("intake:inc-9");
  ASSERT_OK_AND_ASSIGN(v1::FreezeRecord record,
                       manager().FreezeAccount(Agent(), request));
  const std::string redacted =
      "the user sent his key [REDACTED:wif_private_key] and the words "
      "[REDACTED:bip39_mnemonic] in chat";
  EXPECT_EQ(record.reason(), redacted);
  ASSERT_OK_AND_ASSIGN(v1::FreezeRecord retry,
                       manager().FreezeAccount(Agent(), request));
  EXPECT_EQ(retry.SerializeAsString(), record.SerializeAsString());

  v1::RequestUnfreezeRequest unfreeze = UnfreezeRequestFor(record);
  unfreeze.set_reason(
      "user proved ownership with key "
      "0C28FCA386C7A227600B2FE50B7CAE11EC86D3BF1FBE471BE89827E19D72AA1D");
  ASSERT_OK_AND_ASSIGN(v1::UnfreezeRequest pending,
                       manager().RequestUnfreeze(Agent("alice"), unfreeze));
  EXPECT_EQ(pending.reason(),
            "user proved ownership with key [REDACTED:hex_private_key]");

  fixture_.Reopen();
  v1::GetFreezeStateRequest get;
  get.set_account_id("acct-1");
  ASSERT_OK_AND_ASSIGN(v1::AccountFreezeState state,
                       manager().GetFreezeState(get));
  ASSERT_EQ(state.active_freezes_size(), 1);
  EXPECT_EQ(state.active_freezes(0).reason(), redacted);
  for (const v1::AuditEntry& entry : fixture_.AuditEntries()) {
    const std::string all = entry.before() + entry.after() + entry.parameters();
    EXPECT_THAT(all, ::testing::Not(HasSubstr("abandon"))) << all;
    EXPECT_THAT(all, ::testing::Not(HasSubstr(wif))) << all;
    EXPECT_THAT(all, ::testing::Not(HasSubstr("0C28FCA386C7A227"))) << all;
  }
  EXPECT_EQ(fixture_.AuditEntries().size(), 2u);
}

// Two different people: one requests, a security principal approves; the
// freeze lifts and withdrawals stay held for the cooling-off period.
TEST_F(FreezeManagerTest, TwoPersonUnfreezeWithCoolingOff) {
  ASSERT_OK_AND_ASSIGN(
      v1::FreezeRecord record,
      manager().FreezeAccount(Agent(), FreezeRequest("acct-1")));
  ASSERT_OK_AND_ASSIGN(
      v1::UnfreezeRequest pending,
      manager().RequestUnfreeze(Agent("alice"), UnfreezeRequestFor(record)));
  EXPECT_EQ(pending.request_id(), "unf-2");
  EXPECT_EQ(pending.state(), v1::UNFREEZE_REQUEST_STATE_PENDING);
  EXPECT_EQ(pending.requested_by(), "agent/alice");
  // Still frozen while the request waits.
  EXPECT_FALSE(
      CheckOne(manager(), "acct-1", v1::FREEZE_SCOPE_WITHDRAW).allowed());

  fixture_.clock().Advance(absl::Minutes(5));
  const absl::Time approved_at = fixture_.clock().Now();
  ASSERT_OK_AND_ASSIGN(
      v1::FreezeRecord lifted,
      manager().ApproveUnfreeze(Security("bob"), Approve("unf-2")));
  EXPECT_EQ(lifted.state(), v1::FREEZE_STATE_LIFTED);
  EXPECT_EQ(lifted.lifted_by(), "security/bob");
  EXPECT_EQ(lifted.lift_requested_by(), "agent/alice");
  EXPECT_EQ(lifted.unfreeze_request_id(), "unf-2");
  EXPECT_EQ(FromProtoTime(lifted.lifted_at()), approved_at);
  EXPECT_EQ(FromProtoTime(lifted.withdrawals_held_until()),
            approved_at + absl::Hours(24));

  // Transfers are free again; withdrawals are held by the cooling-off.
  EXPECT_TRUE(
      CheckOne(manager(), "acct-1", v1::FREEZE_SCOPE_TRANSFER_OUT).allowed());
  v1::AccountCheck withdraw =
      CheckOne(manager(), "acct-1", v1::FREEZE_SCOPE_WITHDRAW);
  EXPECT_FALSE(withdraw.allowed());
  EXPECT_EQ(withdraw.denial(), v1::DENIAL_REASON_COOLING_OFF);
  EXPECT_EQ(FromProtoTime(withdraw.held_until()),
            approved_at + absl::Hours(24));
  EXPECT_THAT(withdraw.reason(), HasSubstr("withdrawals held until"));

  v1::GetFreezeStateRequest state_request;
  state_request.set_account_id("acct-1");
  ASSERT_OK_AND_ASSIGN(v1::AccountFreezeState state,
                       manager().GetFreezeState(state_request));
  EXPECT_EQ(state.active_freezes_size(), 0);
  EXPECT_EQ(FromProtoTime(state.withdrawals_held_until()),
            approved_at + absl::Hours(24));

  // The hold survives a restart, then ends on time.
  fixture_.Reopen();
  EXPECT_FALSE(
      CheckOne(manager(), "acct-1", v1::FREEZE_SCOPE_WITHDRAW).allowed());
  fixture_.clock().Advance(absl::Hours(24) - absl::Seconds(1));
  EXPECT_FALSE(
      CheckOne(manager(), "acct-1", v1::FREEZE_SCOPE_WITHDRAW).allowed());
  fixture_.clock().Advance(absl::Seconds(1));
  EXPECT_TRUE(
      CheckOne(manager(), "acct-1", v1::FREEZE_SCOPE_WITHDRAW).allowed());
}

// The cooling-off period is configurable, and absent for freezes that never
// covered WITHDRAW.
TEST(FreezeManagerOptionsTest, CoolingOffIsConfigurableAndOnlyForWithdraw) {
  FreezeFixture fixture(FreezeOptions{.cooling_off = absl::Minutes(30)});
  FreezeManager& manager = fixture.manager();
  ASSERT_OK_AND_ASSIGN(v1::FreezeRecord withdraw,
                       manager.FreezeAccount(Agent(), FreezeRequest("acct-1")));
  ASSERT_OK_AND_ASSIGN(
      v1::FreezeRecord login,
      manager.FreezeAccount(Agent(),
                            FreezeRequest("acct-2", {v1::FREEZE_SCOPE_LOGIN})));
  ASSERT_OK(
      manager.RequestUnfreeze(Agent(), UnfreezeRequestFor(withdraw)).status());
  ASSERT_OK(
      manager.RequestUnfreeze(Agent(), UnfreezeRequestFor(login)).status());
  ASSERT_OK_AND_ASSIGN(v1::FreezeRecord lifted_withdraw,
                       manager.ApproveUnfreeze(Security(), Approve("unf-3")));
  ASSERT_OK_AND_ASSIGN(v1::FreezeRecord lifted_login,
                       manager.ApproveUnfreeze(Security(), Approve("unf-4")));
  EXPECT_EQ(FromProtoTime(lifted_withdraw.withdrawals_held_until()),
            fixture.clock().Now() + absl::Minutes(30));
  EXPECT_FALSE(lifted_login.has_withdrawals_held_until());
  EXPECT_TRUE(CheckOne(manager, "acct-2", v1::FREEZE_SCOPE_WITHDRAW).allowed());
  fixture.clock().Advance(absl::Minutes(30));
  EXPECT_TRUE(CheckOne(manager, "acct-1", v1::FREEZE_SCOPE_WITHDRAW).allowed());
}

// Approving your own request is refused, whatever role you hold; so is
// approval by a role other than security.
TEST_F(FreezeManagerTest, ApprovalNeedsADifferentSecurityPrincipal) {
  ASSERT_OK_AND_ASSIGN(
      v1::FreezeRecord record,
      manager().FreezeAccount(Agent(), FreezeRequest("acct-1")));
  ASSERT_OK(manager()
                .RequestUnfreeze(Security("carol"), UnfreezeRequestFor(record))
                .status());
  const uint64_t audit_size = fixture_.audit_log().size();
  EXPECT_THAT(manager().ApproveUnfreeze(Security("carol"), Approve("unf-2")),
              StatusIs(absl::StatusCode::kPermissionDenied,
                       HasSubstr("a different person must approve it")));
  // A name is one person however it is cased.
  EXPECT_THAT(manager().ApproveUnfreeze(Security("Carol"), Approve("unf-2")),
              StatusIs(absl::StatusCode::kPermissionDenied,
                       HasSubstr("a different person must approve it")));
  EXPECT_THAT(manager().ApproveUnfreeze(Agent("dave"), Approve("unf-2")),
              StatusIs(absl::StatusCode::kPermissionDenied,
                       HasSubstr("role security")));
  EXPECT_EQ(fixture_.audit_log().size(), audit_size);
  EXPECT_FALSE(
      CheckOne(manager(), "acct-1", v1::FREEZE_SCOPE_WITHDRAW).allowed());

  ASSERT_OK(
      manager().ApproveUnfreeze(Security("bob"), Approve("unf-2")).status());
  EXPECT_THAT(manager().ApproveUnfreeze(Security("erin"), Approve("unf-2")),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("already approved by security/bob")));
}

// The approvals inbox: pending requests oldest first, filtered by account
// and by requester (a person, whatever the case); paged.
TEST_F(FreezeManagerTest, PendingUnfreezeRequestsAreListedOldestFirst) {
  std::vector<std::string> ids;
  for (const char* account : {"acct-1", "acct-2", "acct-3"}) {
    ASSERT_OK_AND_ASSIGN(
        v1::FreezeRecord record,
        manager().FreezeAccount(Agent(), FreezeRequest(account)));
    const Principal requester =
        std::string(account) == "acct-2" ? Security("carol") : Agent("alice");
    ASSERT_OK_AND_ASSIGN(
        v1::UnfreezeRequest pending,
        manager().RequestUnfreeze(requester, UnfreezeRequestFor(record)));
    EXPECT_EQ(FromProtoTime(pending.expires_at()) -
                  FromProtoTime(pending.requested_at()),
              absl::Hours(72));
    ids.push_back(pending.request_id());
  }
  const auto list = [&](v1::ListUnfreezeRequestsRequest request) {
    absl::StatusOr<v1::ListUnfreezeRequestsResponse> response =
        manager().ListUnfreezeRequests(request);
    EXPECT_TRUE(response.ok()) << response.status();
    std::vector<std::string> found;
    if (!response.ok()) return found;
    for (const v1::UnfreezeRequest& r : response->requests()) {
      EXPECT_EQ(r.state(), v1::UNFREEZE_REQUEST_STATE_PENDING);
      found.push_back(r.request_id());
    }
    if (!response->next_page_token().empty()) {
      found.push_back("next:" + response->next_page_token());
    }
    return found;
  };
  EXPECT_THAT(list({}), ElementsAre(ids[0], ids[1], ids[2]));
  v1::ListUnfreezeRequestsRequest by_requester;
  by_requester.set_requested_by("agent/ALICE");
  EXPECT_THAT(list(by_requester), ElementsAre(ids[0], ids[2]));
  v1::ListUnfreezeRequestsRequest by_account;
  by_account.set_account_id("acct-2");
  EXPECT_THAT(list(by_account), ElementsAre(ids[1]));
  v1::ListUnfreezeRequestsRequest paged;
  paged.set_page_size(2);
  const std::vector<std::string> first = list(paged);
  ASSERT_EQ(first.size(), 3u);
  EXPECT_EQ(first[0], ids[0]);
  EXPECT_EQ(first[1], ids[1]);
  paged.set_page_token(first[2].substr(5));
  EXPECT_THAT(list(paged), ElementsAre(ids[2]));

  v1::ListUnfreezeRequestsRequest bad;
  bad.set_requested_by("carol");
  EXPECT_THAT(manager().ListUnfreezeRequests(bad),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("requested_by: ")));
}

// A request that is rejected, cancelled or expires frees its freeze for a
// new one; the freeze stays through each; each decision is an event and an
// audit entry; only the requester cancels, only security rejects.
TEST_F(FreezeManagerTest, UnfreezeRequestsAreRejectedCancelledOrExpire) {
  ASSERT_OK_AND_ASSIGN(
      v1::FreezeRecord record,
      manager().FreezeAccount(Agent(), FreezeRequest("acct-1")));
  ASSERT_OK_AND_ASSIGN(
      v1::UnfreezeRequest first,
      manager().RequestUnfreeze(Agent("alice"), UnfreezeRequestFor(record)));
  v1::RejectUnfreezeRequestRequest reject;
  reject.set_request_id(first.request_id());
  reject.set_reason("the caller failed the video check");
  EXPECT_THAT(manager().RejectUnfreeze(Agent("dave"), reject),
              StatusIs(absl::StatusCode::kPermissionDenied,
                       HasSubstr("role security")));
  const uint64_t audit_before = fixture_.audit_log().size();
  ASSERT_OK_AND_ASSIGN(v1::UnfreezeRequest rejected,
                       manager().RejectUnfreeze(Security("bob"), reject));
  EXPECT_EQ(rejected.state(), v1::UNFREEZE_REQUEST_STATE_REJECTED);
  EXPECT_EQ(rejected.decided_by(), "security/bob");
  EXPECT_EQ(rejected.decision_reason(), "the caller failed the video check");
  EXPECT_EQ(fixture_.audit_log().size(), audit_before + 1);
  EXPECT_FALSE(
      CheckOne(manager(), "acct-1", v1::FREEZE_SCOPE_WITHDRAW).allowed());
  EXPECT_THAT(
      manager().ApproveUnfreeze(Security("erin"), Approve(first.request_id())),
      StatusIs(absl::StatusCode::kFailedPrecondition,
               HasSubstr("is no longer pending "
                         "(UNFREEZE_REQUEST_STATE_REJECTED)")));

  ASSERT_OK_AND_ASSIGN(
      v1::UnfreezeRequest second,
      manager().RequestUnfreeze(Agent("alice"), UnfreezeRequestFor(record)));
  v1::CancelUnfreezeRequestRequest cancel;
  cancel.set_request_id(second.request_id());
  EXPECT_THAT(manager().CancelUnfreeze(Security("bob"), cancel),
              StatusIs(absl::StatusCode::kPermissionDenied,
                       HasSubstr("only they may cancel it")));
  ASSERT_OK_AND_ASSIGN(v1::UnfreezeRequest cancelled,
                       manager().CancelUnfreeze(Security("Alice"), cancel));
  EXPECT_EQ(cancelled.state(), v1::UNFREEZE_REQUEST_STATE_CANCELLED);
  EXPECT_THAT(manager().CancelUnfreeze(Agent("alice"), cancel),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("is no longer pending "
                                 "(UNFREEZE_REQUEST_STATE_CANCELLED)")));

  ASSERT_OK_AND_ASSIGN(
      v1::UnfreezeRequest third,
      manager().RequestUnfreeze(Agent("alice"), UnfreezeRequestFor(record)));
  fixture_.clock().Advance(absl::Hours(72));
  EXPECT_THAT(
      manager().ApproveUnfreeze(Security("bob"), Approve(third.request_id())),
      StatusIs(absl::StatusCode::kFailedPrecondition,
               HasSubstr("undecided; request the unfreeze again")));
  v1::ListUnfreezeRequestsRequest expired;
  expired.set_state(v1::UNFREEZE_REQUEST_STATE_EXPIRED);
  ASSERT_OK_AND_ASSIGN(v1::ListUnfreezeRequestsResponse listed,
                       manager().ListUnfreezeRequests(expired));
  ASSERT_EQ(listed.requests_size(), 1);
  EXPECT_EQ(listed.requests(0).request_id(), third.request_id());
  ASSERT_OK_AND_ASSIGN(v1::ListUnfreezeRequestsResponse pending,
                       manager().ListUnfreezeRequests({}));
  EXPECT_EQ(pending.requests_size(), 0);

  // The freeze takes a new request; the expiry is recorded first.
  ASSERT_OK_AND_ASSIGN(
      v1::UnfreezeRequest fourth,
      manager().RequestUnfreeze(Agent("alice"), UnfreezeRequestFor(record)));
  ASSERT_OK_AND_ASSIGN(std::vector<v1::FreezeEvent> events,
                       fixture_.store().ReadEvents(0, 100));
  std::vector<v1::FreezeEventKind> kinds;
  for (const v1::FreezeEvent& event : events) kinds.push_back(event.kind());
  EXPECT_THAT(kinds, ElementsAre(v1::FREEZE_EVENT_KIND_FROZEN,
                                 v1::FREEZE_EVENT_KIND_UNFREEZE_REQUESTED,
                                 v1::FREEZE_EVENT_KIND_UNFREEZE_REJECTED,
                                 v1::FREEZE_EVENT_KIND_UNFREEZE_REQUESTED,
                                 v1::FREEZE_EVENT_KIND_UNFREEZE_CANCELLED,
                                 v1::FREEZE_EVENT_KIND_UNFREEZE_REQUESTED,
                                 v1::FREEZE_EVENT_KIND_UNFREEZE_EXPIRED,
                                 v1::FREEZE_EVENT_KIND_UNFREEZE_REQUESTED));
  ASSERT_OK(manager()
                .ApproveUnfreeze(Security("bob"), Approve(fourth.request_id()))
                .status());
}

// The expiry sweep records each request past its expiry as its own change,
// once, as the service, at most `max` per call; a request not yet due and
// the freeze itself stay as they are.
TEST_F(FreezeManagerTest, TheSweepRecordsExpiriesWhenTheyHappen) {
  std::vector<v1::FreezeRecord> freezes;
  for (const char* account : {"acct-1", "acct-2", "acct-3"}) {
    ASSERT_OK_AND_ASSIGN(
        v1::FreezeRecord record,
        manager().FreezeAccount(Agent(), FreezeRequest(account)));
    freezes.push_back(record);
  }
  for (int i = 0; i < 2; ++i) {
    ASSERT_OK(
        manager()
            .RequestUnfreeze(Agent("alice"), UnfreezeRequestFor(freezes[i]))
            .status());
  }
  fixture_.clock().Advance(absl::Hours(71));
  ASSERT_OK_AND_ASSIGN(v1::UnfreezeRequest later,
                       manager().RequestUnfreeze(
                           Agent("alice"), UnfreezeRequestFor(freezes[2])));
  const Principal sweeper{v1::ROLE_SERVICE, "freeze"};
  ASSERT_OK_AND_ASSIGN(size_t swept, manager().ExpireDueRequests(sweeper, 10));
  EXPECT_EQ(swept, 0u);

  fixture_.clock().Advance(absl::Hours(1));
  const uint64_t audit_before = fixture_.audit_log().size();
  ASSERT_OK_AND_ASSIGN(swept, manager().ExpireDueRequests(sweeper, 1));
  EXPECT_EQ(swept, 1u);
  ASSERT_OK_AND_ASSIGN(swept, manager().ExpireDueRequests(sweeper, 10));
  EXPECT_EQ(swept, 1u);
  ASSERT_OK_AND_ASSIGN(swept, manager().ExpireDueRequests(sweeper, 10));
  EXPECT_EQ(swept, 0u);
  EXPECT_EQ(fixture_.audit_log().size(), audit_before + 2);
  const v1::AuditEntry last = fixture_.AuditEntries().back();
  EXPECT_EQ(last.action(), "FreezeService.ExpireUnfreezeRequest");
  EXPECT_EQ(last.principal(), "service/freeze");

  ASSERT_OK_AND_ASSIGN(std::vector<v1::FreezeEvent> events,
                       fixture_.store().ReadEvents(0, 100));
  ASSERT_EQ(events.size(), 3u + 3u + 2u);
  EXPECT_EQ(events[6].kind(), v1::FREEZE_EVENT_KIND_UNFREEZE_EXPIRED);
  EXPECT_EQ(events[6].account_id(), "acct-1");
  EXPECT_EQ(events[7].kind(), v1::FREEZE_EVENT_KIND_UNFREEZE_EXPIRED);
  EXPECT_EQ(events[7].account_id(), "acct-2");
  // Each freeze stays, and takes a new request; the later one still waits.
  EXPECT_FALSE(
      CheckOne(manager(), "acct-1", v1::FREEZE_SCOPE_WITHDRAW).allowed());
  ASSERT_OK(manager()
                .RequestUnfreeze(Agent("alice"), UnfreezeRequestFor(freezes[0]))
                .status());
  ASSERT_OK(manager()
                .ApproveUnfreeze(Security("bob"), Approve(later.request_id()))
                .status());
}

// Approval lifts only the freeze it was requested for.
TEST_F(FreezeManagerTest, ApprovalLiftsOnlyThatFreeze) {
  ASSERT_OK_AND_ASSIGN(
      v1::FreezeRecord first,
      manager().FreezeAccount(
          Agent(), FreezeRequest("acct-1", {v1::FREEZE_SCOPE_TRADE})));
  ASSERT_OK(manager()
                .FreezeAccount(
                    Agent(), FreezeRequest("acct-1", {v1::FREEZE_SCOPE_LOGIN}))
                .status());
  ASSERT_OK(
      manager().RequestUnfreeze(Agent(), UnfreezeRequestFor(first)).status());
  ASSERT_OK(manager().ApproveUnfreeze(Security(), Approve("unf-3")).status());
  EXPECT_TRUE(CheckOne(manager(), "acct-1", v1::FREEZE_SCOPE_TRADE).allowed());
  EXPECT_FALSE(CheckOne(manager(), "acct-1", v1::FREEZE_SCOPE_LOGIN).allowed());
}

// Unfreeze requests for missing, lifted or already-requested freezes.
TEST_F(FreezeManagerTest, RequestUnfreezeRefusals) {
  ASSERT_OK_AND_ASSIGN(
      v1::FreezeRecord record,
      manager().FreezeAccount(Agent(), FreezeRequest("acct-1")));
  v1::RequestUnfreezeRequest wrong_account = UnfreezeRequestFor(record);
  wrong_account.set_account_id("acct-2");
  EXPECT_THAT(manager().RequestUnfreeze(Agent(), wrong_account),
              StatusIs(absl::StatusCode::kNotFound,
                       "freeze_id: no freeze frz-1 on account acct-2"));

  ASSERT_OK(
      manager().RequestUnfreeze(Agent(), UnfreezeRequestFor(record)).status());
  EXPECT_THAT(
      manager().RequestUnfreeze(Agent("zoe"), UnfreezeRequestFor(record)),
      StatusIs(absl::StatusCode::kAlreadyExists,
               HasSubstr("already has unfreeze request unf-2")));
  ASSERT_OK(manager().ApproveUnfreeze(Security(), Approve("unf-2")).status());
  EXPECT_THAT(manager().RequestUnfreeze(Agent(), UnfreezeRequestFor(record)),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       "freeze_id: frz-1 is already lifted"));
  EXPECT_THAT(manager().ApproveUnfreeze(Security(), Approve("unf-99")),
              StatusIs(absl::StatusCode::kNotFound,
                       "request_id: no unfreeze request unf-99"));
}

// Bad input names the field and the reason, and writes nothing.
TEST_F(FreezeManagerTest, BadInputIsRefusedAndWritesNothing) {
  struct Case {
    std::string name;
    v1::FreezeAccountRequest request;
    std::string message;
  };
  std::vector<Case> cases;
  cases.push_back({"empty account", FreezeRequest(""), "account_id: required"});
  cases.push_back({"long account", FreezeRequest(std::string(129, 'a')),
                   "account_id: 129 bytes, longer than the limit of 128"});
  cases.push_back(
      {"bad account chars", FreezeRequest("acct 1"),
       "account_id: may contain only letters, digits and . _ : @ -"});
  cases.push_back({"no scopes", FreezeRequest("acct-1", {}),
                   "scopes: at least one scope is required"});
  cases.push_back({"unspecified scope",
                   FreezeRequest("acct-1", {v1::FREEZE_SCOPE_UNSPECIFIED}),
                   "scopes: FREEZE_SCOPE_UNSPECIFIED is not a scope"});
  {
    v1::FreezeAccountRequest unknown = FreezeRequest("acct-1", {});
    unknown.mutable_scopes()->Add(42);
    cases.push_back({"unknown scope", unknown, "scopes: unknown scope 42"});
  }
  cases.push_back({"duplicate scope",
                   FreezeRequest("acct-1", {v1::FREEZE_SCOPE_LOGIN,
                                            v1::FREEZE_SCOPE_LOGIN}),
                   "scopes: FREEZE_SCOPE_LOGIN is listed twice"});
  cases.push_back({"missing reason",
                   FreezeRequest("acct-1", {v1::FREEZE_SCOPE_LOGIN}, ""),
                   "reason: required"});
  cases.push_back({"long reason",
                   FreezeRequest("acct-1", {v1::FREEZE_SCOPE_LOGIN},
                                 std::string(1025, 'r')),
                   "reason: 1025 bytes, longer than the limit of 1024"});
  cases.push_back(
      {"control character",
       FreezeRequest("acct-1", {v1::FREEZE_SCOPE_LOGIN}, std::string("bell\a")),
       "reason: contains a control character"});
  {
    v1::FreezeAccountRequest bad_incident = FreezeRequest("acct-1");
    bad_incident.set_incident_id("inc/7");
    cases.push_back(
        {"bad incident", bad_incident,
         "incident_id: may contain only letters, digits and . _ : @ -"});
  }
  {
    v1::FreezeAccountRequest long_key = FreezeRequest("acct-1");
    long_key.set_idempotency_key(std::string(129, 'k'));
    cases.push_back(
        {"long key", long_key,
         "idempotency_key: 129 bytes, longer than the limit of 128"});
  }
  for (const Case& c : cases) {
    EXPECT_THAT(manager().FreezeAccount(Agent(), c.request),
                StatusIs(absl::StatusCode::kInvalidArgument, c.message))
        << c.name;
  }
  EXPECT_EQ(fixture_.audit_log().size(), 0u);
  EXPECT_EQ(manager().feed().head(), 0u);

  // Exactly at the limits is accepted.
  ASSERT_OK(manager()
                .FreezeAccount(Agent(), FreezeRequest(std::string(128, 'a'),
                                                      {v1::FREEZE_SCOPE_LOGIN},
                                                      std::string(1024, 'r')))
                .status());

  EXPECT_THAT(
      manager().ApproveUnfreeze(Security(), Approve("")),
      StatusIs(absl::StatusCode::kInvalidArgument, "request_id: required"));
  EXPECT_THAT(manager().ApproveUnfreeze(Security(), Approve("frz-1")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "request_id: malformed (expected unf-<number>)"));
  v1::RequestUnfreezeRequest no_reason;
  no_reason.set_account_id("acct-1");
  no_reason.set_freeze_id("frz-1");
  EXPECT_THAT(manager().RequestUnfreeze(Agent(), no_reason),
              StatusIs(absl::StatusCode::kInvalidArgument, "reason: required"));
}

// CheckAccounts takes 1..10,000 ids and one valid action.
TEST_F(FreezeManagerTest, CheckAccountsLimits) {
  ASSERT_OK(
      manager().FreezeAccount(Agent(), FreezeRequest("acct-5000")).status());
  v1::CheckAccountsRequest request;
  request.set_action(v1::FREEZE_SCOPE_WITHDRAW);
  for (int i = 0; i < 10000; ++i)
    request.add_account_ids(absl::StrCat("acct-", i));
  ASSERT_OK_AND_ASSIGN(v1::CheckAccountsResponse response,
                       manager().CheckAccounts(request));
  ASSERT_EQ(response.results_size(), 10000);
  EXPECT_EQ(response.results(4999).account_id(), "acct-4999");
  EXPECT_TRUE(response.results(4999).allowed());
  EXPECT_FALSE(response.results(5000).allowed());

  request.add_account_ids("acct-10000");
  EXPECT_THAT(manager().CheckAccounts(request),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "account_ids: 10001 ids, more than the limit of 10000"));
  EXPECT_THAT(manager().CheckAccounts(
                  CheckRequest("acct-1", v1::FREEZE_SCOPE_UNSPECIFIED)),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "action: FREEZE_SCOPE_UNSPECIFIED is not a scope"));
  v1::CheckAccountsRequest empty;
  empty.set_action(v1::FREEZE_SCOPE_WITHDRAW);
  EXPECT_THAT(manager().CheckAccounts(empty),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "account_ids: at least one account id is required"));
  EXPECT_THAT(
      manager().CheckAccounts(CheckRequest("", v1::FREEZE_SCOPE_WITHDRAW)),
      StatusIs(absl::StatusCode::kInvalidArgument, "account_ids[0]: required"));
}

// ListFrozenAccounts pages through restricted accounts in id order.
TEST_F(FreezeManagerTest, ListFrozenAccountsPages) {
  for (const char* account : {"acct-c", "acct-a", "acct-b"}) {
    ASSERT_OK(
        manager().FreezeAccount(Agent(), FreezeRequest(account)).status());
  }
  v1::ListFrozenAccountsRequest request;
  request.set_page_size(2);
  ASSERT_OK_AND_ASSIGN(v1::ListFrozenAccountsResponse first,
                       manager().ListFrozenAccounts(request));
  ASSERT_EQ(first.accounts_size(), 2);
  EXPECT_EQ(first.accounts(0).account_id(), "acct-a");
  EXPECT_EQ(first.accounts(1).account_id(), "acct-b");
  ASSERT_FALSE(first.next_page_token().empty());

  request.set_page_token(first.next_page_token());
  ASSERT_OK_AND_ASSIGN(v1::ListFrozenAccountsResponse second,
                       manager().ListFrozenAccounts(request));
  ASSERT_EQ(second.accounts_size(), 1);
  EXPECT_EQ(second.accounts(0).account_id(), "acct-c");
  EXPECT_EQ(second.next_page_token(), "");

  request.set_page_size(1001);
  EXPECT_THAT(manager().ListFrozenAccounts(request),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "page_size: 1001 is outside 0..1000"));
  request.set_page_size(0);
  request.set_page_token("!!not-a-token");
  EXPECT_THAT(manager().ListFrozenAccounts(request),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("page_token: malformed")));
}

// State is rebuilt from RocksDB at start, and versions continue.
TEST_F(FreezeManagerTest, StateSurvivesRestart) {
  ASSERT_OK_AND_ASSIGN(
      v1::FreezeRecord record,
      manager().FreezeAccount(Agent(), FreezeRequest("acct-1")));
  ASSERT_OK(
      manager().RequestUnfreeze(Agent(), UnfreezeRequestFor(record)).status());
  fixture_.Reopen();
  EXPECT_FALSE(
      CheckOne(manager(), "acct-1", v1::FREEZE_SCOPE_WITHDRAW).allowed());
  EXPECT_EQ(manager().feed().head(), 2u);
  ASSERT_OK(manager().ApproveUnfreeze(Security(), Approve("unf-2")).status());
  ASSERT_OK_AND_ASSIGN(
      v1::FreezeRecord next,
      manager().FreezeAccount(Agent(), FreezeRequest("acct-2")));
  EXPECT_EQ(next.freeze_id(), "frz-4");
}

// Every change leaves one audit entry with before and after, and the chain
// verifies.
TEST_F(FreezeManagerTest, EveryChangeIsAudited) {
  ASSERT_OK_AND_ASSIGN(
      v1::FreezeRecord record,
      manager().FreezeAccount(Agent(), FreezeRequest("acct-1")));
  ASSERT_OK(
      manager().RequestUnfreeze(Agent(), UnfreezeRequestFor(record)).status());
  ASSERT_OK(manager().ApproveUnfreeze(Security(), Approve("unf-2")).status());

  const std::vector<v1::AuditEntry> entries = fixture_.AuditEntries();
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0].action(), "FreezeService.FreezeAccount");
  EXPECT_EQ(entries[0].principal(), "agent/alice");
  EXPECT_EQ(entries[0].subject().account_id(), "acct-1");
  EXPECT_EQ(entries[0].before(), "");
  EXPECT_THAT(entries[0].after(), HasSubstr("\"freeze_id\":\"frz-1\""));
  EXPECT_EQ(entries[1].action(), "FreezeService.RequestUnfreeze");
  EXPECT_EQ(entries[2].action(), "FreezeService.ApproveUnfreeze");
  EXPECT_EQ(entries[2].principal(), "security/bob");
  EXPECT_THAT(entries[2].before(), HasSubstr("FREEZE_STATE_ACTIVE"));
  EXPECT_THAT(entries[2].after(), HasSubstr("FREEZE_STATE_LIFTED"));
  ASSERT_OK_AND_ASSIGN(uint64_t verified, fixture_.VerifyAudit());
  EXPECT_EQ(verified, 3u);
}

}  // namespace
}  // namespace sentinel::freeze
