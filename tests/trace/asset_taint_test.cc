// AssetTaint and Parcel: each model's arithmetic on one holding, including
// outflows beyond the balance and rounding.
#include "trace/asset_taint.h"

#include <limits>

#include "gtest/gtest.h"

namespace sentinel::trace {
namespace {

// 5 clean, then 10 tainted arrive: the example of
// shared/reference/fund-tracing.md (8 then 7 leave).
AssetTaint MixedHolding(v1::TaintModel model) {
  AssetTaint holding(model, 5, false);
  holding.Add(Parcel::Split(10, 10));
  return holding;
}

TEST(AssetTaintTest, FifoSpendsTheOldestValueFirst) {
  AssetTaint holding = MixedHolding(v1::TAINT_MODEL_FIFO);
  EXPECT_EQ(holding.balance(), 15);
  EXPECT_EQ(holding.tainted(), 10);
  const Parcel first = holding.Take(8);
  EXPECT_EQ(first.amount(), 8);
  EXPECT_EQ(first.tainted(), 3);
  ASSERT_EQ(first.runs().size(), 2u);
  EXPECT_EQ(first.runs()[0].amount, 5);
  EXPECT_FALSE(first.runs()[0].tainted);
  EXPECT_EQ(holding.Take(7).tainted(), 7);
  EXPECT_EQ(holding.balance(), 0);
  EXPECT_EQ(holding.tainted(), 0);
}

TEST(AssetTaintTest, FifoKeepsTheOrderOfAParcel) {
  AssetTaint receiver(v1::TAINT_MODEL_FIFO, 0, false);
  Parcel parcel = Parcel::Clean(4);
  parcel.Append(6, true);
  receiver.Add(parcel);
  EXPECT_EQ(receiver.Take(5).tainted(), 1);  // 4 clean, then 1 tainted
  EXPECT_EQ(receiver.tainted(), 5);
}

TEST(AssetTaintTest, HaircutIsProportionalWithTheRemainderKept) {
  AssetTaint holding = MixedHolding(v1::TAINT_MODEL_HAIRCUT);
  EXPECT_EQ(holding.Take(8).tainted(), 5);  // floor(8 * 10 / 15) = 5
  EXPECT_EQ(holding.balance(), 7);
  EXPECT_EQ(holding.tainted(), 5);
  EXPECT_EQ(holding.Take(7).tainted(), 5);  // all of it: 7 >= balance
  EXPECT_EQ(holding.tainted(), 0);
}

TEST(AssetTaintTest, HaircutRoundsDownAndNeverLosesTaint) {
  AssetTaint holding(v1::TAINT_MODEL_HAIRCUT, 3, false);
  holding.Add(Parcel::Split(1, 1));         // balance 4, tainted 1
  EXPECT_EQ(holding.Take(3).tainted(), 0);  // floor(3 / 4)
  EXPECT_EQ(holding.tainted(), 1);
  EXPECT_EQ(holding.balance(), 1);
}

TEST(AssetTaintTest, PoisonTaintsWholeOutflowsUntilTheBalanceIsGone) {
  AssetTaint holding = MixedHolding(v1::TAINT_MODEL_POISON);
  EXPECT_EQ(holding.tainted(), 15);
  EXPECT_EQ(holding.Take(8).tainted(), 8);
  EXPECT_EQ(holding.tainted(), 7);
  EXPECT_EQ(holding.Take(7).tainted(), 7);
  holding.Add(Parcel::Clean(4));
  EXPECT_EQ(holding.tainted(), 0);  // emptied: the flag cleared
  EXPECT_EQ(holding.Take(4).tainted(), 0);
}

TEST(AssetTaintTest, AnOutflowBeyondTheBalanceIsCleanValueTheLedgerNeverSaw) {
  for (v1::TaintModel model : {v1::TAINT_MODEL_FIFO, v1::TAINT_MODEL_HAIRCUT}) {
    AssetTaint holding(model, 6, true);
    const Parcel parcel = holding.Take(10);
    EXPECT_EQ(parcel.amount(), 10);
    EXPECT_EQ(parcel.tainted(), 6) << model;
    EXPECT_EQ(holding.balance(), 0);
    EXPECT_EQ(holding.tainted(), 0);
  }
  AssetTaint empty(v1::TAINT_MODEL_HAIRCUT, 0, true);
  EXPECT_EQ(empty.Take(3).tainted(), 0);
  AssetTaint poisoned(v1::TAINT_MODEL_POISON, 6, true);
  EXPECT_EQ(poisoned.Take(10).tainted(), 10);
  EXPECT_EQ(poisoned.balance(), 0);
}

TEST(AssetTaintTest, ConvertTaint) {
  EXPECT_EQ(ConvertTaint(v1::TAINT_MODEL_FIFO, 40, 40, 2000), 2000);
  EXPECT_EQ(ConvertTaint(v1::TAINT_MODEL_HAIRCUT, 1, 3, 2), 0);  // floor(2/3)
  EXPECT_EQ(ConvertTaint(v1::TAINT_MODEL_HAIRCUT, 2, 3, 2), 1);
  EXPECT_EQ(ConvertTaint(v1::TAINT_MODEL_POISON, 1, 3, 2), 2);
  EXPECT_EQ(ConvertTaint(v1::TAINT_MODEL_POISON, 0, 3, 2), 0);
  const int64_t max = std::numeric_limits<int64_t>::max();
  EXPECT_EQ(ConvertTaint(v1::TAINT_MODEL_FIFO, max, max, max), max);
  EXPECT_EQ(ConvertTaint(v1::TAINT_MODEL_FIFO, max / 2, max, 10), 4);
}

TEST(AssetTaintTest, BalancesSaturate) {
  const int64_t max = std::numeric_limits<int64_t>::max();
  AssetTaint holding(v1::TAINT_MODEL_HAIRCUT, max - 1, true);
  holding.Add(Parcel::Split(5, 5));
  EXPECT_EQ(holding.balance(), max);
  EXPECT_EQ(holding.tainted(), max);
}

}  // namespace
}  // namespace sentinel::trace
