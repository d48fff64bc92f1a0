// PeriodicThread runs its task again and again, and never after it is gone.
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
  const int after = ticks.load();
  EXPECT_GE(after, 2);
  // Joined: nothing runs any more, so the count can be read without a race.
  EXPECT_EQ(ticks.load(), after);
}

}  // namespace
}  // namespace sentinel
