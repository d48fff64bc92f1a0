// Exponential backoff with jitter for the client library's retries and
// reconnections.
#ifndef SENTINEL_CLIENT_BACKOFF_H_
#define SENTINEL_CLIENT_BACKOFF_H_

#include "absl/random/random.h"
#include "absl/status/status.h"
#include "absl/time/time.h"

namespace sentinel::client {

// Delays grow from `initial` by `multiplier` per failure up to `max`; each
// is then spread by +-20% (never above `max`) so that clients cut off
// together do not come back together.
struct BackoffPolicy {
  absl::Duration initial = absl::Milliseconds(100);
  absl::Duration max = absl::Seconds(2);
  double multiplier = 2.0;
};

// OK, or kInvalidArgument naming the bad field (`field_prefix` + "initial",
// ...): initial > 0, max >= initial, multiplier >= 1.
absl::Status ValidateBackoff(const BackoffPolicy& policy,
                             absl::string_view field_prefix);

// Not thread-safe: one per retry loop.
class Backoff final {
 public:
  explicit Backoff(BackoffPolicy policy) : policy_(policy) {}

  // The delay before the next attempt.
  absl::Duration Next();
  // Back to `initial`, after a success.
  void Reset() { current_ = absl::ZeroDuration(); }

 private:
  const BackoffPolicy policy_;
  absl::Duration current_ = absl::ZeroDuration();
  absl::BitGen random_;
};

}  // namespace sentinel::client

#endif  // SENTINEL_CLIENT_BACKOFF_H_
