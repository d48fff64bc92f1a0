// Idempotency keys belong to the person who sent them.
//
// A key a caller sends is stored under that person's namespace, so one
// caller can never occupy, replay or block another's key (before, keys were
// global: an agent who froze a decoy account with the key of a coming P0's
// protective freeze made that freeze fail for good). Keys starting with
// kReservedKeyPrefix belong to Sentinel's own services: accepted only in a
// call a Sentinel service carries (a principal whose `via` is set, or a
// service acting as itself), and stored under that service's namespace,
// which no caller can write.
#ifndef SENTINEL_COMMON_IDEMPOTENCY_SCOPE_H_
#define SENTINEL_COMMON_IDEMPOTENCY_SCOPE_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/principal.h"

namespace sentinel {

// The prefix of the keys Sentinel's services use for their own work
// ("sentinel:protective:inc-7").
inline constexpr absl::string_view kReservedKeyPrefix = "sentinel:";

// The stored form of `key` sent by `caller`: "<caller.PersonId()>/<key>",
// or "<service>/<key>" for a reserved key carried by a Sentinel service
// ("service/intake/sentinel:protective:inc-7"). `key` must be non-empty and
// already validated as an identifier.
//
// kInvalidArgument naming `field` when `key` has the reserved prefix and no
// Sentinel service carries the call.
//
// Example:
//   SENTINEL_ASSIGN_OR_RETURN(
//       std::string stored,
//       ScopedIdempotencyKey(caller, "idempotency_key",
//                            request.idempotency_key()));
absl::StatusOr<std::string> ScopedIdempotencyKey(const Principal& caller,
                                                 absl::string_view field,
                                                 absl::string_view key);

}  // namespace sentinel

#endif  // SENTINEL_COMMON_IDEMPOTENCY_SCOPE_H_
