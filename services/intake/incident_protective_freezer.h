// The protective freeze of a P0 incident through the freeze domain in the
// same process (sentineld): one durable freeze of WITHDRAW, TRANSFER_OUT and
// API_KEYS, linked to the incident, idempotent per incident.
#ifndef SENTINEL_SERVICES_INTAKE_LOCAL_PROTECTIVE_FREEZER_H_
#define SENTINEL_SERVICES_INTAKE_LOCAL_PROTECTIVE_FREEZER_H_

#include "freeze/freeze_manager.h"
#include "incident/protective_freezer.h"

namespace sentinel::services {

class LocalProtectiveFreezer final : public incident::ProtectiveFreezer {
 public:
  // `freezes` must outlive this.
  explicit LocalProtectiveFreezer(freeze::FreezeManager& freezes)
      : freezes_(freezes) {}

  absl::StatusOr<std::string> Freeze(const Principal& reporter,
                                     const v1::Incident& incident) override;

 private:
  freeze::FreezeManager& freezes_;
};

}  // namespace sentinel::services

#endif  // SENTINEL_SERVICES_INTAKE_LOCAL_PROTECTIVE_FREEZER_H_
