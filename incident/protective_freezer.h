// How intake freezes an account for a P0 incident: WITHDRAW, TRANSFER_OUT and
// API_KEYS, linked to the incident. In sentineld this calls the freeze domain
// in process; as separate services it is a FreezeService client.
#ifndef SENTINEL_INCIDENT_PROTECTIVE_FREEZER_H_
#define SENTINEL_INCIDENT_PROTECTIVE_FREEZER_H_

#include <string>

#include "absl/status/statusor.h"
#include "common/principal.h"
#include "sentinel/v1/freeze.pb.h"
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

// The policy every ProtectiveFreezer applies, in one place: the freeze of
// `incident`'s account with scopes WITHDRAW, TRANSFER_OUT and API_KEYS,
// linked to the incident, reason "protective freeze for P0 incident <id>
// (<CATEGORY>)", and the reserved idempotency key
// "sentinel:protective:<id>" that only a Sentinel service can use (see
// common/idempotency_scope.h), so no caller can take it first.
v1::FreezeAccountRequest ProtectiveFreezeRequest(const v1::Incident& incident);

// Who the protective freeze is made as: `reporter`, carried by the intake
// service (via "service/intake"), in process as over gRPC.
Principal ProtectiveFreezeCaller(const Principal& reporter);

}  // namespace sentinel::incident

#endif  // SENTINEL_INCIDENT_PROTECTIVE_FREEZER_H_
