#include "client/retry.h"

#include "absl/time/clock.h"

namespace sentinel::client {

absl::Status RetryUnavailable(
    const std::function<absl::Status(absl::Time deadline)>& attempt,
    absl::Time deadline, int max_attempts, const BackoffPolicy& backoff) {
  Backoff delays(backoff);
  absl::Status status;
  for (int attempts = 1;; ++attempts) {
    status = attempt(deadline);
    if (status.code() != absl::StatusCode::kUnavailable ||
        attempts >= max_attempts) {
      return status;
    }
    const absl::Duration delay = delays.Next();
    if (absl::Now() + delay >= deadline) return status;
    absl::SleepFor(delay);
  }
}

absl::Status ValidateRetry(absl::Duration deadline, int max_attempts,
                           const BackoffPolicy& backoff) {
  if (deadline <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("deadline: must be > 0");
  }
  if (max_attempts < 1 || max_attempts > 100) {
    return absl::InvalidArgumentError("max_attempts: must be 1..100");
  }
  return ValidateBackoff(backoff, "backoff.");
}

}  // namespace sentinel::client
