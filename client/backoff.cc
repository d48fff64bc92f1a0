#include "client/backoff.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace sentinel::client {

absl::Status ValidateBackoff(const BackoffPolicy& policy,
                             absl::string_view field_prefix) {
  if (policy.initial <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        absl::StrCat(field_prefix, "initial: must be > 0"));
  }
  if (policy.max < policy.initial) {
    return absl::InvalidArgumentError(absl::StrCat(
        field_prefix, "max: must be >= ", field_prefix, "initial"));
  }
  if (!(policy.multiplier >= 1.0)) {
    return absl::InvalidArgumentError(
        absl::StrCat(field_prefix, "multiplier: must be >= 1"));
  }
  return absl::OkStatus();
}

absl::Duration Backoff::Next() {
  current_ = current_ == absl::ZeroDuration()
                 ? policy_.initial
                 : std::min(policy_.max, current_ * policy_.multiplier);
  const double spread = absl::Uniform(random_, 0.8, 1.2);
  return std::min(policy_.max, current_ * spread);
}

}  // namespace sentinel::client
