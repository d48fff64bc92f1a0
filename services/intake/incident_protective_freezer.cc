#include "services/intake/incident_protective_freezer.h"

namespace sentinel::services {

absl::StatusOr<std::string> IncidentProtectiveFreezer::Freeze(
    const Principal& reporter, const v1::Incident& incident) {
  absl::StatusOr<v1::FreezeRecord> record =
      freezer_.FreezeAccount(incident::ProtectiveFreezeCaller(reporter),
                             incident::ProtectiveFreezeRequest(incident));
  if (!record.ok()) return record.status();
  return record->freeze_id();
}

}  // namespace sentinel::services
