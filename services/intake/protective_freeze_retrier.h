// Keeps retrying the protective freezes that failed: a P0 report made while
// the freeze service was down (or refused) is stored with freeze_failed, and
// the account stays unfrozen until a freeze succeeds. Every `interval`, while
// an open incident waits, this asks IncidentManager::RetryFailedFreezes to
// try again, so the account is frozen as soon as the freeze service is back,
// without anyone having to notice.
#ifndef SENTINEL_SERVICES_INTAKE_PROTECTIVE_FREEZE_RETRIER_H_
#define SENTINEL_SERVICES_INTAKE_PROTECTIVE_FREEZE_RETRIER_H_

#include <functional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/time/time.h"
#include "common/periodic_thread.h"
#include "common/principal.h"
#include "incident/incident_manager.h"

namespace sentinel::services {

class ProtectiveFreezeRetrier final {
 public:
  // Starts the retry thread. `incidents` must outlive the retrier; the
  // retries are made as `retrier` (the service itself, for the audit
  // entries). `log` (may be empty) gets one line when retries start failing,
  // one when they succeed again, and one per pass that froze any account.
  ProtectiveFreezeRetrier(incident::IncidentManager& incidents,
                          Principal retrier, absl::Duration interval,
                          std::function<void(const std::string&)> log);
  // Stops the thread (a retry in progress finishes first).
  ~ProtectiveFreezeRetrier();
  ProtectiveFreezeRetrier(const ProtectiveFreezeRetrier&) = delete;
  ProtectiveFreezeRetrier& operator=(const ProtectiveFreezeRetrier&) = delete;

 private:
  void RetryOnce();
  void Log(const std::string& line) const;

  incident::IncidentManager& incidents_;
  const Principal retrier_;
  const absl::Duration interval_;
  const std::function<void(const std::string&)> log_;
  // Whether the last retry failed (only the retry thread uses it).
  bool failing_ = false;
  // Last: stopped first, before what its ticks use.
  PeriodicThread thread_;
};

}  // namespace sentinel::services

#endif  // SENTINEL_SERVICES_INTAKE_PROTECTIVE_FREEZE_RETRIER_H_
