// Ends client streams that send nothing for too long.
//
// A caller who opens an upload and goes quiet holds a stream slot (and the
// memory of what it sent) until gRPC's keepalive notices a dead peer, which
// a live but silent peer never is. The reaper cancels such a stream once it
// has been idle for `idle`, so its slot is given back.
#ifndef SENTINEL_SERVICES_COMMON_IDLE_STREAM_REAPER_H_
#define SENTINEL_SERVICES_COMMON_IDLE_STREAM_REAPER_H_

#include <cstdint>
#include <functional>
#include <memory>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "common/periodic_thread.h"

namespace sentinel::services {

// How long an evidence upload may send nothing before it is cancelled.
inline constexpr absl::Duration kUploadIdleTimeout = absl::Seconds(30);

// Thread-safe.
class IdleStreamReaper final {
 public:
  // Streams idle for `idle` by `clock` are cancelled. With a positive
  // `interval` a thread of the reaper's own checks every `interval`; with
  // zero only ReapIdle() does (tests). `clock` must outlive the reaper.
  IdleStreamReaper(const Clock& clock, absl::Duration idle,
                   absl::Duration interval);
  // Stops the thread. Every stream must have been forgotten.
  ~IdleStreamReaper();

  IdleStreamReaper(const IdleStreamReaper&) = delete;
  IdleStreamReaper& operator=(const IdleStreamReaper&) = delete;

  // Starts watching a stream that is active now. `cancel` is called at most
  // once, under the reaper's lock (it must not call back into the reaper),
  // when the stream has been idle for `idle`. Returns the stream's handle.
  uint64_t Watch(std::function<void()> cancel) ABSL_LOCKS_EXCLUDED(mu_);
  // The stream made progress now.
  void Touch(uint64_t handle) ABSL_LOCKS_EXCLUDED(mu_);
  // Stops watching the stream: once this returns, its `cancel` is never
  // called. Call it before whatever `cancel` refers to goes away.
  // Idempotent.
  void Forget(uint64_t handle) ABSL_LOCKS_EXCLUDED(mu_);

  // Cancels every watched stream idle for `idle` now (and stops watching
  // it). Returns how many.
  int ReapIdle() ABSL_LOCKS_EXCLUDED(mu_);

 private:
  struct Watched {
    absl::Time last_active;
    std::function<void()> cancel;
  };

  const Clock& clock_;
  const absl::Duration idle_;
  absl::Mutex mu_;
  uint64_t next_handle_ ABSL_GUARDED_BY(mu_) = 1;
  absl::flat_hash_map<uint64_t, Watched> watched_ ABSL_GUARDED_BY(mu_);
  // Last: stopped first. Null with a zero interval.
  std::unique_ptr<PeriodicThread> thread_;
};

}  // namespace sentinel::services

#endif  // SENTINEL_SERVICES_COMMON_IDLE_STREAM_REAPER_H_
