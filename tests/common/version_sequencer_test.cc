// Versions are published in order even when commits finish out of order,
// and a version whose commit failed never holds the feed back.

#include "common/version_sequencer.h"

#include "gtest/gtest.h"

namespace sentinel {
namespace {

TEST(VersionSequencerTest, PublishesOnlyRunsOfFinishedVersions) {
  LogFeed feed(/*head_version=*/10, /*max_lag=*/100);
  VersionSequencer versions(feed, 10);
  const uint64_t a = versions.Reserve();
  const uint64_t b = versions.Reserve();
  const uint64_t c = versions.Reserve();
  EXPECT_EQ(a, 11u);
  EXPECT_EQ(b, 12u);
  EXPECT_EQ(c, 13u);
  versions.Finish(c);
  EXPECT_EQ(feed.head(), 10u);  // 11 and 12 may still appear
  versions.Finish(a);
  EXPECT_EQ(feed.head(), 11u);
  versions.Finish(b);  // a failed commit finishes too, leaving a gap
  EXPECT_EQ(feed.head(), 13u);
  EXPECT_EQ(versions.Reserve(), 14u);
}

TEST(VersionSequencerTest, WakesWaitersOncePublished) {
  LogFeed feed(0, 100);
  VersionSequencer versions(feed, 0);
  int woken = 0;
  ASSERT_TRUE(feed.WakeWhenPast(&woken, 0, [&woken] { ++woken; }));
  const uint64_t first = versions.Reserve();
  const uint64_t second = versions.Reserve();
  versions.Finish(second);
  EXPECT_EQ(woken, 0);
  versions.Finish(first);
  EXPECT_EQ(woken, 1);
}

}  // namespace
}  // namespace sentinel
