#include "common/log_feed.h"

namespace sentinel {

LogFeed::LogFeed(uint64_t head_version, uint64_t max_lag)
    : max_lag_(max_lag), head_(head_version) {}

void LogFeed::Publish(uint64_t version) {
  absl::flat_hash_map<const void*, std::function<void()>> to_wake;
  {
    absl::MutexLock lock(&mu_);
    head_ = version;
    to_wake.swap(waiters_);
  }
  // Outside the lock: a wake may call straight back into the feed.
  for (auto& [waiter, wake] : to_wake) wake();
}

void LogFeed::Close() {
  absl::flat_hash_map<const void*, std::function<void()>> to_wake;
  {
    absl::MutexLock lock(&mu_);
    closed_ = true;
    to_wake.swap(waiters_);
  }
  for (auto& [waiter, wake] : to_wake) wake();
}

uint64_t LogFeed::head() const {
  absl::MutexLock lock(&mu_);
  return head_;
}

bool LogFeed::closed() const {
  absl::MutexLock lock(&mu_);
  return closed_;
}

bool LogFeed::WakeWhenPast(const void* waiter, uint64_t after_version,
                           std::function<void()> wake) {
  absl::MutexLock lock(&mu_);
  if (closed_ || head_ > after_version) return false;
  waiters_[waiter] = std::move(wake);
  return true;
}

void LogFeed::ForgetWaiter(const void* waiter) {
  absl::MutexLock lock(&mu_);
  waiters_.erase(waiter);
}

bool LogFeed::AwaitWaiting(size_t count, absl::Duration timeout) const {
  absl::MutexLock lock(&mu_);
  const auto enough = [this, count]() ABSL_NO_THREAD_SAFETY_ANALYSIS {
    return waiters_.size() >= count;
  };
  return mu_.AwaitWithTimeout(absl::Condition(&enough), timeout);
}

}  // namespace sentinel
