#include "common/periodic_thread.h"

#include <utility>

namespace sentinel {

PeriodicThread::PeriodicThread(absl::Duration interval,
                               std::function<void()> tick)
    : interval_(interval),
      tick_(std::move(tick)),
      thread_([this] { Loop(); }) {}

PeriodicThread::~PeriodicThread() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  thread_.join();
}

void PeriodicThread::Loop() {
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      const auto stopping = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return stopping_;
      };
      mu_.AwaitWithTimeout(absl::Condition(&stopping), interval_);
      if (stopping_) return;
    }
    tick_();
  }
}

}  // namespace sentinel
