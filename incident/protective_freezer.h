// How intake freezes an account for a P0 incident: WITHDRAW, TRANSFER_OUT and
// API_KEYS, linked to the incident. In sentineld this calls the freeze domain
// in process; as separate services it is a FreezeService client.
#ifndef SENTINEL_INCIDENT_PROTECTIVE_FREEZER_H_
#define SENTINEL_INCIDENT_PROTECTIVE_FREEZER_H_

#include <string>

#include "absl/status/statusor.h"
#include "common/principal.h"
#include "sentinel/v1/incident.pb.h"

namespace sentinel::incident {

// Thread-safe.
class ProtectiveFreezer {
 public:
  virtual ~ProtectiveFreezer() = default;

  // Freezes the incident's account durably, idempotently per incident (a
  // retry for the same incident returns the same freeze), on behalf of
  // `reporter`. Returns the freeze id, or why it failed.
  virtual absl::StatusOr<std::string> Freeze(const Principal& reporter,
                                             const v1::Incident& incident) = 0;
};

}  // namespace sentinel::incident

#endif  // SENTINEL_INCIDENT_PROTECTIVE_FREEZER_H_
