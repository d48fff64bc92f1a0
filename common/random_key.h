// Random keys for idempotency: unique per action, reused by its retries.
#ifndef SENTINEL_COMMON_RANDOM_KEY_H_
#define SENTINEL_COMMON_RANDOM_KEY_H_

#include <string>

namespace sentinel {

// 32 lower-case hex digits (128 random bits). Thread-safe.
std::string RandomKey();

}  // namespace sentinel

#endif  // SENTINEL_COMMON_RANDOM_KEY_H_
