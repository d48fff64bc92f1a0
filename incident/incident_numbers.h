// Allocates incident numbers so that none is ever handed out twice, even
// across a crash.
//
// A P0 report freezes the account (a durable write in the freeze domain,
// carrying the incident id) before the incident itself is committed. If the
// process dies in between, the incident is not stored but its number is
// already in use by that freeze; numbering from the highest stored incident
// would give the same id to the next report, linking it to the orphaned
// freeze. So numbers are leased: before the first number of a lease is
// handed out, the end of the lease is recorded durably in the store, and a
// restart continues after it. One durable write per kIncidentNumberLease
// numbers; a restart skips the unused rest of the lease (ids stay unique and
// increasing, with a gap).
#ifndef SENTINEL_INCIDENT_INCIDENT_NUMBERS_H_
#define SENTINEL_INCIDENT_INCIDENT_NUMBERS_H_

#include <cstdint>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "incident/incident_store.h"

namespace sentinel::incident {

// Numbers recorded as in use by one durable write.
inline constexpr uint64_t kIncidentNumberLease = 100;

// Thread-safe.
class IncidentNumbers final {
 public:
  // Continues after `last_number`, the store's LastNumber() at start-up
  // (which covers every lease recorded before).
  IncidentNumbers(IncidentStore& store, uint64_t last_number);

  // The next number, covered by a durably recorded lease. Fails with the
  // store's error when a new lease cannot be recorded (nothing is handed
  // out then).
  absl::StatusOr<uint64_t> Next() ABSL_LOCKS_EXCLUDED(mu_);

 private:
  IncidentStore& store_;
  absl::Mutex mu_;
  uint64_t last_ ABSL_GUARDED_BY(mu_);
  uint64_t leased_through_ ABSL_GUARDED_BY(mu_);
};

}  // namespace sentinel::incident

#endif  // SENTINEL_INCIDENT_INCIDENT_NUMBERS_H_
