// RocksDbLedgerStore on a real RocksDB: indexes, idempotency, rejections,
// restarts, balances under out-of-order ingest, account kinds, audit.
#include <algorithm>
#include <map>
#include <random>
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
#include "trace/ingest_summary.h"
#include "trace/ledger_balance.h"
#include "trace/ledger_position.h"
#include "trace/rocksdb_ledger_store.h"
#include "trace/trace_limits.h"

namespace sentinel::trace::testing {
namespace {

using ::sentinel::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::Eq;
using ::testing::HasSubstr;
using Disposition = IngestOutcome::Disposition;

std::vector<Disposition> Dispositions(
    const std::vector<IngestOutcome>& outcomes) {
  std::vector<Disposition> dispositions;
  for (const IngestOutcome& outcome : outcomes) {
    dispositions.push_back(outcome.disposition);
  }
  return dispositions;
}

std::vector<std::string> Ids(const std::vector<v1::LedgerEvent>& events) {
  std::vector<std::string> ids;
  for (const v1::LedgerEvent& event : events) ids.push_back(event.event_id());
  return ids;
}

class LedgerStoreTest : public LedgerTest {
 protected:
  std::vector<std::string> AccountEventIds(const std::string& account) {
    auto events = store_->OpenView()->AccountEvents(
        account, StartOf(At(-100000)), EndOf(At(100000)), 1000);
    EXPECT_OK(events.status());
    return events.ok() ? Ids(*events) : std::vector<std::string>();
  }

  int64_t BalanceBefore(const std::string& account, const std::string& asset,
                        const LedgerPosition& position) {
    auto balance = store_->OpenView()->BalanceBefore(account, asset, position);
    EXPECT_OK(balance.status());
    return balance.ok() ? *balance : -1;
  }
};

TEST_F(LedgerStoreTest, IndexesEachEventUnderItsAccountsAndAddress) {
  EXPECT_THAT(
      Dispositions(Ingest({Deposit("d1", 1, "alice", "BTC", 10),
                           Transfer("t1", 2, "alice", "bob", "BTC", 4),
                           Trade("x1", 3, "bob", "carol", "BTC", 1, "USDT", 50),
                           Withdrawal("w1", 4, "alice", "bc1q", "BTC", 2)})),
      ElementsAre(Disposition::kAccepted, Disposition::kAccepted,
                  Disposition::kAccepted, Disposition::kAccepted));
  EXPECT_THAT(AccountEventIds("alice"), ElementsAre("d1", "t1", "w1"));
  EXPECT_THAT(AccountEventIds("bob"), ElementsAre("t1", "x1"));
  EXPECT_THAT(AccountEventIds("carol"), ElementsAre("x1"));
  EXPECT_THAT(AccountEventIds("al"), ElementsAre());  // a prefix of alice

  auto view = store_->OpenView();
  ASSERT_OK_AND_ASSIGN(
      auto withdrawals,
      view->AddressEvents("bc1q", StartOf(At(0)), EndOf(At(10)), 10));
  EXPECT_THAT(Ids(withdrawals), ElementsAre("w1"));
  // [from, to): an event exactly at `to` is excluded, at `from` included.
  ASSERT_OK_AND_ASSIGN(auto window, view->AccountEvents("alice", StartOf(At(2)),
                                                        StartOf(At(4)), 10));
  EXPECT_THAT(Ids(window), ElementsAre("t1"));
  ASSERT_OK_AND_ASSIGN(
      auto limited,
      view->AccountEvents("alice", StartOf(At(0)), EndOf(At(10)), 2));
  EXPECT_THAT(Ids(limited), ElementsAre("d1", "t1"));

  EXPECT_EQ(BalanceBefore("alice", "BTC", StartOf(At(2))), 10);
  EXPECT_EQ(BalanceBefore("alice", "BTC", EndOf(At(2))), 6);
  EXPECT_EQ(BalanceBefore("alice", "BTC", EndOf(At(4))), 4);
  EXPECT_EQ(BalanceBefore("bob", "BTC", EndOf(At(3))), 3);
  EXPECT_EQ(BalanceBefore("bob", "USDT", EndOf(At(3))), 50);
  EXPECT_EQ(BalanceBefore("carol", "BTC", EndOf(At(3))), 1);
  EXPECT_EQ(BalanceBefore("carol", "USDT", EndOf(At(3))), 0);  // overdrawn
  EXPECT_EQ(BalanceBefore("nobody", "BTC", EndOf(At(3))), 0);
  ASSERT_OK_AND_ASSIGN(auto balances,
                       view->BalancesBefore("bob", EndOf(At(3))));
  ASSERT_EQ(balances.size(), 2u);
  EXPECT_EQ(balances[0].asset, "BTC");
  EXPECT_EQ(balances[0].balance, 3);
  EXPECT_EQ(balances[1].asset, "USDT");
  EXPECT_EQ(balances[1].balance, 50);
}

TEST_F(LedgerStoreTest, EventsAtOneInstantAreOrderedByEventId) {
  Ingest({Deposit("b", 5, "alice", "BTC", 1),
          Deposit("a", 5, "alice", "BTC", 2),
          Deposit("a0", 5, "alice", "BTC", 3)});
  EXPECT_THAT(AccountEventIds("alice"), ElementsAre("a", "a0", "b"));
  EXPECT_EQ(BalanceBefore("alice", "BTC", {absl::ToUnixNanos(At(5)), "a0"}), 2);
}

TEST_F(LedgerStoreTest, IsIdempotentByEventId) {
  const std::vector<v1::LedgerEvent> events = {
      Deposit("d1", 1, "alice", "BTC", 10),
      Transfer("t1", 2, "alice", "bob", "BTC", 4)};
  Ingest(events);
  const uint64_t audit_size = log_->size();

  EXPECT_THAT(Dispositions(Ingest(events)),
              ElementsAre(Disposition::kDuplicate, Disposition::kDuplicate));
  EXPECT_EQ(log_->size(), audit_size);  // nothing stored, nothing audited
  EXPECT_THAT(AccountEventIds("alice"), ElementsAre("d1", "t1"));
  EXPECT_EQ(BalanceBefore("alice", "BTC", EndOf(At(9))), 6);

  v1::LedgerEvent changed = events[1];
  changed.set_amount(5);
  const std::vector<IngestOutcome> outcomes = Ingest(
      {changed, Deposit("d2", 3, "bob", "ETH", 1),
       Deposit("d2", 3, "bob", "ETH", 1), Deposit("d2", 3, "bob", "ETH", 2)});
  EXPECT_THAT(Dispositions(outcomes),
              ElementsAre(Disposition::kRejected, Disposition::kAccepted,
                          Disposition::kDuplicate, Disposition::kRejected));
  EXPECT_EQ(outcomes[0].reason,
            "event_id: already stored for an event with different content");
  EXPECT_EQ(outcomes[3].reason,
            "event_id: used earlier in the stream for an event with different "
            "content");
  EXPECT_EQ(BalanceBefore("bob", "BTC", EndOf(At(9))), 4);
  EXPECT_EQ(BalanceBefore("bob", "ETH", EndOf(At(9))), 1);
}

TEST_F(LedgerStoreTest, RejectedEventsStoreNothingAndReportTheirPosition) {
  v1::LedgerEvent no_amount = Transfer("bad-1", 2, "mallory", "bob", "BTC", 0);
  v1::LedgerEvent future = Deposit("bad-2", 0, "mallory", "BTC", 1);
  *future.mutable_time() = ToProtoTime(clock_.Now() + absl::Minutes(11));
  const std::vector<v1::LedgerEvent> batch = {
      Deposit("d1", 1, "alice", "BTC", 10), no_amount,
      Deposit("d2", 1, "alice", "BTC", 1), future};
  const std::vector<IngestOutcome> outcomes = Ingest(batch);
  EXPECT_THAT(Dispositions(outcomes),
              ElementsAre(Disposition::kAccepted, Disposition::kRejected,
                          Disposition::kAccepted, Disposition::kRejected));
  EXPECT_EQ(outcomes[1].reason, "amount: must be > 0");
  EXPECT_EQ(outcomes[3].reason, "time: more than 10m after the server's clock");
  EXPECT_THAT(AccountEventIds("mallory"), ElementsAre());
  EXPECT_THAT(AccountEventIds("bob"), ElementsAre());
  EXPECT_EQ(BalanceBefore("bob", "BTC", EndOf(At(9))), 0);

  v1::IngestSummary summary;
  AddToSummary(batch, outcomes, 1000, summary);
  EXPECT_EQ(summary.accepted(), 2);
  EXPECT_EQ(summary.duplicates(), 0);
  EXPECT_EQ(summary.rejected(), 2);
  ASSERT_EQ(summary.rejections_size(), 2);
  EXPECT_EQ(summary.rejections(0).position(), 1001);
  EXPECT_EQ(summary.rejections(0).event_id(), "bad-1");
  EXPECT_EQ(summary.rejections(0).reason(), "amount: must be > 0");
  EXPECT_EQ(summary.rejections(1).position(), 1003);
}

TEST_F(LedgerStoreTest, SummaryListsTheFirstThousandRejectionsCutToSize) {
  std::vector<v1::LedgerEvent> events(1001);
  std::vector<IngestOutcome> outcomes(
      1001, {Disposition::kRejected, std::string(2000, 'r')});
  // 43 three-byte characters: 129 bytes, cut to 42 whole ones.
  std::string long_id;
  for (int i = 0; i < 43; ++i) long_id += "\xe2\x82\xac";
  events[0].set_event_id(long_id);
  v1::IngestSummary summary;
  AddToSummary(events, outcomes, 0, summary);
  EXPECT_EQ(summary.rejected(), 1001);
  ASSERT_EQ(summary.rejections_size(), 1000);
  EXPECT_EQ(summary.rejections(0).event_id().size(), 126u);
  EXPECT_EQ(summary.rejections(0).reason().size(), 1024u);
  EXPECT_EQ(summary.rejections(999).position(), 999);
}

TEST_F(LedgerStoreTest, SurvivesARestart) {
  Ingest({Deposit("d1", 1, "alice", "BTC", 10),
          Transfer("t1", 2, "alice", "bob", "BTC", 4)});
  SetKind("omni", v1::ACCOUNT_KIND_OMNIBUS);
  Reopen();
  EXPECT_THAT(AccountEventIds("alice"), ElementsAre("d1", "t1"));
  EXPECT_EQ(BalanceBefore("alice", "BTC", EndOf(At(9))), 6);
  EXPECT_THAT(Dispositions(Ingest({Deposit("d1", 1, "alice", "BTC", 10)})),
              ElementsAre(Disposition::kDuplicate));
  ASSERT_OK_AND_ASSIGN(v1::AccountKind kind,
                       store_->OpenView()->AccountKind("omni"));
  EXPECT_EQ(kind, v1::ACCOUNT_KIND_OMNIBUS);
}

TEST_F(LedgerStoreTest, LateEventsRewriteTheBalancesAfterThem) {
  // In order: 10 in, 15 out (the balance stops at 0), 5 in.
  Ingest({Deposit("d1", 1, "alice", "BTC", 10)});
  Ingest({Deposit("d3", 5, "alice", "BTC", 5)});
  EXPECT_EQ(BalanceBefore("alice", "BTC", EndOf(At(9))), 15);
  Ingest({Withdrawal("w2", 3, "alice", "addr", "BTC", 15)});
  EXPECT_EQ(BalanceBefore("alice", "BTC", EndOf(At(1))), 10);
  EXPECT_EQ(BalanceBefore("alice", "BTC", EndOf(At(3))), 0);
  EXPECT_EQ(BalanceBefore("alice", "BTC", EndOf(At(9))), 5);
  // A late deposit before the withdrawal changes nothing after it: the
  // withdrawal still empties the account.
  Ingest({Deposit("d0", 0, "alice", "BTC", 2)});
  EXPECT_EQ(BalanceBefore("alice", "BTC", EndOf(At(1))), 12);
  EXPECT_EQ(BalanceBefore("alice", "BTC", EndOf(At(3))), 0);
  EXPECT_EQ(BalanceBefore("alice", "BTC", EndOf(At(9))), 5);
}

// The balance index after any ingest order and batching equals that of an
// in-order replay, at every position.
TEST_F(LedgerStoreTest, BalancesDoNotDependOnIngestOrder) {
  std::mt19937 rng(7);
  const std::vector<std::string> accounts = {"a", "b", "c", "d"};
  const std::vector<std::string> assets = {"BTC", "ETH"};
  auto pick = [&](const std::vector<std::string>& from) {
    return from[std::uniform_int_distribution<size_t>(0, from.size() - 1)(rng)];
  };
  auto amount = [&] {
    return std::uniform_int_distribution<int64_t>(1, 100)(rng);
  };
  std::vector<v1::LedgerEvent> events;
  for (int i = 0; i < 400; ++i) {
    const int64_t second = i / 3;
    const std::string id = absl::StrCat("e", (i * 7919) % 1000);
    const std::string from = pick(accounts);
    std::string to = pick(accounts);
    while (to == from) to = pick(accounts);
    switch (i % 4) {
      case 0:
        events.push_back(Deposit(id, second, to, pick(assets), amount() * 3));
        break;
      case 1:
        events.push_back(
            Withdrawal(id, second, from, "x", pick(assets), amount()));
        break;
      case 2:
        events.push_back(
            Trade(id, second, from, to, "BTC", amount(), "ETH", amount()));
        break;
      default:
        events.push_back(
            Transfer(id, second, from, to, pick(assets), amount()));
    }
  }
  // What an in-order replay gives: balance before each event.
  std::vector<v1::LedgerEvent> ordered = events;
  std::sort(ordered.begin(), ordered.end(), [](const auto& a, const auto& b) {
    return PositionOf(a) < PositionOf(b);
  });
  std::map<std::pair<std::string, std::string>, int64_t> running;
  std::vector<std::map<std::pair<std::string, std::string>, int64_t>> before;
  for (const v1::LedgerEvent& event : ordered) {
    before.push_back(running);
    for (const BalanceDelta& change : BalanceDeltas(event)) {
      int64_t& balance = running[{change.account, change.asset}];
      balance = std::max<int64_t>(0, balance + change.delta);
    }
  }

  std::shuffle(events.begin(), events.end(), rng);
  for (size_t start = 0; start < events.size();) {
    const size_t size = std::uniform_int_distribution<size_t>(1, 40)(rng);
    Ingest({events.begin() + start,
            events.begin() + std::min(events.size(), start + size)});
    start += size;
  }
  auto view = store_->OpenView();
  for (size_t i = 0; i < ordered.size(); ++i) {
    for (const std::string& account : accounts) {
      for (const std::string& asset : assets) {
        ASSERT_OK_AND_ASSIGN(
            int64_t balance,
            view->BalanceBefore(account, asset, PositionOf(ordered[i])));
        EXPECT_EQ(balance, (before[i][{account, asset}]))
            << account << " " << asset << " before " << ordered[i].event_id();
      }
    }
  }
}

TEST_F(LedgerStoreTest, AFailedAuditEntryStoresNothing) {
  const std::vector<v1::LedgerEvent> events = {
      Deposit("d1", 1, "alice", "BTC", 10)};
  EXPECT_THAT(
      store_->Ingest(
          events, clock_.Now(), kDefaultMaxEventFutureSkew,
          [](const v1::IngestSummary&) -> absl::StatusOr<v1::AuditEntry> {
            return absl::InternalError("no audit");
          }),
      StatusIs(absl::StatusCode::kInternal, Eq("no audit")));
  EXPECT_THAT(AccountEventIds("alice"), ElementsAre());
  EXPECT_THAT(Dispositions(Ingest(events)),
              ElementsAre(Disposition::kAccepted));
}

TEST_F(LedgerStoreTest, EachStoringBatchIsOneAuditEntry) {
  const uint64_t before = log_->size();
  Ingest({Deposit("d1", 1, "alice", "BTC", 10),
          Deposit("bad", 1, "alice", "BTC", 0)});
  ASSERT_EQ(log_->size(), before + 1);
  audit::AuditReader reader(*database_);
  ASSERT_OK_AND_ASSIGN(auto entries,
                       reader.ReadEntries(before, 1, log_->size()));
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].action(), "TraceService.IngestLedger");
  EXPECT_EQ(entries[0].principal(), "internal/ledger-feed");
  EXPECT_THAT(entries[0].parameters(), HasSubstr("\"accepted\":\"1\""));
  EXPECT_THAT(entries[0].parameters(),
              HasSubstr("\"reason\":\"amount: must be"));
}

TEST_F(LedgerStoreTest, AccountKinds) {
  ASSERT_OK_AND_ASSIGN(auto kind, store_->OpenView()->AccountKind("omni"));
  EXPECT_EQ(kind, v1::ACCOUNT_KIND_USER);
  SetKind("omni", v1::ACCOUNT_KIND_OMNIBUS);
  SetKind("fees", v1::ACCOUNT_KIND_FEE);
  SetKind("mm", v1::ACCOUNT_KIND_MARKET_MAKER);
  ASSERT_OK_AND_ASSIGN(kind, store_->OpenView()->AccountKind("fees"));
  EXPECT_EQ(kind, v1::ACCOUNT_KIND_FEE);

  auto names = [](const std::vector<v1::AccountKindEntry>& entries) {
    std::vector<std::string> ids;
    for (const auto& entry : entries) ids.push_back(entry.account_id());
    return ids;
  };
  ASSERT_OK_AND_ASSIGN(
      auto all,
      store_->ListAccountKinds(v1::ACCOUNT_KIND_UNSPECIFIED, false, "", 10));
  EXPECT_THAT(names(all), ElementsAre("fees", "mm", "omni"));
  EXPECT_EQ(all[0].set_by(), "security/sam");
  ASSERT_OK_AND_ASSIGN(
      auto page,
      store_->ListAccountKinds(v1::ACCOUNT_KIND_UNSPECIFIED, false, "fees", 1));
  EXPECT_THAT(names(page), ElementsAre("mm"));
  ASSERT_OK_AND_ASSIGN(
      auto omnibus,
      store_->ListAccountKinds(v1::ACCOUNT_KIND_OMNIBUS, false, "", 10));
  EXPECT_THAT(names(omnibus), ElementsAre("omni"));

  SetKind("omni", v1::ACCOUNT_KIND_USER);
  ASSERT_OK_AND_ASSIGN(kind, store_->OpenView()->AccountKind("omni"));
  EXPECT_EQ(kind, v1::ACCOUNT_KIND_USER);
  ASSERT_OK_AND_ASSIGN(all, store_->ListAccountKinds(
                                v1::ACCOUNT_KIND_UNSPECIFIED, false, "", 10));
  EXPECT_THAT(names(all), ElementsAre("fees", "mm"));
}

TEST_F(LedgerStoreTest, AViewIsASnapshot) {
  Ingest({Deposit("d1", 1, "alice", "BTC", 10)});
  auto view = store_->OpenView();
  Ingest({Deposit("d0", 0, "alice", "BTC", 5)});
  ASSERT_OK_AND_ASSIGN(int64_t balance,
                       view->BalanceBefore("alice", "BTC", EndOf(At(9))));
  EXPECT_EQ(balance, 10);
  EXPECT_EQ(BalanceBefore("alice", "BTC", EndOf(At(9))), 15);
}

}  // namespace
}  // namespace sentinel::trace::testing
