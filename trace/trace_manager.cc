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

// The subject of an entry about `accounts` (at least one).
v1::AuditSubject AccountsSubject(const std::vector<std::string>& accounts) {
  v1::AuditSubject subject;
  subject.set_account_id(accounts.front());
  for (size_t i = 1; i < accounts.size(); ++i) {
    subject.add_other_account_ids(accounts[i]);
  }
  return subject;
}

// 1..kMaxAccountKindEntries distinct identifiers, for `field`.
absl::Status ValidateAccountCount(absl::string_view field, size_t count) {
  if (count == 0)
    return absl::InvalidArgumentError(absl::StrCat(field, ": required"));
  if (count > kMaxAccountKindEntries) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": ", count, " entries, more than the limit of ",
                     kMaxAccountKindEntries));
  }
  return absl::OkStatus();
}

absl::Status ValidateAccountIds(
    const google::protobuf::RepeatedPtrField<std::string>& accounts) {
  SENTINEL_RETURN_IF_ERROR(
      ValidateAccountCount("account_ids", accounts.size()));
  absl::flat_hash_set<absl::string_view> seen;
  for (const std::string& account : accounts) {
    SENTINEL_RETURN_IF_ERROR(ValidateIdentifier("account_ids", account, true));
    if (!seen.insert(account).second) {
      return absl::InvalidArgumentError(
          "account_ids: an account is listed twice");
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateAccountKinds(const v1::SetAccountKindsRequest& request) {
  SENTINEL_RETURN_IF_ERROR(
      ValidateAccountCount("accounts", request.accounts_size()));
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
  absl::MutexLock lock(&kinds_mu_);
  const absl::Time now = clock_.Now();
  v1::SetAccountKindsResponse response;
  std::vector<std::string> accounts;
  for (const v1::AccountKindEntry& requested : request.accounts()) {
    v1::AccountKindEntry& entry = *response.add_accounts();
    entry.set_account_id(requested.account_id());
    entry.set_kind(requested.kind());
    entry.set_note(redaction::RedactSecrets(requested.note()).text);
    entry.set_set_by(caller.ToString());
    *entry.mutable_set_at() = ToProtoTime(now);
    entry.set_pending(requested.kind() != v1::ACCOUNT_KIND_USER);
    accounts.push_back(requested.account_id());
  }
  SENTINEL_ASSIGN_OR_RETURN(
      const v1::AuditEntry entry,
      audit::ChangeEntry(caller, now, "TraceService.SetAccountKinds",
                         AccountsSubject(accounts), {.after = &response}));
  SENTINEL_RETURN_IF_ERROR(store_.SetAccountKinds(
      {response.accounts().begin(), response.accounts().end()}, entry));
  return response;
}

absl::StatusOr<v1::ApproveAccountKindsResponse>
TraceManager::ApproveAccountKinds(
    const Principal& caller, const v1::ApproveAccountKindsRequest& request) {
  SENTINEL_RETURN_IF_ERROR(ValidateAccountIds(request.account_ids()));
  if (caller.role != v1::ROLE_SECURITY) {
    return absl::PermissionDeniedError(
        "only a principal with role security may approve a mark as "
        "infrastructure");
  }
  absl::MutexLock lock(&kinds_mu_);
  const absl::Time now = clock_.Now();
  v1::ApproveAccountKindsResponse response;
  for (const std::string& account : request.account_ids()) {
    SENTINEL_ASSIGN_OR_RETURN(std::optional<v1::AccountKindEntry> pending,
                              store_.PendingAccountKind(account));
    if (!pending.has_value()) {
      return absl::NotFoundError(absl::StrCat(
          "account_ids: ", account, " has no mark waiting for approval"));
    }
    if (IsSamePerson(pending->set_by(), caller)) {
      return absl::PermissionDeniedError(absl::StrCat(
          "account_ids: the mark of ", account, " was proposed by ",
          pending->set_by(), "; a different person must approve it"));
    }
    pending->set_pending(false);
    pending->set_approved_by(caller.ToString());
    *pending->mutable_approved_at() = ToProtoTime(now);
    *response.add_accounts() = *std::move(pending);
  }
  SENTINEL_ASSIGN_OR_RETURN(
      const v1::AuditEntry entry,
      audit::ChangeEntry(caller, now, "TraceService.ApproveAccountKinds",
                         AccountsSubject({request.account_ids().begin(),
                                          request.account_ids().end()}),
                         {.after = &response}));
  SENTINEL_RETURN_IF_ERROR(store_.ApproveAccountKinds(
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
      store_.ListAccountKinds(request.kind(), request.pending(), after,
                              page_size + 1));
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
