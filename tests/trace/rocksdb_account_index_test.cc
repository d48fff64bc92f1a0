// The "a/" entries of the ledger store: balances stored with each event and
// read back in chunks, late events after a restart (nothing cached), the
// cache of each account's last entry, and stored bytes that do not parse.
#include "trace/rocksdb_account_index.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"
#include "tests/trace/ledger_builders.h"
#include "tests/trace/ledger_fixture.h"
#include "trace/event_chunk.h"
#include "trace/ledger_keys.h"
#include "trace/ledger_position.h"
#include "trace/rocksdb_ledger_store.h"

namespace sentinel::trace::testing {
namespace {

using ::sentinel::testing::StatusIs;
using ::testing::_;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;

class AccountIndexTest : public LedgerTest {
 protected:
  int64_t BalanceBefore(const std::string& account, const std::string& asset,
                        const LedgerPosition& position) {
    auto balance = store_->OpenView()->BalanceBefore(account, asset, position);
    EXPECT_OK(balance.status());
    return balance.ok() ? *balance : -1;
  }
};

TEST_F(AccountIndexTest, AChunkCarriesTheBalancesAfterItsFirstEvent) {
  Ingest({Deposit("d1", 1, "bob", "BTC", 10), Deposit("d2", 2, "bob", "ETH", 7),
          Trade("x1", 3, "bob", "carol", "BTC", 4, "USDT", 50),
          Transfer("t1", 4, "bob", "dave", "ETH", 7)});
  auto view = store_->OpenView();
  EventChunk chunk;
  ASSERT_OK(
      view->ReadAccountEvents("bob", StartOf(At(3)), EndOf(At(9)), 10, chunk));
  ASSERT_EQ(chunk.events().size(), 2u);
  EXPECT_EQ(chunk.events()[0].event_id, "x1");
  EXPECT_EQ(chunk.events()[0].from_account, "bob");  // the key's account
  EXPECT_EQ(chunk.events()[0].to_account, "carol");
  EXPECT_EQ(chunk.events()[0].counter_amount, 50);
  EXPECT_EQ(chunk.events()[1].event_id, "t1");
  EXPECT_THAT(chunk.balances_after_first(),
              ElementsAre(Pair("BTC", 6), Pair("ETH", 7), Pair("USDT", 50)));

  // A later read replaces both; an empty one clears them.
  ASSERT_OK(
      view->ReadAccountEvents("bob", StartOf(At(4)), EndOf(At(9)), 10, chunk));
  EXPECT_THAT(chunk.balances_after_first(),
              ElementsAre(Pair("BTC", 6), Pair("USDT", 50)));
  ASSERT_OK(
      view->ReadAccountEvents("bob", StartOf(At(5)), EndOf(At(9)), 10, chunk));
  EXPECT_THAT(chunk.events(), IsEmpty());
  EXPECT_THAT(chunk.balances_after_first(), IsEmpty());
}

TEST_F(AccountIndexTest, LateEventsAfterARestartRewriteTheStoredBalances) {
  Ingest({Deposit("d1", 1, "alice", "BTC", 10),
          Transfer("t1", 5, "alice", "bob", "BTC", 4),
          Deposit("d2", 7, "alice", "ETH", 3)});
  Reopen();  // nothing cached: the late event reads what is stored
  Ingest({Deposit("d0", 3, "alice", "BTC", 2)});
  EXPECT_EQ(BalanceBefore("alice", "BTC", EndOf(At(3))), 12);
  EXPECT_EQ(BalanceBefore("alice", "BTC", EndOf(At(5))), 8);
  EXPECT_EQ(BalanceBefore("alice", "BTC", EndOf(At(9))), 8);
  EXPECT_EQ(BalanceBefore("alice", "ETH", EndOf(At(9))), 3);
  // And an in-order event after them continues from the rewritten chain.
  Ingest({Withdrawal("w1", 8, "alice", "addr", "BTC", 1)});
  EXPECT_EQ(BalanceBefore("alice", "BTC", EndOf(At(9))), 7);
}

TEST_F(AccountIndexTest, AMalformedEntryIsDataLoss) {
  Ingest({Deposit("d1", 1, "alice", "BTC", 10)});
  ASSERT_TRUE(
      database_->db()
          .Put(rocksdb::WriteOptions(), database_->Family(kLedgerFamily),
               AccountEventKey("alice", {absl::ToUnixNanos(At(2)), "z"}),
               "garbage")
          .ok());
  {
    auto view = store_->OpenView();
    EXPECT_THAT(
        view->AccountEvents("alice", StartOf(At(0)), EndOf(At(9)), 10).status(),
        StatusIs(absl::StatusCode::kDataLoss, _));
    EXPECT_THAT(view->BalanceBefore("alice", "BTC", EndOf(At(9))).status(),
                StatusIs(absl::StatusCode::kDataLoss, _));
    EXPECT_THAT(view->BalancesBefore("alice", EndOf(At(9))).status(),
                StatusIs(absl::StatusCode::kDataLoss, _));
  }

  Reopen();  // so that ingest reads the stored entry
  EXPECT_THAT(
      store_
          ->Ingest({Deposit("d3", 3, "alice", "BTC", 1)}, clock_.Now(),
                   absl::Minutes(10),
                   [](const v1::IngestSummary&) {
                     return absl::StatusOr<v1::AuditEntry>(v1::AuditEntry());
                   })
          .status(),
      StatusIs(absl::StatusCode::kDataLoss, _));
}

TEST(AccountTailsTest, KeepsTheAccountsWrittenMostRecently) {
  AccountTails tails(4);  // two generations of two
  const auto update = [&](const std::string& account, int64_t nanos) {
    AccountTails::Updates updates;
    updates.emplace_back(account, AccountTails::Tail{nanos, "e", {}});
    tails.Apply(std::move(updates));
  };
  update("a", 1);
  update("b", 1);
  update("c", 1);  // a and b become the older generation
  update("a", 2);  // a moves to the newer one
  update("d", 1);  // c and a become the older generation; b is forgotten
  EXPECT_EQ(tails.Find("b"), nullptr);
  ASSERT_NE(tails.Find("a"), nullptr);
  EXPECT_EQ(tails.Find("a")->unix_nanos, 2);
  EXPECT_NE(tails.Find("c"), nullptr);
  EXPECT_NE(tails.Find("d"), nullptr);
}

}  // namespace
}  // namespace sentinel::trace::testing
