// TraceService through a real gRPC server on loopback port 0, over the real
// trace, freeze and audit domains.

#include "services/trace/trace_grpc_service.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/trace/ledger_ingest.h"
#include "tests/services/server_fixture.h"
#include "tests/trace/ledger_builders.h"
#include "trace/candidate_freezes.h"

namespace sentinel::services {
namespace {

using ::sentinel::testing::ServerFixture;
using ::sentinel::trace::testing::At;
using ::sentinel::trace::testing::Deposit;
using ::sentinel::trace::testing::Transfer;
using ::sentinel::trace::testing::Withdrawal;
using ::testing::ElementsAre;
using ::testing::Pair;

constexpr char kFeed[] = "internal/ledger-feed";
constexpr char kAnalyst[] = "security/sam";
// The second person of the two-person rule for infrastructure marks.
constexpr char kApprover[] = "security/kim";

google::protobuf::Timestamp Seconds(int64_t second) {
  google::protobuf::Timestamp time;
  time.set_seconds(absl::ToUnixSeconds(At(second)));
  return time;
}

class TraceGrpcServiceTest : public ::testing::Test {
 protected:
  // Sends `events` on one IngestLedger stream as `principal`.
  grpc::Status Ingest(const std::vector<v1::LedgerEvent>& events,
                      v1::IngestSummary* summary,
                      const std::string& principal = kFeed) {
    auto context = ServerFixture::As(principal);
    std::unique_ptr<grpc::ClientWriter<v1::LedgerEvent>> writer =
        server_.trace_stub().IngestLedger(context.get(), summary);
    for (const v1::LedgerEvent& event : events) {
      if (!writer->Write(event)) break;
    }
    writer->WritesDone();
    return writer->Finish();
  }

  // H is robbed at 5: it sends 6 of its 10 BTC to A, which passes 4 on to B
  // and withdraws 2; B sends 1 to the omnibus account O.
  void IngestTheft() {
    v1::IngestSummary summary;
    ASSERT_TRUE(Ingest({Deposit("d1", 0, "H", "BTC", 10),
                        Transfer("t1", 10, "H", "A", "BTC", 6),
                        Transfer("t2", 20, "A", "B", "BTC", 4),
                        Withdrawal("w1", 30, "A", "bc1qthief", "BTC", 2),
                        Transfer("t3", 40, "B", "O", "BTC", 1)},
                       &summary)
                    .ok());
    ASSERT_EQ(summary.accepted(), 5);
    MarkInfrastructure({{"O", v1::ACCOUNT_KIND_OMNIBUS}});
    // The case the freezes are linked to: inc-1.
    v1::ReportIncidentRequest report;
    report.set_account_id("H");
    report.set_category(v1::INCIDENT_CATEGORY_WITHDRAWAL_NOT_RECEIVED);
    report.set_channel(v1::CHANNEL_LIVE_CHAT);
    report.set_description("funds left my account");
    v1::Incident incident;
    ASSERT_TRUE(server_.intake_stub()
                    .ReportIncident(ServerFixture::As("agent/alice").get(),
                                    report, &incident)
                    .ok());
    ASSERT_EQ(incident.incident_id(), "inc-1");
  }

  // Proposes the marks as kAnalyst and approves them as kApprover.
  void MarkInfrastructure(
      const std::vector<std::pair<std::string, v1::AccountKind>>& marks) {
    v1::SetAccountKindsRequest request;
    v1::ApproveAccountKindsRequest approve;
    for (const auto& [account, kind] : marks) {
      v1::AccountKindEntry& entry = *request.add_accounts();
      entry.set_account_id(account);
      entry.set_kind(kind);
      approve.add_account_ids(account);
    }
    v1::SetAccountKindsResponse proposed;
    ASSERT_TRUE(server_.trace_stub()
                    .SetAccountKinds(ServerFixture::As(kAnalyst).get(), request,
                                     &proposed)
                    .ok());
    EXPECT_EQ(proposed.accounts(0).set_by(), kAnalyst);
    v1::ApproveAccountKindsResponse approved;
    ASSERT_TRUE(server_.trace_stub()
                    .ApproveAccountKinds(ServerFixture::As(kApprover).get(),
                                         approve, &approved)
                    .ok());
  }

  static v1::TraceFundsRequest TheftTrace() {
    v1::TraceFundsRequest request;
    request.set_account_id("H");
    *request.mutable_since() = Seconds(5);
    *request.mutable_until() = Seconds(100);
    request.set_model(v1::TAINT_MODEL_FIFO);
    return request;
  }

  static v1::FreezeTraceCandidatesRequest FreezeTheft() {
    v1::FreezeTraceCandidatesRequest request;
    *request.mutable_trace() = TheftTrace();
    request.set_incident_id("inc-1");
    request.set_reason("holds value stolen from H");
    request.set_idempotency_key("sam-freeze-1");
    return request;
  }

  grpc::Status FreezeCandidates(const v1::FreezeTraceCandidatesRequest& request,
                                v1::FreezeTraceCandidatesResponse* response) {
    return server_.trace_stub().FreezeTraceCandidates(
        ServerFixture::As(kAnalyst).get(), request, response);
  }

  // "account state freeze_id" per result.
  static std::vector<std::string> Outcomes(
      const v1::FreezeTraceCandidatesResponse& response) {
    std::vector<std::string> rows;
    for (const v1::CandidateFreeze& result : response.results()) {
      rows.push_back(
          absl::StrCat(result.account_id(), " ",
                       v1::CandidateFreezeOutcome_Name(result.outcome()), " ",
                       result.freeze().freeze_id(), result.error()));
    }
    return rows;
  }

  ServerFixture server_;
};

// A stream longer than several batches is stored whole, with a rejected
// event reported at its stream position and a repeated id counted as a
// duplicate; sending it again stores nothing new.
TEST_F(TraceGrpcServiceTest, IngestStoresEveryBatchAndSummarizes) {
  std::vector<v1::LedgerEvent> events;
  events.push_back(Deposit("d", 0, "src", "USDT", 1000000));
  const size_t count = 2 * kIngestBatchEvents + 500;
  for (size_t i = 1; i < count; ++i) {
    events.push_back(Transfer(absl::StrCat("t", i), static_cast<int64_t>(i),
                              "src", absl::StrCat("dst", i % 7), "USDT", 1));
  }
  events[1234].set_amount(0);
  events[1500] = events[1499];

  v1::IngestSummary summary;
  grpc::Status status = Ingest(events, &summary);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(summary.accepted(), static_cast<int64_t>(count) - 2);
  EXPECT_EQ(summary.duplicates(), 1);
  EXPECT_EQ(summary.rejected(), 1);
  ASSERT_EQ(summary.rejections_size(), 1);
  EXPECT_EQ(summary.rejections(0).position(), 1234);
  EXPECT_EQ(summary.rejections(0).event_id(), "t1234");
  EXPECT_EQ(summary.rejections(0).reason(), "amount: must be > 0");

  v1::IngestSummary again;
  status = Ingest(events, &again);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(again.accepted(), 0);
  EXPECT_EQ(again.duplicates(), static_cast<int64_t>(count) - 1);
  EXPECT_EQ(again.rejected(), 1);
}

// An empty stream is an empty summary, and writes nothing.
TEST_F(TraceGrpcServiceTest, EmptyIngestStream) {
  const uint64_t entries_before = server_.domain().audit_log().size();
  v1::IngestSummary summary;
  ASSERT_TRUE(Ingest({}, &summary).ok());
  EXPECT_EQ(summary.accepted() + summary.duplicates() + summary.rejected(), 0);
  EXPECT_EQ(server_.domain().audit_log().size(), entries_before);
}

// The trace over the wire: A holds 6 - 4 - 2 = 0, B 3, O absorbed 1, 2 went
// to bc1qthief; the trace is audited with the caller and the account.
TEST_F(TraceGrpcServiceTest, TraceFundsFollowsTheTheft) {
  IngestTheft();
  v1::TraceResult result;
  const grpc::Status status = server_.trace_stub().TraceFunds(
      ServerFixture::As(kAnalyst).get(), TheftTrace(), &result);
  ASSERT_TRUE(status.ok()) << status.error_message();
  std::vector<std::pair<std::string, int64_t>> holdings;
  for (const v1::Holding& holding : result.holdings()) {
    holdings.emplace_back(holding.account_id(), holding.tainted_amount());
  }
  EXPECT_THAT(holdings, ElementsAre(Pair("H", 4), Pair("B", 3), Pair("O", 1)));
  ASSERT_EQ(result.external_size(), 1);
  EXPECT_EQ(result.external(0).address(), "bc1qthief");
  EXPECT_EQ(result.external(0).tainted_amount(), 2);
  EXPECT_EQ(result.edges_size(), 4);

  const std::vector<v1::AuditEntry> entries = server_.domain().AuditEntries();
  ASSERT_FALSE(entries.empty());
  EXPECT_EQ(entries.back().action(), "TraceService.TraceFunds");
  EXPECT_EQ(entries.back().principal(), kAnalyst);
  EXPECT_EQ(entries.back().subject().account_id(), "H");
}

// A malformed trace is refused naming the field.
TEST_F(TraceGrpcServiceTest, TraceFundsNamesTheBadField) {
  v1::TraceFundsRequest request = TheftTrace();
  request.clear_model();
  v1::TraceResult result;
  const grpc::Status status = server_.trace_stub().TraceFunds(
      ServerFixture::As(kAnalyst).get(), request, &result);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), "model: required");
}

// The candidates (B only: H is the victim, A holds nothing, O is
// infrastructure) are frozen, linked to the incident; a retry with the same
// key returns the same freeze and freezes nothing more.
TEST_F(TraceGrpcServiceTest, FreezeTraceCandidatesFreezesAndRetriesSafely) {
  IngestTheft();
  v1::FreezeTraceCandidatesResponse response;
  grpc::Status status = FreezeCandidates(FreezeTheft(), &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_THAT(Outcomes(response),
              ElementsAre("B CANDIDATE_FREEZE_OUTCOME_FROZEN frz-1"));
  EXPECT_EQ(response.frozen(), 1);
  EXPECT_EQ(response.failed(), 0);
  EXPECT_EQ(response.results(0).freeze().incident_id(), "inc-1");
  EXPECT_EQ(response.results(0).freeze().created_by(), kAnalyst);
  ASSERT_EQ(response.results(0).holdings_size(), 1);
  EXPECT_EQ(response.results(0).holdings(0).tainted_amount(), 3);

  v1::FreezeTraceCandidatesResponse retry;
  status = FreezeCandidates(FreezeTheft(), &retry);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_THAT(Outcomes(retry),
              ElementsAre("B CANDIDATE_FREEZE_OUTCOME_FROZEN frz-1"));

  v1::ListFrozenAccountsRequest list;
  v1::ListFrozenAccountsResponse frozen;
  ASSERT_TRUE(
      server_.stub()
          .ListFrozenAccounts(ServerFixture::As(kAnalyst).get(), list, &frozen)
          .ok());
  ASSERT_EQ(frozen.accounts_size(), 1);
  EXPECT_EQ(frozen.accounts(0).account_id(), "B");
}

// A key pasted into the reason is redacted on every freeze.
TEST_F(TraceGrpcServiceTest, FreezeTraceCandidatesRedactsTheReason) {
  IngestTheft();
  v1::FreezeTraceCandidatesRequest request = FreezeTheft();
  request.set_reason(
      "holds value stolen with key "
      "5HueCGU8rMjxEXxiPuD5BDku4MkFqeZyd4dZ1jvhTVqvbTLvyTJ");
  v1::FreezeTraceCandidatesResponse response;
  const grpc::Status status = FreezeCandidates(request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(response.results_size(), 1);
  EXPECT_EQ(response.results(0).freeze().reason(),
            "holds value stolen with key [REDACTED:wif_private_key]");
}

// Listed accounts that are not candidates are reported, not frozen.
TEST_F(TraceGrpcServiceTest, FreezeTraceCandidatesReportsNonCandidates) {
  IngestTheft();
  v1::FreezeTraceCandidatesRequest request = FreezeTheft();
  request.add_account_ids("O");
  request.add_account_ids("B");
  v1::FreezeTraceCandidatesResponse response;
  ASSERT_TRUE(FreezeCandidates(request, &response).ok());
  EXPECT_THAT(Outcomes(response),
              ElementsAre("B CANDIDATE_FREEZE_OUTCOME_FROZEN frz-1",
                          "O CANDIDATE_FREEZE_OUTCOME_NOT_A_CANDIDATE "));
}

// Bad requests are refused naming the field, before anything is traced.
TEST_F(TraceGrpcServiceTest, FreezeTraceCandidatesChecksItsRequest) {
  const uint64_t entries_before = server_.domain().audit_log().size();
  const auto refusal = [&](v1::FreezeTraceCandidatesRequest request) {
    v1::FreezeTraceCandidatesResponse response;
    const grpc::Status status = FreezeCandidates(request, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    return status.error_message();
  };
  v1::FreezeTraceCandidatesRequest request = FreezeTheft();
  request.clear_incident_id();
  EXPECT_EQ(refusal(request), "incident_id: required");
  request = FreezeTheft();
  request.clear_trace();
  EXPECT_EQ(refusal(request), "trace: required");
  request = FreezeTheft();
  request.add_scopes(v1::FREEZE_SCOPE_WITHDRAW);
  request.add_scopes(v1::FREEZE_SCOPE_WITHDRAW);
  EXPECT_EQ(refusal(request), "scopes: FREEZE_SCOPE_WITHDRAW is listed twice");
  request = FreezeTheft();
  request.add_account_ids("B");
  request.add_account_ids("B");
  EXPECT_EQ(refusal(request), "account_ids[1]: listed twice");
  request = FreezeTheft();
  request.mutable_trace()->clear_model();
  EXPECT_EQ(refusal(request), "trace.model: required");
  // Only refusals by the domain: nothing was audited, nothing frozen.
  EXPECT_EQ(server_.domain().audit_log().size(), entries_before);
}

// A trace reaching more than 1000 candidates freezes none of them.
TEST_F(TraceGrpcServiceTest, FreezeTraceCandidatesRefusesTooManyAtOnce) {
  std::vector<v1::LedgerEvent> events = {Deposit("d1", 0, "H", "BTC", 100000)};
  for (size_t i = 0; i <= trace::kMaxCandidateFreezes; ++i) {
    events.push_back(Transfer(absl::StrCat("t", i), 10, "H",
                              absl::StrCat("mule-", i), "BTC", 1));
  }
  v1::IngestSummary summary;
  ASSERT_TRUE(Ingest(events, &summary).ok());
  ASSERT_EQ(summary.accepted(), static_cast<int64_t>(events.size()));

  v1::FreezeTraceCandidatesResponse response;
  const grpc::Status status = FreezeCandidates(FreezeTheft(), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(status.error_message(),
            "1001 accounts would be frozen, more than the limit of 1000 per "
            "call; nothing was frozen. List the accounts to freeze in "
            "account_ids, in parts");
  v1::ListFrozenAccountsResponse frozen;
  ASSERT_TRUE(
      server_.stub()
          .ListFrozenAccounts(ServerFixture::As(kAnalyst).get(), {}, &frozen)
          .ok());
  EXPECT_EQ(frozen.accounts_size(), 0);
}

// Infrastructure marks are listed in account order, a page at a time; USER
// removes a mark.
TEST_F(TraceGrpcServiceTest, InfrastructureAccountsArePaged) {
  MarkInfrastructure({{"mm-1", v1::ACCOUNT_KIND_MARKET_MAKER},
                      {"fee-1", v1::ACCOUNT_KIND_FEE},
                      {"omni-1", v1::ACCOUNT_KIND_OMNIBUS},
                      {"omni-2", v1::ACCOUNT_KIND_OMNIBUS}});

  v1::SetAccountKindsRequest unmark;
  v1::AccountKindEntry& user = *unmark.add_accounts();
  user.set_account_id("omni-2");
  user.set_kind(v1::ACCOUNT_KIND_USER);
  v1::SetAccountKindsResponse stored;
  ASSERT_TRUE(
      server_.trace_stub()
          .SetAccountKinds(ServerFixture::As(kAnalyst).get(), unmark, &stored)
          .ok());

  std::vector<std::string> pages;
  v1::ListInfrastructureAccountsRequest list;
  list.set_page_size(2);
  for (int page = 0; page < 5; ++page) {
    v1::ListInfrastructureAccountsResponse response;
    ASSERT_TRUE(server_.trace_stub()
                    .ListInfrastructureAccounts(
                        ServerFixture::As("auditor/ann").get(), list, &response)
                    .ok());
    std::string ids;
    for (const v1::AccountKindEntry& entry : response.accounts()) {
      absl::StrAppend(&ids, ids.empty() ? "" : ",", entry.account_id());
    }
    pages.push_back(ids);
    if (response.next_page_token().empty()) break;
    list.set_page_token(response.next_page_token());
  }
  EXPECT_THAT(pages, ElementsAre("fee-1,mm-1", "omni-1"));

  list.Clear();
  list.set_kind(v1::ACCOUNT_KIND_USER);
  v1::ListInfrastructureAccountsResponse response;
  const grpc::Status status = server_.trace_stub().ListInfrastructureAccounts(
      ServerFixture::As("auditor/ann").get(), list, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(),
            "kind: USER is not an infrastructure kind (leave it unset for all "
            "of them)");
  list.Clear();
  list.set_page_size(1001);
  EXPECT_EQ(server_.trace_stub()
                .ListInfrastructureAccounts(
                    ServerFixture::As("auditor/ann").get(), list, &response)
                .error_message(),
            "page_size: 1001 is outside 0..1000");
}

// One security principal cannot exempt an account from trace freezes: the
// mark stays a proposal (the account is still a freeze candidate) until a
// different person approves it; the proposer's own approval is refused and
// that refusal is audited; a search of the audit log by the account finds
// the proposal, the refusal and the approval.
TEST_F(TraceGrpcServiceTest, MarkingInfrastructureNeedsASecondPerson) {
  v1::IngestSummary summary;
  ASSERT_TRUE(Ingest({Deposit("d1", 0, "H", "BTC", 10),
                      Transfer("t1", 10, "H", "X", "BTC", 6)},
                     &summary)
                  .ok());
  v1::SetAccountKindsRequest propose;
  v1::AccountKindEntry& entry = *propose.add_accounts();
  entry.set_account_id("X");
  entry.set_kind(v1::ACCOUNT_KIND_OMNIBUS);
  v1::SetAccountKindsResponse proposed;
  ASSERT_TRUE(server_.trace_stub()
                  .SetAccountKinds(ServerFixture::As(kAnalyst).get(), propose,
                                   &proposed)
                  .ok());
  EXPECT_TRUE(proposed.accounts(0).pending());

  const auto x_is_absorbed = [&] {
    v1::TraceFundsRequest request = TheftTrace();
    v1::TraceResult result;
    EXPECT_TRUE(
        server_.trace_stub()
            .TraceFunds(ServerFixture::As(kAnalyst).get(), request, &result)
            .ok());
    for (const v1::Holding& holding : result.holdings()) {
      if (holding.account_id() == "X") return holding.infrastructure();
    }
    ADD_FAILURE() << "X not reached";
    return false;
  };
  EXPECT_FALSE(x_is_absorbed());

  v1::ApproveAccountKindsRequest approve;
  approve.add_account_ids("X");
  v1::ApproveAccountKindsResponse approved;
  const grpc::Status refused = server_.trace_stub().ApproveAccountKinds(
      ServerFixture::As("security/Sam").get(), approve, &approved);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(refused.error_message(),
            "account_ids: the mark of X was proposed by security/sam; a "
            "different person must approve it");
  EXPECT_FALSE(x_is_absorbed());

  ASSERT_TRUE(server_.trace_stub()
                  .ApproveAccountKinds(ServerFixture::As(kApprover).get(),
                                       approve, &approved)
                  .ok());
  EXPECT_EQ(approved.accounts(0).approved_by(), kApprover);
  EXPECT_TRUE(x_is_absorbed());

  const auto audited = [&](const v1::QueryAuditRequest& query) {
    v1::QueryAuditResponse found;
    EXPECT_TRUE(
        server_.audit_stub()
            .QueryAudit(ServerFixture::As("auditor/ann").get(), query, &found)
            .ok());
    return found;
  };
  v1::QueryAuditRequest by_account;
  by_account.set_subject("X");
  v1::QueryAuditResponse found = audited(by_account);
  ASSERT_EQ(found.entries_size(), 2);
  EXPECT_EQ(found.entries(0).action(), "TraceService.SetAccountKinds");
  EXPECT_EQ(found.entries(0).principal(), kAnalyst);
  EXPECT_EQ(found.entries(1).action(), "TraceService.ApproveAccountKinds");
  EXPECT_EQ(found.entries(1).principal(), kApprover);

  v1::QueryAuditRequest by_action;
  by_action.set_action("TraceService.ApproveAccountKinds");
  found = audited(by_action);
  ASSERT_EQ(found.entries_size(), 2);
  EXPECT_EQ(found.entries(0).principal(), "security/Sam");
  EXPECT_EQ(found.entries(0).outcome().code(),
            static_cast<int>(grpc::StatusCode::PERMISSION_DENIED));
  EXPECT_EQ(found.entries(1).outcome().code(), 0);
}

TEST(CandidateIdempotencyKeyTest, DiffersPerAccountAndKey) {
  const std::string key = trace::CandidateIdempotencyKey("k", "acct-1");
  EXPECT_EQ(key.size(), 36u);
  EXPECT_EQ(key.substr(0, 4), "tfc-");
  EXPECT_EQ(key, trace::CandidateIdempotencyKey("k", "acct-1"));
  EXPECT_NE(key, trace::CandidateIdempotencyKey("k", "acct-2"));
  EXPECT_NE(key, trace::CandidateIdempotencyKey("k2", "acct-1"));
}

}  // namespace
}  // namespace sentinel::services
