// Tests of turning the trace subcommands' options into their requests.
#include "cli/trace_options.h"

#include "absl/flags/flag.h"
#include "absl/flags/reflection.h"
#include "absl/strings/str_cat.h"
#include "cli/flags.h"
#include "cli/trace_names.h"
#include "common/time_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace sentinel::cli {
namespace {

using ::sentinel::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

class TraceOptionsTest : public ::testing::Test {
 private:
  absl::FlagSaver saver_;
};

absl::Time Utc(int year, int month, int day, int hour) {
  return absl::FromCivil(absl::CivilSecond(year, month, day, hour, 0, 0),
                         absl::UTCTimeZone());
}

TEST(ParseTaintModelNameTest, ShortNamesInAnyCase) {
  ASSERT_OK_AND_ASSIGN(v1::TaintModel model, ParseTaintModelName("fifo"));
  EXPECT_EQ(model, v1::TAINT_MODEL_FIFO);
  ASSERT_OK_AND_ASSIGN(model, ParseTaintModelName("HairCut"));
  EXPECT_EQ(model, v1::TAINT_MODEL_HAIRCUT);
  ASSERT_OK_AND_ASSIGN(model, ParseTaintModelName("POISON"));
  EXPECT_EQ(model, v1::TAINT_MODEL_POISON);
}

TEST(ParseTaintModelNameTest, UnknownNamesListTheValidOnes) {
  for (const char* name : {"lifo", "", "unspecified", "TAINT_MODEL_FIFO"}) {
    EXPECT_THAT(ParseTaintModelName(name),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         absl::StrCat("unknown model \"", name,
                                      "\" (expected one of POISON, HAIRCUT, "
                                      "FIFO)")));
  }
}

TEST(ParseAccountKindNameTest, ShortNames) {
  ASSERT_OK_AND_ASSIGN(v1::AccountKind kind,
                       ParseAccountKindName("market_maker"));
  EXPECT_EQ(kind, v1::ACCOUNT_KIND_MARKET_MAKER);
  ASSERT_OK_AND_ASSIGN(kind, ParseAccountKindName("User"));
  EXPECT_EQ(kind, v1::ACCOUNT_KIND_USER);
  EXPECT_THAT(ParseAccountKindName("hot_wallet"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "unknown account kind \"hot_wallet\" (expected one of "
                       "USER, OMNIBUS, FEE, MARKET_MAKER)"));
}

TEST_F(TraceOptionsTest, TraceWithDefaults) {
  absl::SetFlag(&FLAGS_since, "2026-11-20T10:00:00Z");
  ASSERT_OK_AND_ASSIGN(v1::TraceFundsRequest request,
                       TraceFundsRequestFromFlags("acct-1"));
  EXPECT_EQ(request.account_id(), "acct-1");
  EXPECT_EQ(FromProtoTime(request.since()), Utc(2026, 11, 20, 10));
  EXPECT_FALSE(request.has_until());
  EXPECT_EQ(request.model(), v1::TAINT_MODEL_FIFO);
  EXPECT_EQ(request.max_hops(), 0);
  EXPECT_EQ(request.max_events(), 0);
  EXPECT_EQ(request.max_edges(), 0);
  EXPECT_THAT(request.assets(), IsEmpty());
  EXPECT_EQ(request.incident_id(), "");
}

TEST_F(TraceOptionsTest, TraceWithEveryOption) {
  absl::SetFlag(&FLAGS_since, "2026-11-20T10:00:00Z");
  absl::SetFlag(&FLAGS_until, "2026-11-20T12:00:00+01:00");
  absl::SetFlag(&FLAGS_model, "Poison");
  absl::SetFlag(&FLAGS_max_hops, 3);
  absl::SetFlag(&FLAGS_max_events, int64_t{5000});
  absl::SetFlag(&FLAGS_max_edges, 200);
  absl::SetFlag(&FLAGS_assets, " BTC, ETH ");
  absl::SetFlag(&FLAGS_incident, "inc-4");
  ASSERT_OK_AND_ASSIGN(v1::TraceFundsRequest request,
                       TraceFundsRequestFromFlags("acct-1"));
  EXPECT_EQ(FromProtoTime(request.until()), Utc(2026, 11, 20, 11));
  EXPECT_EQ(request.model(), v1::TAINT_MODEL_POISON);
  EXPECT_EQ(request.max_hops(), 3);
  EXPECT_EQ(request.max_events(), 5000);
  EXPECT_EQ(request.max_edges(), 200);
  EXPECT_THAT(request.assets(), ElementsAre("BTC", "ETH"));
  EXPECT_EQ(request.incident_id(), "inc-4");
}

TEST_F(TraceOptionsTest, BadModelNamesTheFlagAndTheModels) {
  absl::SetFlag(&FLAGS_since, "2026-11-20T10:00:00Z");
  absl::SetFlag(&FLAGS_model, "lifo");
  EXPECT_THAT(TraceFundsRequestFromFlags("acct-1"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "--model: unknown model \"lifo\" (expected one of "
                       "POISON, HAIRCUT, FIFO)"));
}

TEST_F(TraceOptionsTest, SinceIsRequiredAndTimesMustBeRfc3339) {
  EXPECT_THAT(TraceFundsRequestFromFlags("acct-1"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("trace needs --since=TIME")));
  absl::SetFlag(&FLAGS_since, "-2h");
  EXPECT_THAT(TraceFundsRequestFromFlags("acct-1"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "--since: \"-2h\" is not an RFC 3339 time such as "
                       "2026-11-26T10:00:00Z"));
  absl::SetFlag(&FLAGS_since, "2026-11-20T10:00:00Z");
  absl::SetFlag(&FLAGS_until, "2026-11-20");
  EXPECT_THAT(TraceFundsRequestFromFlags("acct-1"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("--until: \"2026-11-20\" is not an RFC 3339 "
                                 "time")));
  absl::SetFlag(&FLAGS_until, "2026-11-20T10:00:00Z");
  EXPECT_THAT(TraceFundsRequestFromFlags("acct-1"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "--since=2026-11-20T10:00:00Z is not before "
                       "--until=2026-11-20T10:00:00Z"));
}

TEST_F(TraceOptionsTest, AssetsMayNotBeEmptyOrRepeated) {
  absl::SetFlag(&FLAGS_since, "2026-11-20T10:00:00Z");
  absl::SetFlag(&FLAGS_assets, "BTC,,ETH");
  EXPECT_THAT(TraceFundsRequestFromFlags("acct-1"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "--assets: empty entry in \"BTC,,ETH\""));
  absl::SetFlag(&FLAGS_assets, "BTC,ETH,BTC");
  EXPECT_THAT(TraceFundsRequestFromFlags("acct-1"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "--assets: BTC given twice in \"BTC,ETH,BTC\""));
  // Asset codes are case-sensitive: these are two.
  absl::SetFlag(&FLAGS_assets, "btc,BTC");
  EXPECT_OK(TraceFundsRequestFromFlags("acct-1"));
}

TEST_F(TraceOptionsTest, FreezeCarriesTheTraceAndItsOwnOptions) {
  absl::SetFlag(&FLAGS_since, "2026-11-20T10:00:00Z");
  absl::SetFlag(&FLAGS_model, "haircut");
  absl::SetFlag(&FLAGS_max_edges, 7);  // Not an option of trace freeze.
  absl::SetFlag(&FLAGS_incident, "inc-4");
  absl::SetFlag(&FLAGS_reason, "holds stolen BTC");
  absl::SetFlag(&FLAGS_scopes, "withdraw,trade");
  absl::SetFlag(&FLAGS_accounts, "acct-2, acct-3");
  absl::SetFlag(&FLAGS_idempotency_key, "k-1");
  ASSERT_OK_AND_ASSIGN(v1::FreezeTraceCandidatesRequest request,
                       FreezeTraceCandidatesRequestFromFlags("acct-1"));
  EXPECT_EQ(request.trace().account_id(), "acct-1");
  EXPECT_EQ(request.trace().model(), v1::TAINT_MODEL_HAIRCUT);
  EXPECT_EQ(request.trace().max_edges(), 0);
  EXPECT_EQ(request.trace().incident_id(), "inc-4");
  EXPECT_EQ(request.incident_id(), "inc-4");
  EXPECT_EQ(request.reason(), "holds stolen BTC");
  EXPECT_THAT(request.scopes(),
              ElementsAre(v1::FREEZE_SCOPE_WITHDRAW, v1::FREEZE_SCOPE_TRADE));
  EXPECT_THAT(request.account_ids(), ElementsAre("acct-2", "acct-3"));
  EXPECT_EQ(request.idempotency_key(), "k-1");
}

TEST_F(TraceOptionsTest, FreezeDefaultsToTheServersScopesAndEveryCandidate) {
  absl::SetFlag(&FLAGS_since, "2026-11-20T10:00:00Z");
  absl::SetFlag(&FLAGS_incident, "inc-4");
  ASSERT_OK_AND_ASSIGN(v1::FreezeTraceCandidatesRequest request,
                       FreezeTraceCandidatesRequestFromFlags("acct-1"));
  EXPECT_THAT(request.scopes(), IsEmpty());
  EXPECT_THAT(request.account_ids(), IsEmpty());
}

TEST_F(TraceOptionsTest, FreezeNeedsAnIncidentSinceAndKnownScopes) {
  absl::SetFlag(&FLAGS_since, "2026-11-20T10:00:00Z");
  EXPECT_THAT(FreezeTraceCandidatesRequestFromFlags("acct-1"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("trace freeze needs --incident=ID")));
  absl::SetFlag(&FLAGS_incident, "inc-4");
  absl::SetFlag(&FLAGS_since, "");
  EXPECT_THAT(FreezeTraceCandidatesRequestFromFlags("acct-1"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("trace freeze needs --since=TIME")));
  absl::SetFlag(&FLAGS_since, "2026-11-20T10:00:00Z");
  absl::SetFlag(&FLAGS_scopes, "withdraw,thaw");
  EXPECT_THAT(FreezeTraceCandidatesRequestFromFlags("acct-1"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("--scopes: unknown scope \"thaw\"")));
  absl::SetFlag(&FLAGS_scopes, "");
  absl::SetFlag(&FLAGS_accounts, "acct-2,acct-2");
  EXPECT_THAT(FreezeTraceCandidatesRequestFromFlags("acct-1"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "--accounts: acct-2 given twice in \"acct-2,acct-2\""));
}

TEST_F(TraceOptionsTest, KindsSet) {
  absl::SetFlag(&FLAGS_note, "BTC hot wallet");
  ASSERT_OK_AND_ASSIGN(v1::SetAccountKindsRequest request,
                       SetAccountKindsRequestFromFlags("omni-1", "omnibus"));
  ASSERT_EQ(request.accounts_size(), 1);
  EXPECT_EQ(request.accounts(0).account_id(), "omni-1");
  EXPECT_EQ(request.accounts(0).kind(), v1::ACCOUNT_KIND_OMNIBUS);
  EXPECT_EQ(request.accounts(0).note(), "BTC hot wallet");
  EXPECT_THAT(SetAccountKindsRequestFromFlags("omni-1", "pool"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("KIND: unknown account kind \"pool\"")));
}

TEST_F(TraceOptionsTest, KindsListFiltersByAnInfrastructureKind) {
  ASSERT_OK_AND_ASSIGN(v1::ListInfrastructureAccountsRequest request,
                       ListInfrastructureAccountsRequestFromFlags());
  EXPECT_EQ(request.kind(), v1::ACCOUNT_KIND_UNSPECIFIED);
  EXPECT_EQ(request.page_size(), 1000);
  EXPECT_EQ(request.page_token(), "");

  absl::SetFlag(&FLAGS_kind, "fee");
  ASSERT_OK_AND_ASSIGN(request, ListInfrastructureAccountsRequestFromFlags());
  EXPECT_EQ(request.kind(), v1::ACCOUNT_KIND_FEE);

  absl::SetFlag(&FLAGS_kind, "user");
  EXPECT_THAT(ListInfrastructureAccountsRequestFromFlags(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("--kind=USER: only infrastructure accounts "
                                 "are listed")));
  absl::SetFlag(&FLAGS_kind, "whale");
  EXPECT_THAT(ListInfrastructureAccountsRequestFromFlags(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("--kind: unknown account kind \"whale\"")));
}

}  // namespace
}  // namespace sentinel::cli
