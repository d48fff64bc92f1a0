// A thread of its own that runs one task every interval until it is
// destroyed: the shape of Sentinel's background work (retrying failed
// protective freezes, cancelling idle streams).
#ifndef SENTINEL_COMMON_PERIODIC_THREAD_H_
#define SENTINEL_COMMON_PERIODIC_THREAD_H_

#include <functional>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace sentinel {

// Thread-safe to destroy from any thread but its own.
class PeriodicThread final {
 public:
  // Starts a thread that calls `tick` every `interval` (the first call one
  // interval from now). `interval` must be positive.
  PeriodicThread(absl::Duration interval, std::function<void()> tick);
  // Stops the thread; a tick in progress finishes first, no tick starts
  // after.
  ~PeriodicThread();

  PeriodicThread(const PeriodicThread&) = delete;
  PeriodicThread& operator=(const PeriodicThread&) = delete;

 private:
  void Loop() ABSL_LOCKS_EXCLUDED(mu_);

  const absl::Duration interval_;
  const std::function<void()> tick_;
  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace sentinel

#endif  // SENTINEL_COMMON_PERIODIC_THREAD_H_
