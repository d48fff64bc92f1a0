// TraceFunds on hand-computed ledgers: the expected numbers are worked out
// in the comments and written in the tests, for each model.
#include "trace/tracer.h"

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/time_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"
#include "tests/trace/ledger_builders.h"
#include "tests/trace/ledger_fixture.h"

namespace sentinel::trace::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr v1::TaintModel kFifo = v1::TAINT_MODEL_FIFO;
constexpr v1::TaintModel kHaircut = v1::TAINT_MODEL_HAIRCUT;
constexpr v1::TaintModel kPoison = v1::TAINT_MODEL_POISON;

// "account asset tainted/balance hN", plus " infra" or " limited".
std::vector<std::string> Holdings(const v1::TraceResult& result) {
  std::vector<std::string> rows;
  for (const v1::Holding& holding : result.holdings()) {
    rows.push_back(absl::StrCat(holding.account_id(), " ", holding.asset(), " ",
                                holding.tainted_amount(), "/",
                                holding.balance(), " h", holding.hop(),
                                holding.infrastructure() ? " infra" : "",
                                holding.hop_limited() ? " limited" : ""));
  }
  return rows;
}

// "id from->to asset amount tN hN", trades with " =>counter_asset N cp X",
// withdrawals with " @address".
std::vector<std::string> Edges(const v1::TraceResult& result) {
  std::vector<std::string> rows;
  for (const v1::FlowEdge& edge : result.edges()) {
    std::string row =
        absl::StrCat(edge.event_id(), " ", edge.from_account(), "->",
                     edge.to_account(), " ", edge.asset(), " ", edge.amount(),
                     " t", edge.tainted_amount(), " h", edge.hop());
    if (edge.kind() == v1::LEDGER_EVENT_KIND_TRADE) {
      absl::StrAppend(&row, " =>", edge.counter_asset(), " ",
                      edge.counter_tainted_amount(), " cp ",
                      edge.counterparty_account());
    }
    if (!edge.external_address().empty()) {
      absl::StrAppend(&row, " @", edge.external_address());
    }
    rows.push_back(row);
  }
  return rows;
}

// "asset seeded+in-out=held+infrastructure+external".
std::vector<std::string> Totals(const v1::TraceResult& result) {
  std::vector<std::string> rows;
  for (const v1::AssetTotals& totals : result.totals()) {
    rows.push_back(absl::StrCat(
        totals.asset(), " ", totals.seeded(), "+", totals.converted_in(), "-",
        totals.converted_out(), "=", totals.held(), "+",
        totals.infrastructure(), "+", totals.external()));
  }
  return rows;
}

// "address asset tainted xN hN".
std::vector<std::string> External(const v1::TraceResult& result) {
  std::vector<std::string> rows;
  for (const v1::ExternalAddress& address : result.external()) {
    rows.push_back(absl::StrCat(address.address(), " ", address.asset(), " ",
                                address.tainted_amount(), " x",
                                address.withdrawals(), " h", address.hop()));
  }
  return rows;
}

// Mixed clean and tainted value, outflows before the taint, a cycle back to
// the victim. H holds 11 and sends E 1 before `since` (5), so 10 is
// tainted. A holds 7, sends D 2 at 8 (before taint reaches it: clean) and
// holds 5 clean when H sends it 10 at 10. A then sends B 8 and C 7; C sends
// its 7 back to H.
class MixedLedgerTest : public LedgerTest {
 protected:
  void SetUp() override {
    LedgerTest::SetUp();
    Ingest({Deposit("dh", 0, "H", "BTC", 11), Deposit("da", 0, "A", "BTC", 7),
            Transfer("e0", 2, "H", "E", "BTC", 1),
            Transfer("ed", 8, "A", "D", "BTC", 2),
            Transfer("e1", 10, "H", "A", "BTC", 10),
            Transfer("e2", 20, "A", "B", "BTC", 8),
            Transfer("e3", 30, "A", "C", "BTC", 7),
            Transfer("e4", 40, "C", "H", "BTC", 7)});
  }
};

TEST_F(MixedLedgerTest, Fifo) {
  // A: [5 clean][10 tainted]. e2 takes 5 clean + 3 tainted; e3 the other 7
  // tainted, which C returns to H.
  ASSERT_OK_AND_ASSIGN(v1::TraceResult result,
                       Trace(Params("H", 5, 100, kFifo)));
  EXPECT_THAT(Edges(result),
              ElementsAre("e1 H->A BTC 10 t10 h1", "e2 A->B BTC 8 t3 h2",
                          "e3 A->C BTC 7 t7 h2", "e4 C->H BTC 7 t7 h3"));
  EXPECT_THAT(Holdings(result), ElementsAre("H BTC 7/7 h0", "B BTC 3/8 h2"));
  EXPECT_THAT(Totals(result), ElementsAre("BTC 10+0-0=10+0+0"));
  EXPECT_THAT(External(result), IsEmpty());
  EXPECT_FALSE(result.partial());
  EXPECT_EQ(FromProtoTime(result.as_of()), At(100));
  EXPECT_EQ(result.model(), kFifo);
  // e1..e4; "ed" predates the taint reaching A and is never examined.
  EXPECT_EQ(result.events_examined(), 4);
  EXPECT_EQ(result.accounts_reached(), 4);  // H, A, B, C
}

TEST_F(MixedLedgerTest, Haircut) {
  // A: 15 with 10 tainted. e2 carries floor(8 * 10 / 15) = 5, leaving 7
  // with 5 tainted; e3 takes all 7 and so all 5; C returns them.
  ASSERT_OK_AND_ASSIGN(v1::TraceResult result,
                       Trace(Params("H", 5, 100, kHaircut)));
  EXPECT_THAT(Edges(result),
              ElementsAre("e1 H->A BTC 10 t10 h1", "e2 A->B BTC 8 t5 h2",
                          "e3 A->C BTC 7 t5 h2", "e4 C->H BTC 7 t5 h3"));
  EXPECT_THAT(Holdings(result), ElementsAre("B BTC 5/8 h2", "H BTC 5/7 h0"));
  EXPECT_THAT(Totals(result), ElementsAre("BTC 10+0-0=10+0+0"));
}

TEST_F(MixedLedgerTest, Poison) {
  // Every outflow of a tainted holding is wholly tainted: 10, 8, 7, 7. A is
  // emptied by e3, so its taint is gone; H is tainted again by e4.
  ASSERT_OK_AND_ASSIGN(v1::TraceResult result,
                       Trace(Params("H", 5, 100, kPoison)));
  EXPECT_THAT(Edges(result),
              ElementsAre("e1 H->A BTC 10 t10 h1", "e2 A->B BTC 8 t8 h2",
                          "e3 A->C BTC 7 t7 h2", "e4 C->H BTC 7 t7 h3"));
  EXPECT_THAT(Holdings(result), ElementsAre("B BTC 8/8 h2", "H BTC 7/7 h0"));
  EXPECT_THAT(Totals(result), ElementsAre("BTC 10+0-0=15+0+0"));
}

TEST_F(MixedLedgerTest, StopsAtUntil) {
  // e3 (30) and e4 (40) are after `until`.
  ASSERT_OK_AND_ASSIGN(v1::TraceResult result,
                       Trace(Params("H", 5, 25, kFifo)));
  EXPECT_THAT(Holdings(result), ElementsAre("A BTC 7/7 h1", "B BTC 3/8 h2"));
  EXPECT_FALSE(result.partial());
  EXPECT_EQ(FromProtoTime(result.as_of()), At(25));
}

TEST_F(MixedLedgerTest, TheBudgetGivesAPartialResultAtTheLastEvent) {
  TraceParams params = Params("H", 5, 100, kFifo);
  params.max_events = 2;  // e1, e2; e3 is left
  ASSERT_OK_AND_ASSIGN(v1::TraceResult result, Trace(params));
  EXPECT_TRUE(result.partial());
  EXPECT_EQ(result.events_examined(), 2);
  EXPECT_EQ(FromProtoTime(result.as_of()), At(20));
  EXPECT_THAT(Edges(result),
              ElementsAre("e1 H->A BTC 10 t10 h1", "e2 A->B BTC 8 t3 h2"));
  EXPECT_THAT(Holdings(result), ElementsAre("A BTC 7/7 h1", "B BTC 3/8 h2"));
  EXPECT_THAT(Totals(result), ElementsAre("BTC 10+0-0=10+0+0"));

  params.max_events = 4;  // exactly enough
  ASSERT_OK_AND_ASSIGN(result, Trace(params));
  EXPECT_FALSE(result.partial());
  EXPECT_EQ(result.events_examined(), 4);
}

TEST_F(MixedLedgerTest, EdgesBeyondMaxEdgesAreCounted) {
  TraceParams params = Params("H", 5, 100, kFifo);
  params.max_edges = 2;
  ASSERT_OK_AND_ASSIGN(v1::TraceResult result, Trace(params));
  EXPECT_THAT(Edges(result),
              ElementsAre("e1 H->A BTC 10 t10 h1", "e2 A->B BTC 8 t3 h2"));
  EXPECT_EQ(result.edges_omitted(), 2);
  EXPECT_THAT(Holdings(result), ElementsAre("H BTC 7/7 h0", "B BTC 3/8 h2"));
}

TEST_F(MixedLedgerTest, AVictimWithNothingAtSinceTaintsNothing) {
  ASSERT_OK_AND_ASSIGN(v1::TraceResult result,
                       Trace(Params("D", 5, 100, kPoison)));  // D gets 2 at 8
  EXPECT_THAT(Edges(result), IsEmpty());
  EXPECT_THAT(Holdings(result), IsEmpty());
  EXPECT_THAT(Totals(result), IsEmpty());
  EXPECT_EQ(result.accounts_reached(), 1);
}

// A trade, then a transfer and a withdrawal of what it bought, then a trade
// in which the tainted account is the counterparty. V holds 100 BTC at
// `since` (5) and receives 500 clean USDT at 7. At 10 it sells 40 BTC to M
// for 2000 USDT; at 20 it sends X 1500 USDT; at 30 X withdraws 1000 USDT to
// addr1; at 40 Y sells X 10 ETH for 300 USDT (X pays USDT, gets ETH).
class TradeLedgerTest : public LedgerTest {
 protected:
  void SetUp() override {
    LedgerTest::SetUp();
    Ingest(
        {Deposit("dv", 0, "V", "BTC", 100), Deposit("dm", 0, "M", "USDT", 5000),
         Deposit("dy", 0, "Y", "ETH", 10), Deposit("dv2", 7, "V", "USDT", 500),
         Trade("x1", 10, "V", "M", "BTC", 40, "USDT", 2000),
         Transfer("t1", 20, "V", "X", "USDT", 1500),
         Withdrawal("w1", 30, "X", "addr1", "USDT", 1000),
         Trade("x2", 40, "Y", "X", "ETH", 10, "USDT", 300)});
  }
};

TEST_F(TradeLedgerTest, Fifo) {
  // V USDT: [500 clean][2000 tainted]; t1 takes 500 clean + 1000 tainted.
  // X: [500 clean][1000 tainted]; w1 takes 500 + 500; x2 sells 300 tainted
  // USDT for 10 ETH, all tainted.
  ASSERT_OK_AND_ASSIGN(v1::TraceResult result,
                       Trace(Params("V", 5, 100, kFifo)));
  EXPECT_THAT(Edges(result),
              ElementsAre("x1 V->V BTC 40 t40 h0 =>USDT 2000 cp M",
                          "t1 V->X USDT 1500 t1000 h1",
                          "w1 X-> USDT 1000 t500 h2 @addr1",
                          "x2 X->X USDT 300 t300 h1 =>ETH 10 cp Y"));
  EXPECT_THAT(Holdings(result),
              ElementsAre("V USDT 1000/1000 h0", "X USDT 200/200 h1",
                          "V BTC 60/60 h0", "X ETH 10/10 h1"));
  EXPECT_THAT(External(result), ElementsAre("addr1 USDT 500 x1 h2"));
  EXPECT_THAT(Totals(result),
              ElementsAre("BTC 100+0-40=60+0+0", "ETH 0+10-0=10+0+0",
                          "USDT 0+2000-300=1200+0+500"));
  EXPECT_EQ(result.events_examined(), 5);   // dv2, x1, t1, w1, x2
  EXPECT_EQ(result.accounts_reached(), 2);  // M and Y receive no taint
}

TEST_F(TradeLedgerTest, Haircut) {
  // V USDT: 2500 with 2000 tainted; t1 carries floor(1500*2000/2500) = 1200.
  // X: 1500 with 1200; w1 carries floor(1000*1200/1500) = 800, leaving 500
  // with 400; x2 sells floor(300*400/500) = 240 tainted USDT, which buys
  // floor(240*10/300) = 8 tainted ETH.
  ASSERT_OK_AND_ASSIGN(v1::TraceResult result,
                       Trace(Params("V", 5, 100, kHaircut)));
  EXPECT_THAT(Edges(result),
              ElementsAre("x1 V->V BTC 40 t40 h0 =>USDT 2000 cp M",
                          "t1 V->X USDT 1500 t1200 h1",
                          "w1 X-> USDT 1000 t800 h2 @addr1",
                          "x2 X->X USDT 300 t240 h1 =>ETH 8 cp Y"));
  EXPECT_THAT(Holdings(result),
              ElementsAre("V USDT 800/1000 h0", "X USDT 160/200 h1",
                          "V BTC 60/60 h0", "X ETH 8/10 h1"));
  EXPECT_THAT(External(result), ElementsAre("addr1 USDT 800 x1 h2"));
  EXPECT_THAT(Totals(result),
              ElementsAre("BTC 100+0-40=60+0+0", "ETH 0+8-0=8+0+0",
                          "USDT 0+2000-240=960+0+800"));
}

TEST_F(TradeLedgerTest, Poison) {
  // Tainted holdings taint whole outflows and whole trade proceeds.
  ASSERT_OK_AND_ASSIGN(v1::TraceResult result,
                       Trace(Params("V", 5, 100, kPoison)));
  EXPECT_THAT(Edges(result),
              ElementsAre("x1 V->V BTC 40 t40 h0 =>USDT 2000 cp M",
                          "t1 V->X USDT 1500 t1500 h1",
                          "w1 X-> USDT 1000 t1000 h2 @addr1",
                          "x2 X->X USDT 300 t300 h1 =>ETH 10 cp Y"));
  EXPECT_THAT(Holdings(result),
              ElementsAre("V USDT 1000/1000 h0", "X USDT 200/200 h1",
                          "V BTC 60/60 h0", "X ETH 10/10 h1"));
  EXPECT_THAT(External(result), ElementsAre("addr1 USDT 1000 x1 h2"));
  EXPECT_THAT(Totals(result),
              ElementsAre("BTC 100+0-40=60+0+0", "ETH 0+10-0=10+0+0",
                          "USDT 0+2000-300=1200+0+1000"));
}

TEST_F(TradeLedgerTest, OnlyTheRequestedAssetsAreSeeded) {
  TraceParams params = Params("V", 5, 100, kFifo);
  params.assets = {"USDT"};  // V held no USDT at `since`
  ASSERT_OK_AND_ASSIGN(v1::TraceResult result, Trace(params));
  EXPECT_THAT(Edges(result), IsEmpty());
  EXPECT_THAT(Holdings(result), IsEmpty());
  params.assets = {"BTC"};
  ASSERT_OK_AND_ASSIGN(result, Trace(params));
  EXPECT_THAT(Holdings(result),
              ElementsAre("V USDT 1000/1000 h0", "X USDT 200/200 h1",
                          "V BTC 60/60 h0", "X ETH 10/10 h1"));
}

// A chain V -> A -> B -> C -> D, 10 then 12 BTC; B also held 3 of its own.
class ChainLedgerTest : public LedgerTest {
 protected:
  void SetUp() override {
    LedgerTest::SetUp();
    Ingest({Deposit("dv", 0, "V", "BTC", 10), Deposit("db", 0, "B", "BTC", 3),
            Transfer("h1", 10, "V", "A", "BTC", 10),
            Transfer("h2", 20, "A", "B", "BTC", 10),
            Transfer("h3", 30, "B", "C", "BTC", 12),
            Transfer("h4", 40, "C", "D", "BTC", 12)});
  }
};

TEST_F(ChainLedgerTest, AccountsAtMaxHopsAbsorb) {
  // B is reached at hop 2 = max_hops: its 10 stay counted there although it
  // sent 12 on (not followed), leaving it a balance of 1.
  for (v1::TaintModel model : {kFifo, kHaircut, kPoison}) {
    ASSERT_OK_AND_ASSIGN(v1::TraceResult result,
                         Trace(Params("V", 5, 100, model, 2)));
    EXPECT_THAT(Edges(result),
                ElementsAre("h1 V->A BTC 10 t10 h1", "h2 A->B BTC 10 t10 h2"))
        << model;
    EXPECT_THAT(Holdings(result), ElementsAre("B BTC 10/1 h2 limited"));
    EXPECT_THAT(Totals(result), ElementsAre("BTC 10+0-0=10+0+0"));
    EXPECT_EQ(result.events_examined(), 2);
    EXPECT_EQ(result.accounts_reached(), 3);
  }
}

TEST_F(ChainLedgerTest, OneMoreHopFollowsB) {
  // B: [3 clean][10 tainted]; h3 takes 3 clean + 9 tainted to C (hop 3 =
  // max_hops, which absorbs them). HAIRCUT: floor(12 * 10 / 13) = 9 too.
  for (v1::TaintModel model : {kFifo, kHaircut}) {
    ASSERT_OK_AND_ASSIGN(v1::TraceResult result,
                         Trace(Params("V", 5, 100, model, 3)));
    EXPECT_THAT(Edges(result),
                ElementsAre("h1 V->A BTC 10 t10 h1", "h2 A->B BTC 10 t10 h2",
                            "h3 B->C BTC 12 t9 h3"));
    EXPECT_THAT(Holdings(result),
                ElementsAre("C BTC 9/0 h3 limited", "B BTC 1/1 h2"));
    EXPECT_THAT(Totals(result), ElementsAre("BTC 10+0-0=10+0+0"));
  }
  ASSERT_OK_AND_ASSIGN(v1::TraceResult poison,
                       Trace(Params("V", 5, 100, kPoison, 3)));
  EXPECT_THAT(Holdings(poison),
              ElementsAre("C BTC 12/0 h3 limited", "B BTC 1/1 h2"));
}

// Infrastructure absorbs: V sends the omnibus O 10 (O passes 10 on to Z:
// not followed) and A 5; A sends the fee account F 2.
class InfrastructureLedgerTest : public LedgerTest {
 protected:
  void SetUp() override {
    LedgerTest::SetUp();
    SetKind("O", v1::ACCOUNT_KIND_OMNIBUS);
    SetKind("F", v1::ACCOUNT_KIND_FEE);
    Ingest({Deposit("dv", 0, "V", "BTC", 20), Deposit("do", 0, "O", "BTC", 100),
            Transfer("i1", 10, "V", "O", "BTC", 10),
            Transfer("i2", 20, "O", "Z", "BTC", 10),
            Transfer("i3", 30, "V", "A", "BTC", 5),
            Transfer("i4", 40, "A", "F", "BTC", 2)});
  }
};

TEST_F(InfrastructureLedgerTest, AbsorbsAndReports) {
  for (v1::TaintModel model : {kFifo, kHaircut, kPoison}) {
    ASSERT_OK_AND_ASSIGN(v1::TraceResult result,
                         Trace(Params("V", 5, 100, model)));
    EXPECT_THAT(Edges(result),
                ElementsAre("i1 V->O BTC 10 t10 h1", "i3 V->A BTC 5 t5 h1",
                            "i4 A->F BTC 2 t2 h2"))
        << model;
    EXPECT_THAT(Holdings(result),
                ElementsAre("O BTC 10/100 h1 infra", "V BTC 5/5 h0",
                            "A BTC 3/3 h1", "F BTC 2/2 h2 infra"));
    EXPECT_THAT(Totals(result), ElementsAre("BTC 20+0-0=8+12+0"));
    EXPECT_EQ(result.accounts_reached(), 4);  // Z is never reached
    ASSERT_EQ(result.holdings_size(), 4);
    EXPECT_EQ(result.holdings(0).account_kind(), v1::ACCOUNT_KIND_OMNIBUS);
    EXPECT_EQ(result.holdings(3).account_kind(), v1::ACCOUNT_KIND_FEE);
    EXPECT_EQ(result.holdings(1).account_kind(), v1::ACCOUNT_KIND_USER);
  }
}

TEST_F(InfrastructureLedgerTest, APartialResultReportsBalancesAtItsEnd) {
  TraceParams params = Params("V", 5, 100, kFifo);
  params.max_events = 1;  // i1 only: O holds 110 just after it
  ASSERT_OK_AND_ASSIGN(v1::TraceResult result, Trace(params));
  EXPECT_TRUE(result.partial());
  EXPECT_EQ(FromProtoTime(result.as_of()), At(10));
  EXPECT_THAT(Holdings(result),
              ElementsAre("O BTC 10/110 h1 infra", "V BTC 10/10 h0"));
}

// Bob's balance saturates when the taint reaches him, so what he held before
// cannot be told from what he holds after: his opening lot must be what the
// store held before the transfer, INT64_MAX - 5. FIFO shows it: his
// withdrawal of INT64_MAX - 8 is all clean (from an opening lot of
// INT64_MAX - 10 it would carry 2 tainted).
TEST_F(LedgerTest, AnAccountSaturatedByTheTransferReachingIt) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  Ingest({Deposit("db", 1, "bob", "BTC", kMax - 5),
          Deposit("dv", 2, "V", "BTC", 10),
          Transfer("h1", 3, "V", "bob", "BTC", 10),
          Withdrawal("w1", 4, "bob", "addr", "BTC", kMax - 8)});
  ASSERT_OK_AND_ASSIGN(v1::TraceResult result,
                       Trace(Params("V", 3, 100, kFifo)));
  EXPECT_THAT(Edges(result), ElementsAre("h1 V->bob BTC 10 t10 h1"));
  EXPECT_EQ(result.external_size(), 0);
  // Saturation is where conservation stops holding: bob's taint exceeds his
  // balance of 8.
  EXPECT_THAT(Holdings(result), ElementsAre("bob BTC 10/8 h1"));
}

}  // namespace
}  // namespace sentinel::trace::testing
