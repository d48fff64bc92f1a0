#include "incident/triage.h"

namespace sentinel::incident {
namespace {

v1::Priority CategoryPriority(v1::IncidentCategory category) {
  switch (category) {
    case v1::INCIDENT_CATEGORY_ACCOUNT_TAKEOVER:
    case v1::INCIDENT_CATEGORY_TWO_FA_FAILURE:
    case v1::INCIDENT_CATEGORY_UNAUTHORIZED_WITHDRAWAL:
      return v1::PRIORITY_P0;
    case v1::INCIDENT_CATEGORY_PHISHING:
      return v1::PRIORITY_P1;
    case v1::INCIDENT_CATEGORY_WITHDRAWAL_NOT_RECEIVED:
    case v1::INCIDENT_CATEGORY_ACCOUNT_RESTRICTED_IN_ERROR:
      return v1::PRIORITY_P2;
    default:
      return v1::PRIORITY_P3;
  }
}

}  // namespace

Triage TriageReport(v1::IncidentCategory category, int vip_level) {
  Triage triage{CategoryPriority(category), false};
  if (vip_level >= kVipRaiseLevel && (triage.priority == v1::PRIORITY_P2 ||
                                      triage.priority == v1::PRIORITY_P3)) {
    triage.priority = static_cast<v1::Priority>(triage.priority - 1);
    triage.raised_for_vip = true;
  }
  return triage;
}

}  // namespace sentinel::incident
