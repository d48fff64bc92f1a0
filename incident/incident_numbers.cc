#include "incident/incident_numbers.h"

#include "common/status_macros.h"

namespace sentinel::incident {

IncidentNumbers::IncidentNumbers(IncidentStore& store, uint64_t last_number)
    : store_(store), last_(last_number), leased_through_(last_number) {}

absl::StatusOr<uint64_t> IncidentNumbers::Next() {
  absl::MutexLock lock(&mu_);
  if (last_ == leased_through_) {
    const uint64_t through = last_ + kIncidentNumberLease;
    SENTINEL_RETURN_IF_ERROR(store_.LeaseNumbers(through));
    leased_through_ = through;
  }
  return ++last_;
}

}  // namespace sentinel::incident
