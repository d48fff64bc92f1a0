#include "incident/protective_freezer.h"

#include "absl/strings/str_cat.h"
#include "common/idempotency_scope.h"

namespace sentinel::incident {

v1::FreezeAccountRequest ProtectiveFreezeRequest(const v1::Incident& incident) {
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
      absl::StrCat(kReservedKeyPrefix, "protective:", incident.incident_id()));
  return request;
}

Principal ProtectiveFreezeCaller(const Principal& reporter) {
  Principal caller = reporter;
  caller.via = Principal{v1::ROLE_SERVICE, "intake"}.ToString();
  return caller;
}

}  // namespace sentinel::incident
