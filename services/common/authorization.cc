#include "services/common/authorization.h"

#include <algorithm>

namespace sentinel::services {
namespace {

constexpr v1::Role kAgent = v1::ROLE_AGENT;
constexpr v1::Role kSecurity = v1::ROLE_SECURITY;
constexpr v1::Role kInternal = v1::ROLE_INTERNAL;
constexpr v1::Role kAuditor = v1::ROLE_AUDITOR;
constexpr v1::Role kAdmin = v1::ROLE_ADMIN;
constexpr v1::Role kService = v1::ROLE_SERVICE;

}  // namespace

const std::vector<MethodPolicy>& AuthorizationTable() {
  static const std::vector<MethodPolicy>* const table = new std::vector<
      MethodPolicy>{
      // FreezeService
      {"/sentinel.v1.FreezeService/FreezeAccount",
       {kAgent, kSecurity, kInternal, kAdmin}},
      {"/sentinel.v1.FreezeService/RequestUnfreeze",
       {kAgent, kSecurity, kAdmin}},
      {"/sentinel.v1.FreezeService/ApproveUnfreeze", {kSecurity}},
      {"/sentinel.v1.FreezeService/ListUnfreezeRequests",
       {kAgent, kSecurity, kAuditor, kAdmin}},
      {"/sentinel.v1.FreezeService/RejectUnfreezeRequest", {kSecurity}},
      // The domain allows only the requester.
      {"/sentinel.v1.FreezeService/CancelUnfreezeRequest",
       {kAgent, kSecurity, kAdmin}},
      {"/sentinel.v1.FreezeService/GetFreezeState",
       {kAgent, kSecurity, kInternal, kAuditor, kAdmin}},
      {"/sentinel.v1.FreezeService/CheckAccounts",
       {kAgent, kSecurity, kInternal, kAdmin}},
      {"/sentinel.v1.FreezeService/WatchFreezes",
       {kSecurity, kInternal, kAdmin}},
      {"/sentinel.v1.FreezeService/ListFrozenAccounts",
       {kAgent, kSecurity, kInternal, kAuditor, kAdmin}},
      // IncidentService
      {"/sentinel.v1.IncidentService/ReportIncident",
       {kAgent, kSecurity, kInternal, kAdmin}},
      {"/sentinel.v1.IncidentService/GetIncident",
       {kAgent, kSecurity, kInternal, kAuditor, kAdmin}},
      {"/sentinel.v1.IncidentService/ListIncidents",
       {kAgent, kSecurity, kAuditor, kAdmin}},
      {"/sentinel.v1.IncidentService/ClaimNextIncident", {kAgent, kSecurity}},
      {"/sentinel.v1.IncidentService/UpdateIncidentStatus",
       {kAgent, kSecurity, kAdmin}},
      {"/sentinel.v1.IncidentService/AddEvidence",
       {kAgent, kSecurity, kInternal, kAdmin}},
      // Agents additionally only for incidents assigned to them.
      {"/sentinel.v1.IncidentService/ReadEvidence",
       {kAgent, kSecurity, kAdmin}},
      {"/sentinel.v1.IncidentService/WatchIncidents",
       {kAgent, kSecurity, kAdmin}},
      {"/sentinel.v1.IncidentService/ListSlaBreaches",
       {kAgent, kSecurity, kAuditor, kAdmin}},
      // TraceService
      {"/sentinel.v1.TraceService/IngestLedger", {kInternal, kAdmin}},
      {"/sentinel.v1.TraceService/TraceFunds", {kSecurity, kAdmin}},
      {"/sentinel.v1.TraceService/FreezeTraceCandidates", {kSecurity, kAdmin}},
      {"/sentinel.v1.TraceService/SetAccountKinds", {kSecurity, kAdmin}},
      // A second person approves, as for an unfreeze.
      {"/sentinel.v1.TraceService/ApproveAccountKinds", {kSecurity}},
      {"/sentinel.v1.TraceService/ListInfrastructureAccounts",
       {kSecurity, kInternal, kAuditor, kAdmin}},
      // AuditService
      {"/sentinel.v1.AuditService/QueryAudit", {kSecurity, kAuditor, kAdmin}},
      {"/sentinel.v1.AuditService/GetCheckpoint",
       {kSecurity, kAuditor, kAdmin}},
      {"/sentinel.v1.AuditService/GetEntries", {kSecurity, kAuditor, kAdmin}},
      {"/sentinel.v1.AuditService/GetInclusionProof",
       {kSecurity, kAuditor, kAdmin}},
      {"/sentinel.v1.AuditService/GetConsistencyProof",
       {kSecurity, kAuditor, kAdmin}},
      {"/sentinel.v1.AuditService/WatchAudit", {kSecurity, kAuditor, kAdmin}},
      // Only the Sentinel services themselves deliver audit entries, each
      // under its own name as origin.
      {"/sentinel.v1.AuditService/DeliverAudit", {kService}},
      {"/sentinel.v1.AuditService/RecordAudit", {kService}},
  };
  return *table;
}

bool IsAllowed(absl::string_view method, v1::Role role) {
  for (const MethodPolicy& policy : AuthorizationTable()) {
    if (policy.method != method) continue;
    return std::find(policy.allowed_roles.begin(), policy.allowed_roles.end(),
                     role) != policy.allowed_roles.end();
  }
  return false;
}

const std::vector<absl::string_view>& DelegatingServices() {
  // The audit and freeze services only ever act as themselves.
  static const std::vector<absl::string_view>* const services =
      new std::vector<absl::string_view>{"intake", "trace", "console"};
  return *services;
}

bool MayActOnBehalf(const Principal& caller) {
  if (caller.role != v1::ROLE_SERVICE) return false;
  const std::vector<absl::string_view>& services = DelegatingServices();
  return std::find(services.begin(), services.end(), caller.name) !=
         services.end();
}

}  // namespace sentinel::services
