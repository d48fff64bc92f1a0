// PeriodicThread runs its task again and again, and its destruction returns
// (the thread is stopped and joined) even with ticks coming every
// millisecond.
#include "common/periodic_thread.h"

#include <atomic>

#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"

namespace sentinel {
namespace {

TEST(PeriodicThreadTest, TicksUntilDestroyed) {
  std::atomic<int> ticks{0};
  absl::Notification ticked_twice;
  {
    PeriodicThread thread(absl::Milliseconds(1), [&] {
      if (++ticks == 2) ticked_twice.Notify();
    });
    ASSERT_TRUE(ticked_twice.WaitForNotificationWithTimeout(absl::Seconds(30)));
  }
  EXPECT_GE(ticks.load(), 2);
}

}  // namespace
}  // namespace sentinel
