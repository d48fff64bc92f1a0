// The retry loop the client library's unary and client-streaming calls
// share: attempts on UNAVAILABLE with backoff, within a deadline.
#ifndef SENTINEL_CLIENT_RETRY_H_
#define SENTINEL_CLIENT_RETRY_H_

#include <functional>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "client/backoff.h"

namespace sentinel::client {

// Calls `attempt(deadline)` until it returns anything but kUnavailable,
// `max_attempts` calls were made, or the next wait would pass `deadline`;
// returns the last result. `attempt` must itself respect the deadline it is
// given.
absl::Status RetryUnavailable(
    const std::function<absl::Status(absl::Time deadline)>& attempt,
    absl::Time deadline, int max_attempts, const BackoffPolicy& backoff);

// OK, or kInvalidArgument naming the bad field.
absl::Status ValidateRetry(absl::Duration deadline, int max_attempts,
                           const BackoffPolicy& backoff);

}  // namespace sentinel::client

#endif  // SENTINEL_CLIENT_RETRY_H_
