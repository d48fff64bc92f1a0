#include "common/bounded_executor.h"

#include <algorithm>
#include <utility>

namespace sentinel {

BoundedExecutor::BoundedExecutor(std::string name, size_t threads,
                                 size_t max_queued)
    : name_(std::move(name)), max_queued_(max_queued) {
  const size_t count = std::max<size_t>(threads, 1);
  workers_.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    workers_.emplace_back([this] { WorkLoop(); });
  }
}

BoundedExecutor::~BoundedExecutor() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  for (std::thread& worker : workers_) worker.join();
}

bool BoundedExecutor::TrySchedule(std::function<void()> task) {
  absl::MutexLock lock(&mu_);
  if (stopping_ || queue_.size() >= max_queued_) return false;
  queue_.push_back(std::move(task));
  return true;
}

bool BoundedExecutor::HasWorkOrStopping() const {
  return stopping_ || !queue_.empty();
}

void BoundedExecutor::WorkLoop() {
  while (true) {
    std::function<void()> task;
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(this, &BoundedExecutor::HasWorkOrStopping));
      if (queue_.empty()) return;  // stopping, and nothing left to run
      task = std::move(queue_.front());
      queue_.pop_front();
    }
    task();
  }
}

}  // namespace sentinel
