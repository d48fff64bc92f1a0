// A count of the work of one kind in progress (evidence uploads, ledger
// ingests, queued emergency reports), to bound the memory and threads it
// holds: work beyond the bound is refused at once with RESOURCE_EXHAUSTED and
// a retry hint instead of queuing. Each person may hold only a share of the
// slots, so that one caller's work (idle streams, a flood of reports) never
// takes them all.
#ifndef SENTINEL_SERVICES_COMMON_STREAM_SLOTS_H_
#define SENTINEL_SERVICES_COMMON_STREAM_SLOTS_H_

#include <cstddef>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "common/principal.h"

namespace sentinel::services {

// Thread-safe.
class StreamSlots final {
 public:
  // At most `max` streams at once, and at most `max_per_person` of them for
  // one person (Principal::PersonId); `max_per_person` is clamped to
  // 1..max.
  StreamSlots(size_t max, size_t max_per_person);

  // Takes a slot for `holder`; false when all `max` are taken or `holder`
  // already holds `max_per_person`.
  bool TryTake(const Principal& holder) ABSL_LOCKS_EXCLUDED(mu_);
  // Returns a slot `holder` took with TryTake.
  void Give(const Principal& holder) ABSL_LOCKS_EXCLUDED(mu_);

  // TryTake, with the slot given back when the last copy of the returned
  // pointer goes (for work that may be dropped unrun, such as a queued
  // call its caller abandoned). nullptr when TryTake would fail. The slots
  // must outlive every copy.
  std::shared_ptr<const void> TakeShared(const Principal& holder)
      ABSL_LOCKS_EXCLUDED(mu_);

 private:
  const size_t max_;
  const size_t max_per_person_;
  absl::Mutex mu_;
  size_t taken_ ABSL_GUARDED_BY(mu_) = 0;
  absl::flat_hash_map<std::string, size_t> taken_by_ ABSL_GUARDED_BY(mu_);
};

}  // namespace sentinel::services

#endif  // SENTINEL_SERVICES_COMMON_STREAM_SLOTS_H_
