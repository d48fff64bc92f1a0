// The protective freeze of a P0 incident: one durable freeze of WITHDRAW,
// TRANSFER_OUT and API_KEYS, linked to the incident, idempotent per
// incident, made through an account freezer (the freeze domain in process,
// or sentinel-freeze over gRPC).
#ifndef SENTINEL_SERVICES_INTAKE_INCIDENT_PROTECTIVE_FREEZER_H_
#define SENTINEL_SERVICES_INTAKE_INCIDENT_PROTECTIVE_FREEZER_H_

#include <string>

#include "absl/status/statusor.h"
#include "common/principal.h"
#include "freeze/account_freezer.h"
#include "incident/protective_freezer.h"
#include "sentinel/v1/incident.pb.h"

namespace sentinel::services {

class IncidentProtectiveFreezer final : public incident::ProtectiveFreezer {
 public:
  // `freezer` must outlive this.
  explicit IncidentProtectiveFreezer(freeze::AccountFreezer& freezer)
      : freezer_(freezer) {}

  absl::StatusOr<std::string> Freeze(const Principal& reporter,
                                     const v1::Incident& incident) override;

 private:
  freeze::AccountFreezer& freezer_;
};

}  // namespace sentinel::services

#endif  // SENTINEL_SERVICES_INTAKE_INCIDENT_PROTECTIVE_FREEZER_H_
