// Tests of the freeze change feed behind WatchFreezes (common/log_feed.h over
// the freeze store): replay, live wake-ups, the lag bound and closing.

#include <atomic>

#include "common/log_feed.h"
#include "gtest/gtest.h"
#include "tests/testing/freeze_fixture.h"
#include "tests/testing/status_matchers.h"

namespace sentinel::freeze {
namespace {

using ::sentinel::testing::Agent;
using ::sentinel::testing::FreezeFixture;
using ::sentinel::testing::FreezeRequest;

void Freeze(FreezeManager& manager, const std::string& account) {
  ASSERT_OK(manager.FreezeAccount(Agent(), FreezeRequest(account)).status());
}

// A subscriber replays every change after from_version, in order.
TEST(FreezeFeedTest, ReplaysFromVersion) {
  FreezeFixture fixture;
  for (const char* account : {"a", "b", "c"})
    Freeze(fixture.manager(), account);
  auto subscription = fixture.manager().Subscribe(1);
  ASSERT_OK_AND_ASSIGN(FeedBatch<v1::FreezeEvent> batch,
                       subscription->Next(10));
  ASSERT_EQ(batch.events.size(), 2u);
  EXPECT_EQ(batch.events[0].version(), 2u);
  EXPECT_EQ(batch.events[0].account_id(), "b");
  EXPECT_EQ(batch.events[0].kind(), v1::FREEZE_EVENT_KIND_FROZEN);
  EXPECT_EQ(batch.events[1].version(), 3u);
  EXPECT_FALSE(batch.resync_required);
  ASSERT_OK_AND_ASSIGN(FeedBatch<v1::FreezeEvent> caught_up,
                       subscription->Next(10));
  EXPECT_TRUE(caught_up.events.empty());
}

// Batches are bounded by max_events.
TEST(FreezeFeedTest, BatchesAreBounded) {
  FreezeFixture fixture;
  for (const char* account : {"a", "b", "c"})
    Freeze(fixture.manager(), account);
  auto subscription = fixture.manager().Subscribe(0);
  ASSERT_OK_AND_ASSIGN(FeedBatch<v1::FreezeEvent> first, subscription->Next(2));
  EXPECT_EQ(first.events.size(), 2u);
  ASSERT_OK_AND_ASSIGN(FeedBatch<v1::FreezeEvent> second,
                       subscription->Next(2));
  ASSERT_EQ(second.events.size(), 1u);
  EXPECT_EQ(second.events[0].version(), 3u);
}

// A caught-up subscriber is woken by the next change, exactly once.
TEST(FreezeFeedTest, WakesOnNextChange) {
  FreezeFixture fixture;
  auto subscription = fixture.manager().Subscribe(0);
  ASSERT_OK_AND_ASSIGN(FeedBatch<v1::FreezeEvent> empty,
                       subscription->Next(10));
  EXPECT_TRUE(empty.events.empty());
  std::atomic<int> wakes{0};
  ASSERT_TRUE(subscription->WakeWhenReady([&] { ++wakes; }));
  Freeze(fixture.manager(), "a");
  EXPECT_EQ(wakes.load(), 1);
  Freeze(fixture.manager(), "b");
  EXPECT_EQ(wakes.load(), 1);
  // Data is waiting now, so no wake is registered.
  EXPECT_FALSE(subscription->WakeWhenReady([&] { ++wakes; }));
  ASSERT_OK_AND_ASSIGN(FeedBatch<v1::FreezeEvent> batch,
                       subscription->Next(10));
  EXPECT_EQ(batch.events.size(), 2u);
  EXPECT_EQ(batch.events[1].effective_scopes_size(), 2);
}

// A live subscriber that falls more than max_lag behind is told to resync;
// one exactly at the bound is not.
TEST(FreezeFeedTest, LaggingSubscriberIsToldToResync) {
  FreezeFixture fixture(FreezeOptions{.max_watch_lag = 3});
  auto at_bound = fixture.manager().Subscribe(0);
  auto lagging = fixture.manager().Subscribe(0);
  ASSERT_OK(at_bound->Next(10).status());  // both go live at version 0
  ASSERT_OK(lagging->Next(10).status());

  for (const char* account : {"a", "b", "c"})
    Freeze(fixture.manager(), account);
  ASSERT_OK_AND_ASSIGN(FeedBatch<v1::FreezeEvent> within, at_bound->Next(10));
  EXPECT_FALSE(within.resync_required);
  EXPECT_EQ(within.events.size(), 3u);

  Freeze(fixture.manager(), "d");
  ASSERT_OK_AND_ASSIGN(FeedBatch<v1::FreezeEvent> notice, lagging->Next(10));
  EXPECT_TRUE(notice.resync_required);
  EXPECT_TRUE(notice.events.empty());
  EXPECT_EQ(notice.head, 4u);
  ASSERT_OK_AND_ASSIGN(FeedBatch<v1::FreezeEvent> after, lagging->Next(10));
  EXPECT_TRUE(after.closed);

  // A replay from far back is not lag: it reads the log at its own pace.
  auto replay = fixture.manager().Subscribe(0);
  ASSERT_OK_AND_ASSIGN(FeedBatch<v1::FreezeEvent> replayed, replay->Next(10));
  EXPECT_FALSE(replayed.resync_required);
  EXPECT_EQ(replayed.events.size(), 4u);
}

// Closing the feed wakes waiting subscribers and ends them.
TEST(FreezeFeedTest, CloseEndsSubscriptions) {
  FreezeFixture fixture;
  auto subscription = fixture.manager().Subscribe(0);
  ASSERT_OK(subscription->Next(10).status());
  std::atomic<int> wakes{0};
  ASSERT_TRUE(subscription->WakeWhenReady([&] { ++wakes; }));
  fixture.manager().feed().Close();
  EXPECT_EQ(wakes.load(), 1);
  ASSERT_OK_AND_ASSIGN(FeedBatch<v1::FreezeEvent> batch,
                       subscription->Next(10));
  EXPECT_TRUE(batch.closed);
}

}  // namespace
}  // namespace sentinel::freeze
