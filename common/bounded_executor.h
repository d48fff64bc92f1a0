// A fixed pool of threads with a bounded queue, for blocking work (synced
// writes, signing) that must not run inside a gRPC reaction.
#ifndef SENTINEL_COMMON_BOUNDED_EXECUTOR_H_
#define SENTINEL_COMMON_BOUNDED_EXECUTOR_H_

#include <cstddef>
#include <deque>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace sentinel {

// Thread-safe. Tasks run in FIFO order on `threads` workers.
class BoundedExecutor final {
 public:
  // Starts `threads` workers (at least 1) that take tasks from a queue of at
  // most `max_queued` waiting tasks.
  BoundedExecutor(std::string name, size_t threads, size_t max_queued);

  // Runs every task already accepted, then joins the workers.
  ~BoundedExecutor();

  BoundedExecutor(const BoundedExecutor&) = delete;
  BoundedExecutor& operator=(const BoundedExecutor&) = delete;

  // Queues `task`. Returns false, without queuing, when the queue is full or
  // the executor is shutting down; the caller then answers the request with
  // kResourceExhausted (or kUnavailable) itself.
  bool TrySchedule(std::function<void()> task);

  const std::string& name() const { return name_; }

 private:
  void WorkLoop();
  bool HasWorkOrStopping() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const std::string name_;
  const size_t max_queued_;
  absl::Mutex mu_;
  std::deque<std::function<void()>> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> workers_;
};

}  // namespace sentinel

#endif  // SENTINEL_COMMON_BOUNDED_EXECUTOR_H_
