#include "common/idempotency_scope.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace sentinel {

absl::StatusOr<std::string> ScopedIdempotencyKey(const Principal& caller,
                                                 absl::string_view field,
                                                 absl::string_view key) {
  if (!absl::StartsWith(key, kReservedKeyPrefix)) {
    return absl::StrCat(caller.PersonId(), "/", key);
  }
  if (!caller.via.empty()) return absl::StrCat(caller.via, "/", key);
  if (caller.role == v1::ROLE_SERVICE) {
    return absl::StrCat(caller.ToString(), "/", key);
  }
  return absl::InvalidArgumentError(
      absl::StrCat(field, ": the prefix \"", kReservedKeyPrefix,
                   "\" is reserved for Sentinel's own services"));
}

}  // namespace sentinel
