// The source of wall-clock time for domain code.
//
// Domain code never calls absl::Now(): it takes a `const Clock&` so that
// expiry, cooling-off and SLA logic can be tested without sleeping.
#ifndef SENTINEL_COMMON_CLOCK_H_
#define SENTINEL_COMMON_CLOCK_H_

#include "absl/time/time.h"

namespace sentinel {

// Thread-safe: Now() may be called from any thread.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual absl::Time Now() const = 0;
};

// The real clock. Never destroyed; safe to use from any thread.
const Clock& SystemClock();

}  // namespace sentinel

#endif  // SENTINEL_COMMON_CLOCK_H_
