// TraceManager: traces are audited with the caller and parameters, ingest
// uses the injected clock, and account kinds are checked and stamped.
#include "trace/trace_manager.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "audit/audit_reader.h"
#include "common/time_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"
#include "tests/trace/ledger_builders.h"
#include "tests/trace/ledger_fixture.h"

namespace sentinel::trace::testing {
namespace {

using ::sentinel::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::Eq;
using ::testing::HasSubstr;

class TraceManagerTest : public LedgerTest {
 protected:
  v1::AuditEntry LastAuditEntry() {
    audit::AuditReader reader(*database_);
    auto entries = reader.ReadEntries(log_->size() - 1, 1, log_->size());
    EXPECT_OK(entries.status());
    return entries.ok() && !entries->empty() ? entries->front()
                                             : v1::AuditEntry();
  }

  static v1::TraceFundsRequest Request() {
    v1::TraceFundsRequest request;
    request.set_account_id("V");
    *request.mutable_since() = ToProtoTime(At(5));
    request.set_model(v1::TAINT_MODEL_FIFO);
    request.set_incident_id("inc-42");
    return request;
  }
};

TEST_F(TraceManagerTest, EveryTraceIsAnAuditEntry) {
  Ingest({Deposit("dv", 0, "V", "BTC", 10),
          Transfer("t1", 10, "V", "A", "BTC", 4)});
  const uint64_t before = log_->size();
  ASSERT_OK_AND_ASSIGN(v1::TraceResult result,
                       manager_->TraceFunds(analyst_, Request()));
  EXPECT_EQ(result.edges_size(), 1);
  // until defaulted to the clock
  EXPECT_EQ(FromProtoTime(result.as_of()), clock_.Now());
  ASSERT_EQ(log_->size(), before + 1);
  const v1::AuditEntry entry = LastAuditEntry();
  EXPECT_EQ(entry.action(), "TraceService.TraceFunds");
  EXPECT_EQ(entry.principal(), "security/sam");
  EXPECT_EQ(entry.subject().account_id(), "V");
  EXPECT_EQ(entry.subject().incident_id(), "inc-42");
  EXPECT_EQ(entry.outcome().code(), 0);
  EXPECT_THAT(entry.parameters(), HasSubstr("\"model\":\"TAINT_MODEL_FIFO\""));
  EXPECT_THAT(entry.parameters(), HasSubstr("\"incident_id\":\"inc-42\""));
}

TEST_F(TraceManagerTest, AMalformedTraceIsRefusedBeforeAnythingIsRead) {
  v1::TraceFundsRequest request = Request();
  request.set_max_hops(40);
  const uint64_t before = log_->size();
  EXPECT_THAT(manager_->TraceFunds(analyst_, request),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       Eq("max_hops: 40 is outside 0..32")));
  EXPECT_EQ(log_->size(), before);
}

TEST_F(TraceManagerTest, IngestChecksTimesAgainstTheClock) {
  v1::LedgerEvent early = Deposit("d1", 0, "V", "BTC", 1);
  *early.mutable_time() = ToProtoTime(clock_.Now() + absl::Minutes(11));
  std::vector<IngestOutcome> outcomes = Ingest({early});
  ASSERT_EQ(outcomes.size(), 1u);
  EXPECT_EQ(outcomes[0].disposition, IngestOutcome::Disposition::kRejected);
  clock_.Advance(absl::Minutes(1));
  outcomes = Ingest({early});
  ASSERT_EQ(outcomes.size(), 1u);
  EXPECT_EQ(outcomes[0].disposition, IngestOutcome::Disposition::kAccepted);
}

TEST_F(TraceManagerTest, SetAccountKindsStampsAndAudits) {
  v1::SetAccountKindsRequest request;
  v1::AccountKindEntry& entry = *request.add_accounts();
  entry.set_account_id("omni-btc");
  entry.set_kind(v1::ACCOUNT_KIND_OMNIBUS);
  entry.set_note("BTC hot-wallet omnibus");
  entry.set_set_by("someone/else");  // ignored
  const uint64_t before = log_->size();
  ASSERT_OK_AND_ASSIGN(v1::SetAccountKindsResponse response,
                       manager_->SetAccountKinds(analyst_, request));
  ASSERT_EQ(response.accounts_size(), 1);
  EXPECT_EQ(response.accounts(0).set_by(), "security/sam");
  EXPECT_EQ(FromProtoTime(response.accounts(0).set_at()), clock_.Now());
  EXPECT_EQ(response.accounts(0).note(), "BTC hot-wallet omnibus");
  EXPECT_TRUE(response.accounts(0).pending());
  ASSERT_EQ(log_->size(), before + 1);
  EXPECT_EQ(LastAuditEntry().action(), "TraceService.SetAccountKinds");
  EXPECT_EQ(LastAuditEntry().subject().account_id(), "omni-btc");
}

// Marking an account as infrastructure exempts it from trace freezes, so it
// takes two people: SetAccountKinds only proposes the mark, which takes
// effect once a different security principal approves it. Marking back as
// USER is immediate and withdraws a pending proposal. Every entry names
// each account it changes.
TEST_F(TraceManagerTest, InfrastructureMarksNeedASecondPerson) {
  v1::SetAccountKindsRequest propose;
  for (const char* account : {"omni-btc", "fee-eth"}) {
    v1::AccountKindEntry& entry = *propose.add_accounts();
    entry.set_account_id(account);
    entry.set_kind(v1::ACCOUNT_KIND_OMNIBUS);
  }
  ASSERT_OK(manager_->SetAccountKinds(analyst_, propose).status());
  EXPECT_EQ(LastAuditEntry().subject().account_id(), "omni-btc");
  EXPECT_THAT(LastAuditEntry().subject().other_account_ids(),
              ElementsAre("fee-eth"));
  // Proposed only: traces still go through the account.
  ASSERT_OK_AND_ASSIGN(auto kind, store_->OpenView()->AccountKind("omni-btc"));
  EXPECT_EQ(kind, v1::ACCOUNT_KIND_USER);
  v1::ListInfrastructureAccountsRequest list;
  ASSERT_OK_AND_ASSIGN(auto in_effect,
                       manager_->ListInfrastructureAccounts(list));
  EXPECT_EQ(in_effect.accounts_size(), 0);
  list.set_pending(true);
  ASSERT_OK_AND_ASSIGN(auto pending,
                       manager_->ListInfrastructureAccounts(list));
  ASSERT_EQ(pending.accounts_size(), 2);
  EXPECT_EQ(pending.accounts(0).account_id(), "fee-eth");
  EXPECT_TRUE(pending.accounts(0).pending());

  // The proposer cannot approve, under any role or spelling of the name;
  // nothing changes.
  v1::ApproveAccountKindsRequest approve;
  approve.add_account_ids("omni-btc");
  approve.add_account_ids("fee-eth");
  const uint64_t before = log_->size();
  for (const Principal& same :
       {analyst_, Principal{v1::ROLE_SECURITY, "SAM"}}) {
    EXPECT_THAT(manager_->ApproveAccountKinds(same, approve),
                StatusIs(absl::StatusCode::kPermissionDenied,
                         "account_ids: the mark of omni-btc was proposed by "
                         "security/sam; a different person must approve it"));
  }
  EXPECT_THAT(
      manager_->ApproveAccountKinds({v1::ROLE_ADMIN, "root"}, approve),
      StatusIs(absl::StatusCode::kPermissionDenied,
               "only a principal with role security may approve a mark as "
               "infrastructure"));
  EXPECT_EQ(log_->size(), before);
  ASSERT_OK_AND_ASSIGN(kind, store_->OpenView()->AccountKind("omni-btc"));
  EXPECT_EQ(kind, v1::ACCOUNT_KIND_USER);

  // Withdrawn by marking it USER: nothing left to approve; all or nothing.
  v1::SetAccountKindsRequest withdraw;
  v1::AccountKindEntry& user = *withdraw.add_accounts();
  user.set_account_id("fee-eth");
  user.set_kind(v1::ACCOUNT_KIND_USER);
  ASSERT_OK(manager_->SetAccountKinds(analyst_, withdraw).status());
  const Principal kim{v1::ROLE_SECURITY, "kim"};
  EXPECT_THAT(manager_->ApproveAccountKinds(kim, approve),
              StatusIs(absl::StatusCode::kNotFound,
                       "account_ids: fee-eth has no mark waiting for "
                       "approval"));
  ASSERT_OK_AND_ASSIGN(kind, store_->OpenView()->AccountKind("omni-btc"));
  EXPECT_EQ(kind, v1::ACCOUNT_KIND_USER);

  approve.clear_account_ids();
  approve.add_account_ids("omni-btc");
  clock_.Advance(absl::Minutes(5));
  ASSERT_OK_AND_ASSIGN(v1::ApproveAccountKindsResponse approved,
                       manager_->ApproveAccountKinds(kim, approve));
  ASSERT_EQ(approved.accounts_size(), 1);
  EXPECT_FALSE(approved.accounts(0).pending());
  EXPECT_EQ(approved.accounts(0).set_by(), "security/sam");
  EXPECT_EQ(approved.accounts(0).approved_by(), "security/kim");
  EXPECT_EQ(FromProtoTime(approved.accounts(0).approved_at()), clock_.Now());
  EXPECT_EQ(LastAuditEntry().action(), "TraceService.ApproveAccountKinds");
  EXPECT_EQ(LastAuditEntry().principal(), "security/kim");
  EXPECT_EQ(LastAuditEntry().subject().account_id(), "omni-btc");
  ASSERT_OK_AND_ASSIGN(kind, store_->OpenView()->AccountKind("omni-btc"));
  EXPECT_EQ(kind, v1::ACCOUNT_KIND_OMNIBUS);
  ASSERT_OK_AND_ASSIGN(pending, manager_->ListInfrastructureAccounts(list));
  EXPECT_EQ(pending.accounts_size(), 0);
  // Approved once: a second approval finds nothing waiting.
  EXPECT_THAT(manager_->ApproveAccountKinds(kim, approve),
              StatusIs(absl::StatusCode::kNotFound,
                       "account_ids: omni-btc has no mark waiting for "
                       "approval"));
}

TEST_F(TraceManagerTest, ApproveAccountKindsChecksItsRequest) {
  const Principal kim{v1::ROLE_SECURITY, "kim"};
  v1::ApproveAccountKindsRequest request;
  EXPECT_THAT(
      manager_->ApproveAccountKinds(kim, request),
      StatusIs(absl::StatusCode::kInvalidArgument, "account_ids: required"));
  for (int i = 0; i < 101; ++i) request.add_account_ids(absl::StrCat("a", i));
  EXPECT_THAT(manager_->ApproveAccountKinds(kim, request),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "account_ids: 101 entries, more than the limit of 100"));
  request.Clear();
  request.add_account_ids("a b");
  EXPECT_THAT(manager_->ApproveAccountKinds(kim, request),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "account_ids: may contain only letters, digits and . _ "
                       ": @ -"));
  request.set_account_ids(0, "a");
  request.add_account_ids("a");
  EXPECT_THAT(manager_->ApproveAccountKinds(kim, request),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "account_ids: an account is listed twice"));
}

// A note is free text: a seed phrase pasted into it is redacted before it is
// stored or audited.
TEST_F(TraceManagerTest, SetAccountKindsRedactsNotes) {
  v1::SetAccountKindsRequest request;
  v1::AccountKindEntry& entry = *request.add_accounts();
  entry.set_account_id("omni-btc");
  entry.set_kind(v1::ACCOUNT_KIND_OMNIBUS);
  entry.set_note(
      "hot wallet; its seed is legal winner thank year wave sausage worth "
      "useful legal winner thank yellow");
  ASSERT_OK_AND_ASSIGN(v1::SetAccountKindsResponse response,
                       manager_->SetAccountKinds(analyst_, request));
  ASSERT_EQ(response.accounts_size(), 1);
  EXPECT_EQ(response.accounts(0).note(),
            "hot wallet; its seed is [REDACTED:bip39_mnemonic]");
  EXPECT_EQ(LastAuditEntry().after().find("sausage"), std::string::npos)
      << LastAuditEntry().after();
}

TEST_F(TraceManagerTest, SetAccountKindsChecksItsRequest) {
  const auto expect_invalid = [&](const v1::SetAccountKindsRequest& request,
                                  const std::string& message) {
    EXPECT_THAT(manager_->SetAccountKinds(analyst_, request),
                StatusIs(absl::StatusCode::kInvalidArgument, Eq(message)));
  };
  v1::SetAccountKindsRequest request;
  expect_invalid(request, "accounts: required");
  for (int i = 0; i < 100; ++i) {
    v1::AccountKindEntry& entry = *request.add_accounts();
    entry.set_account_id(absl::StrCat("a", i));
    entry.set_kind(v1::ACCOUNT_KIND_FEE);
  }
  EXPECT_OK(manager_->SetAccountKinds(analyst_, request).status());
  request.add_accounts()->set_account_id("one-more");
  expect_invalid(request, "accounts: 101 entries, more than the limit of 100");

  request.Clear();
  v1::AccountKindEntry& entry = *request.add_accounts();
  entry.set_account_id("a b");
  entry.set_kind(v1::ACCOUNT_KIND_FEE);
  expect_invalid(
      request,
      "accounts.account_id: may contain only letters, digits and . _ : @ -");
  entry.set_account_id("a");
  entry.set_kind(v1::ACCOUNT_KIND_UNSPECIFIED);
  expect_invalid(request, "accounts.kind: required");
  entry.set_kind(static_cast<v1::AccountKind>(9));
  expect_invalid(request, "accounts.kind: unknown value 9");
  entry.set_kind(v1::ACCOUNT_KIND_USER);
  entry.set_note(std::string(1024, 'n'));
  EXPECT_OK(manager_->SetAccountKinds(analyst_, request).status());
  entry.set_note(std::string(1025, 'n'));
  expect_invalid(request,
                 "accounts.note: 1025 bytes, longer than the limit of 1024");
  entry.set_note("");
  *request.add_accounts() = entry;
  expect_invalid(request, "accounts.account_id: an account is listed twice");
}

}  // namespace
}  // namespace sentinel::trace::testing
