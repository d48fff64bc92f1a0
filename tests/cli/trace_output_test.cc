// Tests of the human-readable forms of TraceService answers and of the DOT
// flow graph.
#include "cli/trace_output.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "cli/flow_graph_dot.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace sentinel::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// 2026-11-26T10:43:48Z
constexpr int64_t kTime = 1795689828;

google::protobuf::Timestamp At(int64_t seconds_after) {
  google::protobuf::Timestamp time;
  time.set_seconds(kTime + seconds_after);
  return time;
}

// An address with the two characters DOT strings must escape.
constexpr char kOddAddress[] = R"(bc1"q\x)";

v1::FlowEdge Transfer(const std::string& event_id, const std::string& from,
                      const std::string& to, const std::string& asset,
                      int64_t amount, int64_t tainted, int32_t hop) {
  v1::FlowEdge edge;
  edge.set_event_id(event_id);
  edge.set_kind(v1::LEDGER_EVENT_KIND_TRANSFER);
  edge.set_from_account(from);
  edge.set_to_account(to);
  edge.set_asset(asset);
  edge.set_amount(amount);
  edge.set_tainted_amount(tainted);
  edge.set_hop(hop);
  return edge;
}

v1::FlowEdge Withdrawal(const std::string& event_id, const std::string& from,
                        const std::string& address, const std::string& asset,
                        int64_t amount, int64_t tainted, int32_t hop) {
  v1::FlowEdge edge = Transfer(event_id, from, "", asset, amount, tainted, hop);
  edge.set_kind(v1::LEDGER_EVENT_KIND_WITHDRAWAL);
  edge.set_external_address(address);
  return edge;
}

v1::Holding Holding(const std::string& account, const std::string& asset,
                    int64_t tainted, int64_t balance, int32_t hop) {
  v1::Holding holding;
  holding.set_account_id(account);
  holding.set_asset(asset);
  holding.set_tainted_amount(tainted);
  holding.set_balance(balance);
  holding.set_hop(hop);
  holding.set_account_kind(v1::ACCOUNT_KIND_USER);
  return holding;
}

v1::AssetTotals Totals(const std::string& asset, int64_t seeded,
                       int64_t converted_in, int64_t converted_out,
                       int64_t held, int64_t infrastructure, int64_t external) {
  v1::AssetTotals totals;
  totals.set_asset(asset);
  totals.set_seeded(seeded);
  totals.set_converted_in(converted_in);
  totals.set_converted_out(converted_out);
  totals.set_held(held);
  totals.set_infrastructure(infrastructure);
  totals.set_external(external);
  return totals;
}

// 100000 BTC taken from acct-1: 70000 moved to acct-2 in two transfers,
// which sold 10000 for USDT (half of it then parked in an omnibus account),
// withdrew 20000 to kOddAddress and passed 10000 to acct-3 at the hop limit
// (2). FIFO, so the totals balance.
v1::TraceResult Stolen() {
  v1::TraceResult result;
  result.set_model(v1::TAINT_MODEL_FIFO);
  *result.mutable_as_of() = At(3600);
  result.set_events_examined(40);
  result.set_accounts_reached(4);

  *result.add_edges() = Transfer("e1", "acct-1", "acct-2", "BTC", 60000, 50000,
                                 /*hop=*/1);
  *result.add_edges() = Transfer("e2", "acct-1", "acct-2", "BTC", 20000, 20000,
                                 /*hop=*/1);
  v1::FlowEdge& trade = *result.add_edges();
  trade.set_event_id("e3");
  trade.set_kind(v1::LEDGER_EVENT_KIND_TRADE);
  trade.set_from_account("acct-2");
  trade.set_to_account("acct-2");
  trade.set_asset("BTC");
  trade.set_amount(10000);
  trade.set_tainted_amount(10000);
  trade.set_counter_asset("USDT");
  trade.set_counter_tainted_amount(5000000);
  trade.set_counterparty_account("mm-1");
  trade.set_hop(1);
  *result.add_edges() =
      Transfer("e4", "acct-2", "omni-1", "USDT", 1000000, 1000000, /*hop=*/2);
  *result.add_edges() =
      Withdrawal("e5", "acct-2", kOddAddress, "BTC", 20000, 20000, /*hop=*/2);
  *result.add_edges() = Transfer("e6", "acct-2", "acct-3", "BTC", 10000, 10000,
                                 /*hop=*/2);

  *result.add_holdings() = Holding("acct-2", "USDT", 4000000, 4000000, 1);
  v1::Holding& omnibus = *result.add_holdings();
  omnibus = Holding("omni-1", "USDT", 1000000, 90000000, 2);
  omnibus.set_infrastructure(true);
  omnibus.set_account_kind(v1::ACCOUNT_KIND_OMNIBUS);
  *result.add_holdings() = Holding("acct-1", "BTC", 30000, 30000, 0);
  *result.add_holdings() = Holding("acct-2", "BTC", 30000, 35000, 1);
  v1::Holding& limited = *result.add_holdings();
  limited = Holding("acct-3", "BTC", 10000, 12000, 2);
  limited.set_hop_limited(true);

  v1::ExternalAddress& external = *result.add_external();
  external.set_address(kOddAddress);
  external.set_asset("BTC");
  external.set_tainted_amount(20000);
  external.set_withdrawals(1);
  external.set_hop(2);
  *external.mutable_first_time() = At(1800);
  *external.mutable_last_time() = At(1800);

  *result.add_totals() = Totals("BTC", 100000, 0, 10000, 70000, 0, 20000);
  *result.add_totals() = Totals("USDT", 0, 5000000, 0, 4000000, 1000000, 0);
  return result;
}

TEST(TraceTextTest, Summary) {
  EXPECT_EQ(
      TraceText(Stolen(), "acct-1"),
      "trace of acct-1 (FIFO) as of 2026-11-26T11:43:48Z: 40 events "
      "examined, 4 accounts reached\n"
      "\n"
      "Totals per asset:\n"
      "ASSET  SEEDED  CONVERTED_IN  CONVERTED_OUT  HELD     INFRASTRUCTURE  "
      "EXTERNAL\n"
      "BTC    100000  0             10000          70000    0               "
      "20000\n"
      "USDT   0       5000000       0              4000000  1000000         "
      "0\n"
      "\n"
      "still in acct-1 (the traced account): BTC 30000\n"
      "\n"
      "Freeze candidates (2 accounts):\n"
      "ACCOUNT  ASSET  TAINTED  BALANCE  HOP  NOTE\n"
      "acct-2   USDT   4000000  4000000  1    -\n"
      "acct-2   BTC    30000    35000    1    -\n"
      "acct-3   BTC    10000    12000    2    hop limit: not followed further\n"
      "\n"
      "Absorbed by infrastructure:\n"
      "ACCOUNT  KIND     ASSET  TAINTED  BALANCE   HOP\n"
      "omni-1   OMNIBUS  USDT   1000000  90000000  2\n"
      "\n"
      "External addresses:\n"
      "ADDRESS  ASSET  TAINTED  WITHDRAWALS  HOP  FIRST                 "
      "LAST\n"
      "bc1\"q\\x  BTC    20000    1            2    2026-11-26T11:13:48Z  "
      "2026-11-26T11:13:48Z\n"
      "\n"
      "Flow edges by hop:\n"
      "HOP  EDGES  TRANSFERS  TRADES  WITHDRAWALS  TAINTED\n"
      "1    3      2          1       0            BTC 80000\n"
      "2    3      2          0       1            BTC 30000, USDT 1000000\n");
}

TEST(TraceTextTest, PartialPoisonWithOmissionsAndEmptySections) {
  v1::TraceResult result;
  result.set_model(v1::TAINT_MODEL_POISON);
  result.set_partial(true);
  *result.mutable_as_of() = At(60);
  result.set_events_examined(1);
  result.set_accounts_reached(1);
  result.set_edges_omitted(3);
  result.set_holdings_omitted(1);
  result.set_external_omitted(2);
  EXPECT_EQ(TraceText(result, "acct-9"),
            "trace of acct-9 (POISON) as of 2026-11-26T10:44:48Z: 1 event "
            "examined, 1 account reached\n"
            "PARTIAL: the work budget (--max_events) ran out; this is the "
            "state after the last event examined, not at --until\n"
            "POISON: any contact taints the whole outflow; amounts show reach "
            "and are not conserved\n"
            "\n"
            "Totals per asset: none\n"
            "\n"
            "Freeze candidates: none\n"
            "\n"
            "Absorbed by infrastructure: none\n"
            "\n"
            "External addresses: none\n"
            "\n"
            "Flow edges by hop: none\n"
            "\n"
            "not returned: 3 flow edges (raise --max_edges), 1 holding, 2 "
            "external address entries\n");
}

TEST(TraceTextTest, PartialIsNotSaidOfACompleteTrace) {
  EXPECT_THAT(TraceText(Stolen(), "acct-1"), Not(HasSubstr("PARTIAL")));
  EXPECT_THAT(TraceText(Stolen(), "acct-1"), Not(HasSubstr("not returned")));
}

TEST(FlowGraphDotTest, SmallGraphAggregatesParallelEdgesAndEscapes) {
  v1::TraceResult result;
  result.set_model(v1::TAINT_MODEL_HAIRCUT);
  *result.mutable_as_of() = At(0);
  *result.add_edges() = Transfer("e1", "acct-1", "acct-2", "BTC", 60000, 50000,
                                 /*hop=*/1);
  *result.add_edges() = Transfer("e2", "acct-1", "acct-2", "BTC", 20000, 20000,
                                 /*hop=*/1);
  *result.add_edges() = Transfer("e3", "acct-1", "acct-2", "ETH", 7, 3,
                                 /*hop=*/1);
  *result.add_edges() =
      Withdrawal("e4", "acct-2", kOddAddress, "BTC", 20000, 20000, /*hop=*/2);
  *result.add_holdings() = Holding("acct-2", "BTC", 50000, 50000, 1);
  v1::ExternalAddress& external = *result.add_external();
  external.set_address(kOddAddress);
  external.set_asset("BTC");
  external.set_tainted_amount(20000);

  EXPECT_EQ(FlowGraphDot(result, "acct-1"),
            R"(digraph flow {
  label="HAIRCUT trace of acct-1 as of 2026-11-26T10:43:48Z";
  labelloc=t;
  rankdir=LR;
  node [fontname="Helvetica", fontsize=10];
  edge [fontname="Helvetica", fontsize=9];
  "a:acct-1" [label="acct-1\ntraced account", shape=doublecircle, color=red, fontcolor=red, penwidth=2];
  "a:acct-2" [label="acct-2\nBTC 50000", shape=ellipse];
  "x:bc1\"q\\x" [label="bc1\"q\\x\nBTC 20000", shape=note];
  "a:acct-1" -> "a:acct-2" [label="BTC 70000/80000\nETH 3/7\n3 transfers, hop 1"];
  "a:acct-2" -> "x:bc1\"q\\x" [label="BTC 20000/20000\nhop 2", style=bold];
}
)");
}

TEST(FlowGraphDotTest, MarksInfrastructureHopLimitTradesAndPartial) {
  v1::TraceResult result = Stolen();
  result.set_partial(true);
  result.set_edges_omitted(2);
  const std::string dot = FlowGraphDot(result, "acct-1");
  EXPECT_THAT(dot, HasSubstr("  label=\"FIFO trace of acct-1 as of "
                             "2026-11-26T11:43:48Z\\nPARTIAL: the work budget "
                             "ran out\\n2 more edges not returned "
                             "(--max_edges)\";\n"));
  EXPECT_THAT(dot, HasSubstr("  \"a:acct-1\" [label=\"acct-1\\ntraced "
                             "account\\nBTC 30000\", shape=doublecircle"));
  EXPECT_THAT(dot, HasSubstr("  \"a:omni-1\" [label=\"omni-1\\nOMNIBUS\\nUSDT "
                             "1000000\", shape=cylinder];\n"));
  EXPECT_THAT(dot, HasSubstr("  \"a:acct-3\" [label=\"acct-3\\nBTC "
                             "10000\\nhop limit\", shape=ellipse, "
                             "style=dashed];\n"));
  EXPECT_THAT(dot, HasSubstr("  \"a:acct-2\" -> \"a:acct-2\" [label=\"trade "
                             "BTC 10000/10000 -> USDT 5000000\\nhop 1\", "
                             "style=dotted];\n"));
  // The trade's counterparty receives no taint and is not drawn.
  EXPECT_THAT(dot, Not(HasSubstr("mm-1")));
  EXPECT_THAT(dot, HasSubstr("  \"a:acct-2\" -> \"a:omni-1\" [label=\"USDT "
                             "1000000/1000000\\nhop 2\"];\n"));
}

TEST(FlowGraphDotTest, SpreadOfHopsAndTheVictimAlone) {
  v1::TraceResult result;
  *result.add_edges() =
      Transfer("e1", "acct-1", "acct-2", "BTC", 5, 5, /*hop=*/1);
  *result.add_edges() =
      Transfer("e2", "acct-1", "acct-2", "BTC", 5, 5, /*hop=*/3);
  EXPECT_THAT(FlowGraphDot(result, "acct-1"),
              HasSubstr("[label=\"BTC 10/10\\n2 transfers, hops 1-3\"];\n"));

  const std::string alone = FlowGraphDot(v1::TraceResult(), "acct-1");
  EXPECT_THAT(alone, HasSubstr("label=\"- trace of acct-1 as of -\";\n"));
  EXPECT_THAT(alone, HasSubstr("  \"a:acct-1\" [label=\"acct-1\\ntraced "
                               "account\", shape=doublecircle"));
  EXPECT_THAT(alone, Not(HasSubstr("->")));
}

TEST(FlowGraphDotTest, ControlCharactersDoNotBreakTheFile) {
  v1::TraceResult result;
  *result.add_edges() = Withdrawal("e1", "acct-1", "evil\n}\r\"x", "BTC", 1, 1,
                                   /*hop=*/1);
  EXPECT_THAT(FlowGraphDot(result, "acct-1"),
              HasSubstr("\"x:evil?}?\\\"x\" [label=\"evil?}?\\\"x\", "
                        "shape=note];\n"));
}

TEST(SvgPathForTest, ReplacesDotSuffixOrAppends) {
  EXPECT_EQ(SvgPathFor("flow.dot"), "flow.svg");
  EXPECT_EQ(SvgPathFor("out/flow.dot"), "out/flow.svg");
  EXPECT_EQ(SvgPathFor("flow.gv"), "flow.gv.svg");
  EXPECT_EQ(SvgPathFor("flow"), "flow.svg");
}

TEST(IngestedTextTest, CountsAndRejectionsWithTheirLines) {
  v1::IngestSummary summary;
  summary.set_accepted(3);
  summary.set_duplicates(1);
  summary.set_rejected(1);
  v1::IngestRejection& rejection = *summary.add_rejections();
  rejection.set_position(4);
  rejection.set_event_id("e5");
  rejection.set_reason("amount: must be > 0");
  EXPECT_EQ(
      IngestedText(summary, 5, [](int64_t position) { return position + 10; }),
      "sent 5 events: 3 accepted, 1 duplicate, 1 rejected\n"
      "rejected:\n"
      "LINE  POSITION  EVENT  REASON\n"
      "14    4         e5     amount: must be > 0\n");
}

TEST(IngestedTextTest, SaysWhenRejectionsAreCutOrCountsDisagree) {
  v1::IngestSummary summary;
  summary.set_accepted(1);
  summary.set_rejected(2);
  v1::IngestRejection& rejection = *summary.add_rejections();
  rejection.set_position(0);
  rejection.set_reason("kind: required\nreally");
  EXPECT_EQ(
      IngestedText(summary, 4, [](int64_t position) { return position + 1; }),
      "sent 4 events: 1 accepted, 0 duplicates, 2 rejected\n"
      "the server counted 3 events, not 4\n"
      "rejected:\n"
      "LINE  POSITION  EVENT  REASON\n"
      "1     0         -      kind: required really\n"
      "only the first 1 of 2 rejections are listed\n");
}

v1::FreezeTraceCandidatesResponse Freezes() {
  v1::FreezeTraceCandidatesResponse response;
  *response.mutable_as_of() = At(3600);
  v1::CandidateFreeze& frozen = *response.add_results();
  frozen.set_account_id("acct-2");
  frozen.set_outcome(v1::CANDIDATE_FREEZE_OUTCOME_FROZEN);
  frozen.mutable_freeze()->set_freeze_id("frz-9");
  *frozen.add_holdings() = Holding("acct-2", "USDT", 4000000, 4000000, 1);
  *frozen.add_holdings() = Holding("acct-2", "BTC", 30000, 35000, 1);
  v1::CandidateFreeze& failed = *response.add_results();
  failed.set_account_id("acct-3");
  failed.set_outcome(v1::CANDIDATE_FREEZE_OUTCOME_FAILED);
  failed.set_error("UNAVAILABLE: freeze store\nis down");
  *failed.add_holdings() = Holding("acct-3", "BTC", 10000, 12000, 2);
  v1::CandidateFreeze& skipped = *response.add_results();
  skipped.set_account_id("acct-7");
  skipped.set_outcome(v1::CANDIDATE_FREEZE_OUTCOME_NOT_A_CANDIDATE);
  response.set_frozen(1);
  response.set_failed(1);
  return response;
}

TEST(CandidateFreezesTextTest, TableOfOutcomes) {
  EXPECT_EQ(CandidateFreezesText(Freezes()),
            "frozen 1, failed 1, not a candidate 1 (trace as of "
            "2026-11-26T11:43:48Z)\n"
            "ACCOUNT  OUTCOME          FREEZE  TAINTED                  "
            "ERROR\n"
            "acct-2   FROZEN           frz-9   BTC 30000, USDT 4000000  -\n"
            "acct-3   FAILED           -       BTC 10000                "
            "UNAVAILABLE: freeze store is down\n"
            "acct-7   NOT_A_CANDIDATE  -       -                        -\n");
  EXPECT_EQ(FreezesFailedLine(Freezes()),
            "FREEZES FAILED on 1 account: acct-3\n");
}

TEST(CandidateFreezesTextTest, PartialAndEmpty) {
  v1::FreezeTraceCandidatesResponse response;
  response.set_partial(true);
  EXPECT_EQ(CandidateFreezesText(response),
            "frozen 0, failed 0, not a candidate 0 (trace as of -)\n"
            "PARTIAL: the trace ran out of its work budget (--max_events); "
            "candidates beyond it were not seen\n"
            "no freeze candidates: nothing frozen\n");
  EXPECT_EQ(FreezesFailedLine(response), "");
}

TEST(CandidateFreezesTextTest, FailedLineNamesAtMostTen) {
  v1::FreezeTraceCandidatesResponse response;
  for (int i = 0; i < 12; ++i) {
    v1::CandidateFreeze& failed = *response.add_results();
    failed.set_account_id(absl::StrCat("a", i));
    failed.set_outcome(v1::CANDIDATE_FREEZE_OUTCOME_FAILED);
  }
  EXPECT_EQ(FreezesFailedLine(response),
            "FREEZES FAILED on 12 accounts: a0, a1, a2, a3, a4, a5, a6, a7, "
            "a8, a9 and 2 more\n");
}

v1::AccountKindEntry KindEntry(const std::string& account, v1::AccountKind kind,
                               const std::string& note) {
  v1::AccountKindEntry entry;
  entry.set_account_id(account);
  entry.set_kind(kind);
  entry.set_note(note);
  entry.set_set_by("security/bob");
  *entry.mutable_set_at() = At(0);
  return entry;
}

TEST(AccountKindsTextTest, OneLinePerEntry) {
  v1::SetAccountKindsResponse response;
  *response.add_accounts() =
      KindEntry("omni-1", v1::ACCOUNT_KIND_OMNIBUS, "BTC hot wallet");
  response.mutable_accounts(0)->set_pending(true);
  *response.add_accounts() = KindEntry("acct-2", v1::ACCOUNT_KIND_USER, "");
  *response.add_accounts() = KindEntry("fee-1", v1::ACCOUNT_KIND_FEE, "");
  response.mutable_accounts(2)->set_approved_by("security/sam");
  *response.mutable_accounts(2)->mutable_approved_at() = At(60);
  EXPECT_EQ(AccountKindsText(response.accounts()),
            "omni-1: OMNIBUS pending approval, set by security/bob at "
            "2026-11-26T10:43:48Z (BTC hot wallet)\n"
            "acct-2: USER (no longer infrastructure), set by security/bob at "
            "2026-11-26T10:43:48Z\n"
            "fee-1: FEE in effect, set by security/bob at "
            "2026-11-26T10:43:48Z, approved by security/sam at "
            "2026-11-26T10:44:48Z\n");
}

TEST(InfrastructureAccountsTextTest, TableOrNone) {
  v1::ListInfrastructureAccountsResponse response;
  EXPECT_EQ(InfrastructureAccountsText(response),
            "no infrastructure accounts\n");
  *response.add_accounts() =
      KindEntry("fee-1", v1::ACCOUNT_KIND_FEE, "trading fees");
  *response.add_accounts() =
      KindEntry("mm-1", v1::ACCOUNT_KIND_MARKET_MAKER, "");
  response.mutable_accounts(0)->set_approved_by("security/sam");
  response.set_next_page_token("t");
  EXPECT_EQ(InfrastructureAccountsText(response),
            "ACCOUNT  KIND          SET_BY        SET_AT                "
            "APPROVED_BY   NOTE\n"
            "fee-1    FEE           security/bob  2026-11-26T10:43:48Z  "
            "security/sam  trading fees\n"
            "mm-1     MARKET_MAKER  security/bob  2026-11-26T10:43:48Z  "
            "-             -\n"
            "more accounts not listed\n");
}

}  // namespace
}  // namespace sentinel::cli
