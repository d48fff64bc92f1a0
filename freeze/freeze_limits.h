// The freeze service's documented limits and defaults, in one place.
// proto/sentinel/v1/freeze.proto states the same numbers to clients.
#ifndef SENTINEL_FREEZE_FREEZE_LIMITS_H_
#define SENTINEL_FREEZE_FREEZE_LIMITS_H_

#include <cstddef>
#include <cstdint>

#include "absl/time/time.h"

namespace sentinel::freeze {

// Longest `reason`, in bytes.
inline constexpr size_t kMaxReasonBytes = 1024;
// Most account ids in one CheckAccounts call.
inline constexpr size_t kMaxCheckAccounts = 10000;
// ListFrozenAccounts page sizes.
inline constexpr int32_t kDefaultPageSize = 100;
inline constexpr int32_t kMaxPageSize = 1000;
// How long withdrawals stay held after a freeze covering WITHDRAW is lifted.
inline constexpr absl::Duration kDefaultCoolingOff = absl::Hours(24);
// How long an unfreeze request waits for a decision before it expires.
inline constexpr absl::Duration kDefaultUnfreezeRequestTtl = absl::Hours(72);
// Unfreeze requests one ListUnfreezeRequests call examines at most before
// returning a (possibly short) page with a token to continue.
inline constexpr size_t kUnfreezeRequestScanBudget = 10000;
// How far behind the newest change a live WatchFreezes subscriber may fall
// before it is told to resync.
inline constexpr uint64_t kDefaultMaxWatchLag = 10000;

}  // namespace sentinel::freeze

#endif  // SENTINEL_FREEZE_FREEZE_LIMITS_H_
