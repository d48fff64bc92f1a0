// 16 threads freeze and unfreeze the same accounts at once; the final state
// (in memory, after a restart, in the change log and in the audit log) must
// match exactly what was acknowledged.

#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "freeze/freeze_manager.h"
#include "gtest/gtest.h"
#include "tests/testing/freeze_fixture.h"
#include "tests/testing/status_matchers.h"

namespace sentinel::freeze {
namespace {

using ::sentinel::testing::FreezeFixture;
using ::sentinel::testing::FreezeRequest;

constexpr int kThreads = 16;
constexpr int kRoundsPerThread = 12;
constexpr int kAccounts = 3;

struct History {
  absl::Mutex mu;
  // freeze id -> account, for every acknowledged freeze.
  std::map<std::string, std::string> created ABSL_GUARDED_BY(mu);
  std::set<std::string> lifted ABSL_GUARDED_BY(mu);
  int acknowledged_changes ABSL_GUARDED_BY(mu) = 0;
  std::vector<std::string> errors ABSL_GUARDED_BY(mu);
};

void Worker(FreezeManager& manager, int thread, History& history) {
  const Principal requester{v1::ROLE_AGENT, absl::StrCat("agent", thread)};
  const Principal approver{v1::ROLE_SECURITY, absl::StrCat("sec", thread)};
  for (int round = 0; round < kRoundsPerThread; ++round) {
    const std::string account =
        absl::StrCat("acct-", (thread + round) % kAccounts);
    absl::StatusOr<v1::FreezeRecord> frozen =
        manager.FreezeAccount(requester, FreezeRequest(account));
    if (!frozen.ok()) {
      absl::MutexLock lock(&history.mu);
      history.errors.push_back(frozen.status().ToString());
      return;
    }
    {
      absl::MutexLock lock(&history.mu);
      history.created[frozen->freeze_id()] = account;
      ++history.acknowledged_changes;
    }
    if (round % 3 == 2) continue;  // leave every third freeze active

    v1::RequestUnfreezeRequest request;
    request.set_account_id(account);
    request.set_freeze_id(frozen->freeze_id());
    request.set_reason("verified");
    absl::StatusOr<v1::UnfreezeRequest> pending =
        manager.RequestUnfreeze(requester, request);
    if (!pending.ok()) {
      absl::MutexLock lock(&history.mu);
      history.errors.push_back(pending.status().ToString());
      return;
    }
    {
      absl::MutexLock lock(&history.mu);
      ++history.acknowledged_changes;
    }
    v1::ApproveUnfreezeRequest approve;
    approve.set_request_id(pending->request_id());
    absl::StatusOr<v1::FreezeRecord> lifted =
        manager.ApproveUnfreeze(approver, approve);
    absl::MutexLock lock(&history.mu);
    if (!lifted.ok()) {
      history.errors.push_back(lifted.status().ToString());
      return;
    }
    history.lifted.insert(lifted->freeze_id());
    ++history.acknowledged_changes;
  }
}

// The set of active freeze ids per account, as the manager reports it.
std::map<std::string, std::set<std::string>> ActiveByAccount(
    FreezeManager& manager) {
  std::map<std::string, std::set<std::string>> active;
  for (int i = 0; i < kAccounts; ++i) {
    v1::GetFreezeStateRequest request;
    request.set_account_id(absl::StrCat("acct-", i));
    absl::StatusOr<v1::AccountFreezeState> state =
        manager.GetFreezeState(request);
    EXPECT_TRUE(state.ok()) << state.status();
    if (!state.ok()) continue;
    std::set<std::string>& ids = active[request.account_id()];
    for (const v1::FreezeRecord& record : state->active_freezes()) {
      ids.insert(record.freeze_id());
    }
  }
  return active;
}

// Final state equals the acknowledged history, before and after a restart.
TEST(FreezeConcurrencyTest, FinalStateMatchesAcknowledgedHistory) {
  FreezeFixture fixture;
  History history;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back(Worker, std::ref(fixture.manager()), t,
                         std::ref(history));
  }
  for (std::thread& thread : threads) thread.join();

  absl::MutexLock lock(&history.mu);
  ASSERT_TRUE(history.errors.empty()) << history.errors.front();
  std::map<std::string, std::set<std::string>> expected;
  for (int i = 0; i < kAccounts; ++i) expected[absl::StrCat("acct-", i)];
  for (const auto& [freeze_id, account] : history.created) {
    if (!history.lifted.count(freeze_id)) expected[account].insert(freeze_id);
  }
  const uint64_t changes = static_cast<uint64_t>(history.acknowledged_changes);
  EXPECT_EQ(history.created.size(),
            static_cast<size_t>(kThreads * kRoundsPerThread));

  EXPECT_EQ(ActiveByAccount(fixture.manager()), expected);
  EXPECT_EQ(fixture.manager().feed().head(), changes);
  EXPECT_EQ(fixture.audit_log().size(), changes);

  fixture.Reopen();
  EXPECT_EQ(ActiveByAccount(fixture.manager()), expected);
  EXPECT_EQ(fixture.manager().feed().head(), changes);
  ASSERT_OK_AND_ASSIGN(uint64_t verified, fixture.VerifyAudit());
  EXPECT_EQ(verified, changes);
  ASSERT_OK_AND_ASSIGN(std::vector<v1::FreezeEvent> events,
                       fixture.store().ReadEvents(0, changes + 10));
  ASSERT_EQ(events.size(), changes);
  for (size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(events[i].version(), i + 1);
  }
}

}  // namespace
}  // namespace sentinel::freeze
