// Triage: the one table that maps an incident's category to its priority.
//
//   ACCOUNT_TAKEOVER, TWO_FA_FAILURE, UNAUTHORIZED_WITHDRAWAL      -> P0
//   PHISHING                                                       -> P1
//   WITHDRAWAL_NOT_RECEIVED, ACCOUNT_RESTRICTED_IN_ERROR           -> P2
//   TRADE_DISPUTE, POLICY_QUESTION, OTHER                          -> P3
//
// VIP level 3 and above raises P2 and P3 by one step (P2 -> P1, P3 -> P2).
#ifndef SENTINEL_INCIDENT_TRIAGE_H_
#define SENTINEL_INCIDENT_TRIAGE_H_

#include "sentinel/v1/incident.pb.h"

namespace sentinel::incident {

// The lowest VIP level whose ordinary tickets are raised one step.
inline constexpr int kVipRaiseLevel = 3;

struct Triage {
  v1::Priority priority = v1::PRIORITY_UNSPECIFIED;
  // True when the VIP level raised the category's priority.
  bool raised_for_vip = false;
};

// `category` must be a valid, specified category (validation ensures it).
Triage TriageReport(v1::IncidentCategory category, int vip_level);

// P0: the emergency lane, with a protective freeze before the reply.
inline bool IsEmergency(v1::Priority priority) {
  return priority == v1::PRIORITY_P0;
}

}  // namespace sentinel::incident

#endif  // SENTINEL_INCIDENT_TRIAGE_H_
