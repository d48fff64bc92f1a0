#include "services/common/idle_stream_reaper.h"

#include <utility>

namespace sentinel::services {

IdleStreamReaper::IdleStreamReaper(const Clock& clock, absl::Duration idle,
                                   absl::Duration interval)
    : clock_(clock), idle_(idle) {
  if (interval > absl::ZeroDuration()) {
    thread_ =
        std::make_unique<PeriodicThread>(interval, [this] { ReapIdle(); });
  }
}

IdleStreamReaper::~IdleStreamReaper() { thread_.reset(); }

uint64_t IdleStreamReaper::Watch(std::function<void()> cancel) {
  absl::MutexLock lock(&mu_);
  const uint64_t handle = next_handle_++;
  watched_.emplace(handle, Watched{clock_.Now(), std::move(cancel)});
  return handle;
}

void IdleStreamReaper::Touch(uint64_t handle) {
  absl::MutexLock lock(&mu_);
  auto it = watched_.find(handle);
  if (it != watched_.end()) it->second.last_active = clock_.Now();
}

void IdleStreamReaper::Forget(uint64_t handle) {
  absl::MutexLock lock(&mu_);
  watched_.erase(handle);
}

int IdleStreamReaper::ReapIdle() {
  absl::MutexLock lock(&mu_);
  const absl::Time now = clock_.Now();
  int reaped = 0;
  for (auto it = watched_.begin(); it != watched_.end();) {
    if (now - it->second.last_active < idle_) {
      ++it;
      continue;
    }
    it->second.cancel();
    watched_.erase(it++);
    ++reaped;
  }
  return reaped;
}

}  // namespace sentinel::services
