#include "services/intake/protective_freeze_retrier.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace sentinel::services {

ProtectiveFreezeRetrier::ProtectiveFreezeRetrier(
    incident::IncidentManager& incidents, Principal retrier,
    absl::Duration interval, std::function<void(const std::string&)> log)
    : incidents_(incidents),
      retrier_(std::move(retrier)),
      interval_(interval),
      log_(std::move(log)),
      thread_(interval_, [this] {
        if (incidents_.HasFailedFreezes()) RetryOnce();
      }) {}

ProtectiveFreezeRetrier::~ProtectiveFreezeRetrier() = default;

void ProtectiveFreezeRetrier::RetryOnce() {
  absl::StatusOr<int> frozen = incidents_.RetryFailedFreezes(retrier_);
  const bool failed = !frozen.ok() || incidents_.HasFailedFreezes();
  if (frozen.ok() && *frozen > 0) {
    Log(absl::StrCat("protective freeze retry: froze the accounts of ", *frozen,
                     " incidents event=protective_freeze_retried"));
  }
  if (failed && !failing_) {
    Log(absl::StrCat(
        "protective freeze retry: still failing, retrying every ",
        absl::FormatDuration(interval_),
        frozen.ok() ? "" : absl::StrCat(": ", frozen.status().ToString()),
        " event=protective_freeze_failing"));
  } else if (!failed && failing_) {
    Log("protective freeze retry: every open P0 incident is frozen "
        "event=protective_freeze_recovered");
  }
  failing_ = failed;
}

void ProtectiveFreezeRetrier::Log(const std::string& line) const {
  if (log_) log_(line);
}

}  // namespace sentinel::services
