// Delivery of an append-only, numbered log to streaming subscribers
// (WatchFreezes, WatchAudit).
//
// Subscribers are cursors over the stored log, not queues: the feed holds no
// events in memory, so a slow subscriber costs nothing and never slows a
// writer. A subscriber reads the log from its cursor in batches; when it has
// caught up it asks to be woken by the next append. Once caught up, a
// subscriber that falls more than `max_lag` versions behind the newest one
// is told to resync: it should reconnect from the last version it processed.
//
// Versions number the log from 1; the feed's head is the newest published
// version (0 for an empty log).
#ifndef SENTINEL_COMMON_LOG_FEED_H_
#define SENTINEL_COMMON_LOG_FEED_H_

#include <cstdint>
#include <functional>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace sentinel {

// The shared part of a feed: the published head and who waits for it.
// Thread-safe.
class LogFeed final {
 public:
  LogFeed(uint64_t head_version, uint64_t max_lag);

  // Announces that every version up to `version` is stored and readable, and
  // wakes the subscribers waiting for it. Called by the log's single writer,
  // in order.
  void Publish(uint64_t version) ABSL_LOCKS_EXCLUDED(mu_);

  // Ends every subscription: waiting subscribers are woken and their next
  // Next() reports `closed`. Used at shutdown.
  void Close() ABSL_LOCKS_EXCLUDED(mu_);

  uint64_t head() const ABSL_LOCKS_EXCLUDED(mu_);
  bool closed() const ABSL_LOCKS_EXCLUDED(mu_);
  uint64_t max_lag() const { return max_lag_; }

  // Registers `wake` to run once, on the publishing thread, when the head
  // passes `after_version` or the feed closes; it replaces any earlier wake
  // of `waiter`. Returns false, registering nothing, when that has already
  // happened.
  bool WakeWhenPast(const void* waiter, uint64_t after_version,
                    std::function<void()> wake) ABSL_LOCKS_EXCLUDED(mu_);
  void ForgetWaiter(const void* waiter) ABSL_LOCKS_EXCLUDED(mu_);

  // Waits until at least `count` subscribers wait for the next publish, or
  // `timeout` passes; returns whether they do. Lets a test publish exactly
  // when its subscribers are idle.
  bool AwaitWaiting(size_t count, absl::Duration timeout) const
      ABSL_LOCKS_EXCLUDED(mu_);

 private:
  const uint64_t max_lag_;
  mutable absl::Mutex mu_;
  uint64_t head_ ABSL_GUARDED_BY(mu_);
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
  absl::flat_hash_map<const void*, std::function<void()>> waiters_
      ABSL_GUARDED_BY(mu_);
};

// What LogSubscription::Next found.
template <typename Event>
struct FeedBatch {
  // Events after the cursor, in version order. Empty when caught up (or
  // when none of those read was wanted).
  std::vector<Event> events;
  // The subscriber fell too far behind; nothing more will follow.
  bool resync_required = false;
  // The feed was closed; nothing more will follow.
  bool closed = false;
  // The feed's head when the batch was taken.
  uint64_t head = 0;
};

// One subscriber's cursor over a log of `Event`s. Not thread-safe: one owner
// calls it at a time (the wake callback may run on any thread).
template <typename Event>
class LogSubscription final {
 public:
  // Reads up to `max` events with version > `after_version`, in order.
  using Reader = std::function<absl::StatusOr<std::vector<Event>>(
      uint64_t after_version, size_t max)>;
  using VersionOf = std::function<uint64_t(const Event&)>;
  // Whether the subscriber wants an event; events it does not want still
  // advance the cursor.
  using Keep = std::function<bool(const Event&)>;

  // Delivers versions greater than `from_version` that `keep` accepts (all
  // when `keep` is empty). `feed` must outlive the subscription.
  LogSubscription(LogFeed& feed, Reader reader, VersionOf version_of,
                  uint64_t from_version, Keep keep = nullptr)
      : feed_(feed),
        reader_(std::move(reader)),
        version_of_(std::move(version_of)),
        keep_(std::move(keep)),
        cursor_(from_version) {}

  ~LogSubscription() { feed_.ForgetWaiter(this); }
  LogSubscription(const LogSubscription&) = delete;
  LogSubscription& operator=(const LogSubscription&) = delete;

  // Up to `max_events` events after the cursor, advancing it. Errors are the
  // reader's storage errors.
  absl::StatusOr<FeedBatch<Event>> Next(size_t max_events) {
    FeedBatch<Event> batch;
    batch.head = feed_.head();
    if (ended_ || feed_.closed()) {
      batch.closed = true;
      return batch;
    }
    if (live_ && batch.head > cursor_ &&
        batch.head - cursor_ > feed_.max_lag()) {
      ended_ = true;
      batch.resync_required = true;
      return batch;
    }
    if (cursor_ >= batch.head) {
      live_ = true;
      return batch;
    }
    absl::StatusOr<std::vector<Event>> events = reader_(cursor_, max_events);
    if (!events.ok()) return events.status();
    batch.events = *std::move(events);
    // Never deliver past the published head: a later version may be stored
    // but not yet applied by the writer.
    while (!batch.events.empty() &&
           version_of_(batch.events.back()) > batch.head) {
      batch.events.pop_back();
    }
    if (!batch.events.empty()) cursor_ = version_of_(batch.events.back());
    if (cursor_ >= batch.head) live_ = true;
    if (keep_) {
      std::erase_if(batch.events,
                    [this](const Event& event) { return !keep_(event); });
    }
    return batch;
  }

  // Registers `wake` to run once, on the publishing thread, when Next()
  // would return something new. Returns false, registering nothing, when
  // Next() already would: call Next() again instead. `wake` must not block.
  bool WakeWhenReady(std::function<void()> wake) {
    if (ended_) return false;
    return feed_.WakeWhenPast(this, cursor_, std::move(wake));
  }

  // The last version delivered (or from_version before any).
  uint64_t cursor() const { return cursor_; }

 private:
  LogFeed& feed_;
  const Reader reader_;
  const VersionOf version_of_;
  const Keep keep_;
  uint64_t cursor_;
  // Set once the subscriber has caught up with the head; only then does the
  // lag bound apply (a replay may start arbitrarily far back).
  bool live_ = false;
  bool ended_ = false;
};

}  // namespace sentinel

#endif  // SENTINEL_COMMON_LOG_FEED_H_
