#include "services/intake/incident_protective_freezer.h"

#include "absl/strings/str_cat.h"

namespace sentinel::services {

absl::StatusOr<std::string> IncidentProtectiveFreezer::Freeze(
    const Principal& reporter, const v1::Incident& incident) {
  v1::FreezeAccountRequest request;
  request.set_account_id(incident.account_id());
  request.add_scopes(v1::FREEZE_SCOPE_WITHDRAW);
  request.add_scopes(v1::FREEZE_SCOPE_TRANSFER_OUT);
  request.add_scopes(v1::FREEZE_SCOPE_API_KEYS);
  request.set_reason(
      absl::StrCat("protective freeze for P0 incident ", incident.incident_id(),
                   " (", v1::IncidentCategory_Name(incident.category()), ")"));
  request.set_incident_id(incident.incident_id());
  request.set_idempotency_key(
      absl::StrCat("protective:", incident.incident_id()));
  absl::StatusOr<v1::FreezeRecord> record =
      freezer_.FreezeAccount(reporter, request);
  if (!record.ok()) return record.status();
  return record->freeze_id();
}

}  // namespace sentinel::services
