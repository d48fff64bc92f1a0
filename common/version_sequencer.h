// Numbers the changes of a log whose writers commit concurrently, and
// publishes them to a LogFeed strictly in order.
//
// A writer reserves the next version before it commits and reports when the
// commit has finished, successfully or not. The feed's head only advances
// over a run of finished versions, so a subscriber never sees version n+1
// while version n may still appear. A version whose commit failed (or that a
// crash lost) is simply never stored: readers of the log skip the gap.
#ifndef SENTINEL_COMMON_VERSION_SEQUENCER_H_
#define SENTINEL_COMMON_VERSION_SEQUENCER_H_

#include <cstdint>

#include "absl/base/thread_annotations.h"
#include "absl/container/btree_set.h"
#include "absl/synchronization/mutex.h"
#include "common/log_feed.h"

namespace sentinel {

// Thread-safe.
class VersionSequencer final {
 public:
  // Versions continue after `last_version` (the newest stored one); `feed`
  // must start at that head and outlive the sequencer.
  VersionSequencer(LogFeed& feed, uint64_t last_version);

  // The next version, reserved for one commit. Every reserved version must
  // be passed to Finish exactly once, or the feed stops advancing.
  uint64_t Reserve() ABSL_LOCKS_EXCLUDED(mu_);

  // Reports that the commit of `version` is over (stored or not) and
  // publishes every version up to the first one still being committed.
  void Finish(uint64_t version) ABSL_LOCKS_EXCLUDED(mu_);

 private:
  LogFeed& feed_;
  absl::Mutex mu_;
  uint64_t last_reserved_ ABSL_GUARDED_BY(mu_);
  // Versions <= published_ are all finished.
  uint64_t published_ ABSL_GUARDED_BY(mu_);
  // Finished versions above published_.
  absl::btree_set<uint64_t> finished_ ABSL_GUARDED_BY(mu_);
};

}  // namespace sentinel

#endif  // SENTINEL_COMMON_VERSION_SEQUENCER_H_
