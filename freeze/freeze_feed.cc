#include "freeze/freeze_feed.h"

#include <utility>

#include "common/status_macros.h"

namespace sentinel::freeze {

FreezeFeed::FreezeFeed(const FreezeStore& store, uint64_t head_version,
                       uint64_t max_lag)
    : store_(store), max_lag_(max_lag), head_(head_version) {}

void FreezeFeed::Publish(uint64_t version) {
  absl::flat_hash_map<const void*, std::function<void()>> to_wake;
  {
    absl::MutexLock lock(&mu_);
    head_ = version;
    to_wake.swap(waiters_);
  }
  // Outside the lock: a wake may call straight back into the feed.
  for (auto& [waiter, wake] : to_wake) wake();
}

void FreezeFeed::Close() {
  absl::flat_hash_map<const void*, std::function<void()>> to_wake;
  {
    absl::MutexLock lock(&mu_);
    closed_ = true;
    to_wake.swap(waiters_);
  }
  for (auto& [waiter, wake] : to_wake) wake();
}

std::unique_ptr<FreezeSubscription> FreezeFeed::Subscribe(
    uint64_t from_version) {
  return std::unique_ptr<FreezeSubscription>(
      new FreezeSubscription(*this, from_version));
}

uint64_t FreezeFeed::head() const {
  absl::MutexLock lock(&mu_);
  return head_;
}

bool FreezeFeed::closed() const {
  absl::MutexLock lock(&mu_);
  return closed_;
}

bool FreezeFeed::WakeWhenPast(const void* waiter, uint64_t after_version,
                              std::function<void()> wake) {
  absl::MutexLock lock(&mu_);
  if (closed_ || head_ > after_version) return false;
  waiters_[waiter] = std::move(wake);
  return true;
}

void FreezeFeed::ForgetWaiter(const void* waiter) {
  absl::MutexLock lock(&mu_);
  waiters_.erase(waiter);
}

FreezeSubscription::FreezeSubscription(FreezeFeed& feed, uint64_t from_version)
    : feed_(feed), cursor_(from_version) {}

FreezeSubscription::~FreezeSubscription() { feed_.ForgetWaiter(this); }

absl::StatusOr<FeedBatch> FreezeSubscription::Next(size_t max_events) {
  FeedBatch batch;
  if (ended_ || feed_.closed()) {
    batch.closed = true;
    return batch;
  }
  const uint64_t head = feed_.head();
  if (live_ && head > cursor_ && head - cursor_ > feed_.max_lag_) {
    ended_ = true;
    batch.resync_required = true;
    v1::FreezeEvent& notice = batch.events.emplace_back();
    notice.set_version(head);
    notice.set_kind(v1::FREEZE_EVENT_KIND_RESYNC_REQUIRED);
    return batch;
  }
  if (cursor_ >= head) {
    live_ = true;
    return batch;
  }
  SENTINEL_ASSIGN_OR_RETURN(batch.events,
                            feed_.store_.ReadEvents(cursor_, max_events));
  // Never deliver past the published head: a version beyond it may be
  // committed in the store but not yet applied to memory.
  while (!batch.events.empty() && batch.events.back().version() > head) {
    batch.events.pop_back();
  }
  if (!batch.events.empty()) cursor_ = batch.events.back().version();
  if (cursor_ >= head) live_ = true;
  return batch;
}

bool FreezeSubscription::WakeWhenReady(std::function<void()> wake) {
  if (ended_) return false;
  return feed_.WakeWhenPast(this, cursor_, std::move(wake));
}

}  // namespace sentinel::freeze
