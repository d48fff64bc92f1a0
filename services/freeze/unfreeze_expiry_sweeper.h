// Records unfreeze requests as EXPIRED when their time is up, on a thread of
// its own, so that watchers and the audit log learn of an expiry when it
// happens rather than when someone next touches the freeze.
#ifndef SENTINEL_SERVICES_FREEZE_UNFREEZE_EXPIRY_SWEEPER_H_
#define SENTINEL_SERVICES_FREEZE_UNFREEZE_EXPIRY_SWEEPER_H_

#include <cstddef>
#include <functional>
#include <string>

#include "absl/time/time.h"
#include "common/periodic_thread.h"
#include "freeze/freeze_manager.h"

namespace sentinel::services {

// How often the sweeper looks, and the most expiries it records per look
// (the rest wait for the next one).
inline constexpr absl::Duration kUnfreezeExpirySweepInterval = absl::Minutes(1);
inline constexpr size_t kMaxExpiriesPerSweep = 1000;

class UnfreezeExpirySweeper final {
 public:
  // Starts sweeping every `interval` as service/freeze. `freezes` must
  // outlive the sweeper. `log` (may be empty) gets one line per sweep that
  // recorded expiries, and one when sweeps start failing and stop failing.
  UnfreezeExpirySweeper(freeze::FreezeManager& freezes, absl::Duration interval,
                        std::function<void(const std::string&)> log);
  // Stops the thread (a sweep in progress finishes first).
  ~UnfreezeExpirySweeper();
  UnfreezeExpirySweeper(const UnfreezeExpirySweeper&) = delete;
  UnfreezeExpirySweeper& operator=(const UnfreezeExpirySweeper&) = delete;

 private:
  void SweepOnce();
  void Log(const std::string& line) const;

  freeze::FreezeManager& freezes_;
  const std::function<void(const std::string&)> log_;
  // Whether the last sweep failed (only the sweep thread uses it).
  bool failing_ = false;
  // Last: stopped first, before what its ticks use.
  PeriodicThread thread_;
};

}  // namespace sentinel::services

#endif  // SENTINEL_SERVICES_FREEZE_UNFREEZE_EXPIRY_SWEEPER_H_
