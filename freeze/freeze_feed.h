// Delivery of freeze changes to WatchFreezes subscribers.
//
// Subscribers are cursors over the store's change log, not queues: the feed
// holds no events in memory, so a slow subscriber costs nothing and never
// slows a writer. A subscriber reads the log from its cursor in batches; when
// it has caught up it asks to be woken by the next change. Once caught up, a
// subscriber that falls more than `max_lag` versions behind the newest change
// is told to resync: it should reconnect from the last version it processed.
#ifndef SENTINEL_FREEZE_FREEZE_FEED_H_
#define SENTINEL_FREEZE_FREEZE_FEED_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "freeze/freeze_store.h"
#include "sentinel/v1/freeze.pb.h"

namespace sentinel::freeze {

class FreezeSubscription;

// What FreezeSubscription::Next found.
struct FeedBatch {
  // Events after the cursor, in version order. Empty when caught up.
  std::vector<v1::FreezeEvent> events;
  // The subscriber fell too far behind; `events` holds one
  // FREEZE_EVENT_KIND_RESYNC_REQUIRED notice and nothing more will follow.
  bool resync_required = false;
  // The feed was closed (server shutting down); nothing more will follow.
  bool closed = false;
};

// Thread-safe.
class FreezeFeed final {
 public:
  // `store` must outlive the feed. `head_version` is the newest committed
  // version at start.
  FreezeFeed(const FreezeStore& store, uint64_t head_version,
             uint64_t max_lag);

  // Announces that every version up to `version` is committed and wakes the
  // subscribers waiting for it. Called by the single writer, in order.
  void Publish(uint64_t version) ABSL_LOCKS_EXCLUDED(mu_);

  // Ends every subscription: waiting subscribers are woken and their next
  // Next() reports `closed`.
  void Close() ABSL_LOCKS_EXCLUDED(mu_);

  // A subscription delivering versions greater than `from_version`.
  std::unique_ptr<FreezeSubscription> Subscribe(uint64_t from_version);

  uint64_t head() const ABSL_LOCKS_EXCLUDED(mu_);

 private:
  friend class FreezeSubscription;

  // Registers `wake` to run once when the head passes `after_version` or the
  // feed closes, replacing any earlier wake of `waiter`. Returns false, and
  // registers nothing, when that has already happened.
  bool WakeWhenPast(const void* waiter, uint64_t after_version,
                    std::function<void()> wake) ABSL_LOCKS_EXCLUDED(mu_);
  void ForgetWaiter(const void* waiter) ABSL_LOCKS_EXCLUDED(mu_);
  bool closed() const ABSL_LOCKS_EXCLUDED(mu_);

  const FreezeStore& store_;
  const uint64_t max_lag_;
  mutable absl::Mutex mu_;
  uint64_t head_ ABSL_GUARDED_BY(mu_);
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
  absl::flat_hash_map<const void*, std::function<void()>> waiters_
      ABSL_GUARDED_BY(mu_);
};

// One subscriber's cursor. Not thread-safe: one owner calls it at a time (the
// wake callback may run on any thread).
class FreezeSubscription final {
 public:
  ~FreezeSubscription();

  // Up to `max_events` events after the cursor, advancing it.
  absl::StatusOr<FeedBatch> Next(size_t max_events);

  // Registers `wake` to run once, on the publishing thread, when Next() would
  // return something new. Returns false, registering nothing, when Next()
  // already would: call Next() again instead. At most one wake is pending; a
  // later call replaces it. `wake` must not block.
  bool WakeWhenReady(std::function<void()> wake);

  uint64_t cursor() const { return cursor_; }

 private:
  friend class FreezeFeed;
  FreezeSubscription(FreezeFeed& feed, uint64_t from_version);

  FreezeFeed& feed_;
  uint64_t cursor_;
  // Set once the subscriber has caught up with the head; only then does the
  // lag bound apply (a replay may start arbitrarily far back).
  bool live_ = false;
  bool ended_ = false;
};

}  // namespace sentinel::freeze

#endif  // SENTINEL_FREEZE_FREEZE_FEED_H_
