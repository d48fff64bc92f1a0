#include "services/freeze/unfreeze_expiry_sweeper.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/principal.h"

namespace sentinel::services {

UnfreezeExpirySweeper::UnfreezeExpirySweeper(
    freeze::FreezeManager& freezes, absl::Duration interval,
    std::function<void(const std::string&)> log)
    : freezes_(freezes),
      log_(std::move(log)),
      thread_(interval, [this] { SweepOnce(); }) {}

UnfreezeExpirySweeper::~UnfreezeExpirySweeper() = default;

void UnfreezeExpirySweeper::SweepOnce() {
  const absl::StatusOr<size_t> expired = freezes_.ExpireDueRequests(
      Principal{v1::ROLE_SERVICE, "freeze"}, kMaxExpiriesPerSweep);
  if (expired.ok() && *expired > 0) {
    Log(absl::StrCat("unfreeze requests expired: ", *expired,
                     " event=unfreeze_requests_expired"));
  }
  if (!expired.ok() && !failing_) {
    Log(absl::StrCat(
        "unfreeze expiry sweep failing: ", expired.status().ToString(),
        " event=unfreeze_expiry_failing"));
  } else if (expired.ok() && failing_) {
    Log("unfreeze expiry sweep recovered event=unfreeze_expiry_recovered");
  }
  failing_ = !expired.ok();
}

void UnfreezeExpirySweeper::Log(const std::string& line) const {
  if (log_) log_(line);
}

}  // namespace sentinel::services
