// A count of the client streams of one kind in progress (evidence uploads,
// ledger ingests), to bound the memory and threads they hold: a stream
// beyond the bound is refused at once with RESOURCE_EXHAUSTED and a retry
// hint instead of queuing.
#ifndef SENTINEL_SERVICES_COMMON_STREAM_SLOTS_H_
#define SENTINEL_SERVICES_COMMON_STREAM_SLOTS_H_

#include <atomic>
#include <cstddef>

namespace sentinel::services {

// Thread-safe.
class StreamSlots final {
 public:
  explicit StreamSlots(size_t max) : max_(max) {}
  // Takes a slot; false when all `max` are taken.
  bool TryTake();
  // Returns a slot taken by TryTake.
  void Give();

 private:
  const size_t max_;
  std::atomic<size_t> taken_{0};
};

}  // namespace sentinel::services

#endif  // SENTINEL_SERVICES_COMMON_STREAM_SLOTS_H_
