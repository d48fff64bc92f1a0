#include "trace/trace_manager.h"

#include <memory>
#include <string>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "audit/audit_entries.h"
#include "common/identifiers.h"
#include "common/paging.h"
#include "common/status_macros.h"
#include "common/time_util.h"
#include "redaction/secret_redactor.h"
#include "trace/trace_request.h"
#include "trace/tracer.h"

namespace sentinel::trace {
namespace {

absl::Status ValidateAccountKinds(const v1::SetAccountKindsRequest& request) {
  if (request.accounts().empty()) {
    return absl::InvalidArgumentError("accounts: required");
  }
  if (static_cast<size_t>(request.accounts_size()) > kMaxAccountKindEntries) {
    return absl::InvalidArgumentError(absl::StrCat(
        "accounts: ", request.accounts_size(),
        " entries, more than the limit of ", kMaxAccountKindEntries));
  }
  absl::flat_hash_set<std::string> seen;
  for (const v1::AccountKindEntry& entry : request.accounts()) {
    SENTINEL_RETURN_IF_ERROR(
        ValidateIdentifier("accounts.account_id", entry.account_id(), true));
    if (!seen.insert(entry.account_id()).second) {
      return absl::InvalidArgumentError(
          "accounts.account_id: an account is listed twice");
    }
    if (entry.kind() == v1::ACCOUNT_KIND_UNSPECIFIED) {
      return absl::InvalidArgumentError("accounts.kind: required");
    }
    if (!v1::AccountKind_IsValid(entry.kind())) {
      return absl::InvalidArgumentError(
          absl::StrCat("accounts.kind: unknown value ", entry.kind()));
    }
    SENTINEL_RETURN_IF_ERROR(ValidateText("accounts.note", entry.note(),
                                          kMaxAccountKindNoteBytes, false));
  }
  return absl::OkStatus();
}

}  // namespace

TraceManager::TraceManager(LedgerStore& store, const Clock& clock,
                           absl::Duration max_event_future_skew)
    : store_(store),
      clock_(clock),
      max_event_future_skew_(max_event_future_skew) {}

absl::StatusOr<std::vector<IngestOutcome>> TraceManager::Ingest(
    const Principal& caller, absl::Span<const v1::LedgerEvent> events) {
  const absl::Time now = clock_.Now();
  return store_.Ingest(events, now, max_event_future_skew_,
                       [&](const v1::IngestSummary& summary) {
                         return audit::ChangeEntry(
                             caller, now, "TraceService.IngestLedger",
                             v1::AuditSubject(), {.parameters = &summary});
                       });
}

absl::StatusOr<v1::TraceResult> TraceManager::TraceFunds(
    const Principal& caller, const v1::TraceFundsRequest& request) {
  const absl::Time now = clock_.Now();
  SENTINEL_ASSIGN_OR_RETURN(const TraceParams params,
                            ResolveTraceRequest(request, now));
  const std::unique_ptr<LedgerView> view = store_.OpenView();
  absl::StatusOr<v1::TraceResult> result = trace::TraceFunds(*view, params);

  v1::AuditSubject subject;
  subject.set_account_id(request.account_id());
  subject.set_incident_id(request.incident_id());
  absl::StatusOr<v1::AuditEntry> entry =
      audit::ChangeEntry(caller, now, "TraceService.TraceFunds",
                         std::move(subject), {.parameters = &request});
  absl::Status recorded = entry.status();
  if (recorded.ok()) {
    entry->mutable_outcome()->set_code(
        static_cast<int32_t>(result.status().code()));
    entry->mutable_outcome()->set_message(
        std::string(result.status().message()));
    recorded = store_.RecordAccess(*entry);
  }
  if (!recorded.ok()) {
    return absl::UnavailableError(
        "this trace could not be recorded in the audit log, so its result is "
        "withheld; retry later");
  }
  return result;
}

absl::StatusOr<v1::SetAccountKindsResponse> TraceManager::SetAccountKinds(
    const Principal& caller, const v1::SetAccountKindsRequest& request) {
  SENTINEL_RETURN_IF_ERROR(ValidateAccountKinds(request));
  const absl::Time now = clock_.Now();
  v1::SetAccountKindsResponse response;
  for (const v1::AccountKindEntry& requested : request.accounts()) {
    v1::AccountKindEntry& entry = *response.add_accounts();
    entry.set_account_id(requested.account_id());
    entry.set_kind(requested.kind());
    entry.set_note(redaction::RedactSecrets(requested.note()).text);
    entry.set_set_by(caller.ToString());
    *entry.mutable_set_at() = ToProtoTime(now);
  }
  SENTINEL_ASSIGN_OR_RETURN(
      const v1::AuditEntry entry,
      audit::ChangeEntry(caller, now, "TraceService.SetAccountKinds",
                         v1::AuditSubject(), {.after = &response}));
  SENTINEL_RETURN_IF_ERROR(store_.SetAccountKinds(
      {response.accounts().begin(), response.accounts().end()}, entry));
  return response;
}

absl::StatusOr<v1::ListInfrastructureAccountsResponse>
TraceManager::ListInfrastructureAccounts(
    const v1::ListInfrastructureAccountsRequest& request) const {
  if (request.kind() == v1::ACCOUNT_KIND_USER) {
    return absl::InvalidArgumentError(
        "kind: USER is not an infrastructure kind (leave it unset for all "
        "of them)");
  }
  if (!v1::AccountKind_IsValid(request.kind())) {
    return absl::InvalidArgumentError(
        absl::StrCat("kind: unknown value ", request.kind()));
  }
  SENTINEL_ASSIGN_OR_RETURN(
      const size_t page_size,
      PageSize("page_size", request.page_size(), kDefaultInfrastructurePageSize,
               kMaxInfrastructurePageSize));
  SENTINEL_ASSIGN_OR_RETURN(const std::string after,
                            ParseIdPageToken(request.page_token()));
  // One more than the page, to know whether another page follows.
  SENTINEL_ASSIGN_OR_RETURN(
      std::vector<v1::AccountKindEntry> entries,
      store_.ListAccountKinds(request.kind(), after, page_size + 1));
  v1::ListInfrastructureAccountsResponse response;
  const bool more = entries.size() > page_size;
  if (more) entries.resize(page_size);
  for (v1::AccountKindEntry& entry : entries) {
    *response.add_accounts() = std::move(entry);
  }
  if (more) {
    response.set_next_page_token(
        IdPageToken(response.accounts().rbegin()->account_id()));
  }
  return response;
}

}  // namespace sentinel::trace
