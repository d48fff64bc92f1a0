#include "freeze/freeze_manager.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "audit/audit_entries.h"
#include "common/paging.h"
#include "common/status_macros.h"
#include "common/time_util.h"
#include "freeze/freeze_validation.h"
#include "redaction/secret_redactor.h"

namespace sentinel::freeze {
namespace {

// The name part of a stored "<role>/<name>" principal.
absl::string_view NameOf(absl::string_view principal) {
  const size_t slash = principal.find('/');
  return slash == absl::string_view::npos ? principal
                                          : principal.substr(slash + 1);
}

v1::AuditSubject Subject(const v1::FreezeRecord& record) {
  v1::AuditSubject subject;
  subject.set_account_id(record.account_id());
  subject.set_incident_id(record.incident_id());
  return subject;
}

// Records the account's state after a change in its event.
void SetStateAfter(v1::FreezeEvent& event, ScopeSet effective, absl::Time hold,
                   absl::Time now) {
  effective.CopyTo(event.mutable_effective_scopes());
  if (hold > now) *event.mutable_withdrawals_held_until() = ToProtoTime(hold);
}

}  // namespace

absl::StatusOr<std::unique_ptr<FreezeManager>> FreezeManager::Create(
    FreezeStore& store, const Clock& clock, FreezeOptions options) {
  SENTINEL_ASSIGN_OR_RETURN(FreezeSnapshot snapshot, store.LoadSnapshot());
  std::unique_ptr<FreezeManager> manager(
      new FreezeManager(store, clock, options, snapshot.last_version));
  absl::MutexLock lock(&manager->index_mu_);
  for (const v1::FreezeRecord& record : snapshot.active_freezes) {
    manager->index_.PutActive(record);
  }
  for (const auto& [account_id, until] : snapshot.withdrawal_holds) {
    manager->index_.SetHold(account_id, until);
  }
  return manager;
}

FreezeManager::FreezeManager(FreezeStore& store, const Clock& clock,
                             FreezeOptions options, uint64_t last_version)
    : store_(store),
      clock_(clock),
      options_(options),
      last_version_(last_version),
      feed_(last_version, options.max_watch_lag) {}

std::unique_ptr<LogSubscription<v1::FreezeEvent>> FreezeManager::Subscribe(
    uint64_t from_version) {
  return std::make_unique<LogSubscription<v1::FreezeEvent>>(
      feed_,
      [this](uint64_t after_version, size_t max) {
        return store_.ReadEvents(after_version, max);
      },
      [](const v1::FreezeEvent& event) { return event.version(); },
      from_version);
}

absl::StatusOr<v1::FreezeRecord> FreezeManager::FreezeAccount(
    const Principal& caller, const v1::FreezeAccountRequest& unredacted) {
  SENTINEL_RETURN_IF_ERROR(ValidateFreezeAccount(unredacted));
  // From here on only the redacted reason exists: it is what is stored,
  // audited, and compared on an idempotent retry.
  v1::FreezeAccountRequest request = unredacted;
  request.set_reason(redaction::RedactSecrets(request.reason()).text);
  absl::MutexLock lock(&write_mu_);
  if (!request.idempotency_key().empty()) {
    SENTINEL_ASSIGN_OR_RETURN(
        std::optional<std::string> existing,
        store_.FindIdempotencyKey(request.idempotency_key()));
    if (existing.has_value()) return ReplayIdempotent(request, *existing);
  }

  const absl::Time now = clock_.Now();
  FreezeChange change;
  v1::FreezeRecord& record = change.freeze.emplace();
  record.set_freeze_id(FreezeId(last_version_ + 1));
  record.set_account_id(request.account_id());
  ScopeSet::Of(request.scopes()).CopyTo(record.mutable_scopes());
  record.set_reason(request.reason());
  record.set_incident_id(request.incident_id());
  record.set_created_by(caller.ToString());
  *record.mutable_created_at() = ToProtoTime(now);
  record.set_state(v1::FREEZE_STATE_ACTIVE);
  record.set_created_version(last_version_ + 1);
  change.idempotency_key = request.idempotency_key();

  change.event = NewEvent(caller, now, v1::FREEZE_EVENT_KIND_FROZEN,
                          record.account_id(), record.freeze_id());
  {
    absl::ReaderMutexLock index_lock(&index_mu_);
    SetStateAfter(change.event,
                  index_.EffectiveScopes(record.account_id())
                      .Union(ScopeSet::Of(record.scopes())),
                  index_.Hold(record.account_id()), now);
  }
  SENTINEL_ASSIGN_OR_RETURN(
      change.audit,
      audit::ChangeEntry(caller, now, "FreezeService.FreezeAccount",
                         Subject(record), {.after = &record}));

  const v1::FreezeRecord created = record;
  SENTINEL_RETURN_IF_ERROR(CommitAndApply(
      change, [&](FreezeIndex& index) { index.PutActive(created); }));
  return created;
}

absl::StatusOr<v1::FreezeRecord> FreezeManager::ReplayIdempotent(
    const v1::FreezeAccountRequest& request,
    const std::string& freeze_id) const {
  SENTINEL_ASSIGN_OR_RETURN(std::optional<v1::FreezeRecord> original,
                            store_.FindFreeze(freeze_id));
  if (!original.has_value()) {
    return absl::DataLossError(
        absl::StrCat("idempotency key bound to missing freeze ", freeze_id));
  }
  const bool same_request =
      original->account_id() == request.account_id() &&
      ScopeSet::Of(original->scopes()) == ScopeSet::Of(request.scopes()) &&
      original->reason() == request.reason() &&
      original->incident_id() == request.incident_id();
  if (!same_request) {
    return absl::AlreadyExistsError(absl::StrCat(
        "idempotency_key: already used by freeze ", freeze_id,
        " for a different request; use a new key for a new freeze"));
  }
  return *std::move(original);
}

absl::StatusOr<v1::UnfreezeRequest> FreezeManager::RequestUnfreeze(
    const Principal& caller, const v1::RequestUnfreezeRequest& request) {
  SENTINEL_RETURN_IF_ERROR(ValidateRequestUnfreeze(request));
  absl::MutexLock lock(&write_mu_);
  std::optional<v1::FreezeRecord> active;
  ScopeSet effective;
  absl::Time hold;
  {
    absl::ReaderMutexLock index_lock(&index_mu_);
    const v1::FreezeRecord* found =
        index_.FindActive(request.account_id(), request.freeze_id());
    if (found != nullptr) active = *found;
    effective = index_.EffectiveScopes(request.account_id());
    hold = index_.Hold(request.account_id());
  }
  if (!active.has_value()) {
    SENTINEL_ASSIGN_OR_RETURN(std::optional<v1::FreezeRecord> stored,
                              store_.FindFreeze(request.freeze_id()));
    if (stored.has_value() && stored->account_id() == request.account_id()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "freeze_id: ", request.freeze_id(), " is already lifted"));
    }
    return absl::NotFoundError(absl::StrCat("freeze_id: no freeze ",
                                            request.freeze_id(), " on account ",
                                            request.account_id()));
  }
  if (!active->unfreeze_request_id().empty()) {
    return absl::AlreadyExistsError(absl::StrCat(
        "freeze_id: ", request.freeze_id(), " already has unfreeze request ",
        active->unfreeze_request_id(), " pending approval"));
  }

  const absl::Time now = clock_.Now();
  FreezeChange change;
  v1::UnfreezeRequest& unfreeze = change.unfreeze_request.emplace();
  unfreeze.set_request_id(UnfreezeRequestId(last_version_ + 1));
  unfreeze.set_freeze_id(active->freeze_id());
  unfreeze.set_account_id(active->account_id());
  unfreeze.set_requested_by(caller.ToString());
  unfreeze.set_state(v1::UNFREEZE_REQUEST_STATE_PENDING);
  unfreeze.set_reason(redaction::RedactSecrets(request.reason()).text);
  *unfreeze.mutable_requested_at() = ToProtoTime(now);

  v1::FreezeRecord& updated = change.freeze.emplace(*active);
  updated.set_unfreeze_request_id(unfreeze.request_id());
  updated.set_lift_requested_by(caller.ToString());

  change.event = NewEvent(caller, now, v1::FREEZE_EVENT_KIND_UNFREEZE_REQUESTED,
                          active->account_id(), active->freeze_id());
  SetStateAfter(change.event, effective, hold, now);
  SENTINEL_ASSIGN_OR_RETURN(
      change.audit,
      audit::ChangeEntry(
          caller, now, "FreezeService.RequestUnfreeze", Subject(*active),
          {.before = &*active, .after = &updated, .parameters = &unfreeze}));

  const v1::UnfreezeRequest created = unfreeze;
  const v1::FreezeRecord marked = updated;
  SENTINEL_RETURN_IF_ERROR(CommitAndApply(
      change, [&](FreezeIndex& index) { index.PutActive(marked); }));
  return created;
}

absl::StatusOr<v1::FreezeRecord> FreezeManager::ApproveUnfreeze(
    const Principal& caller, const v1::ApproveUnfreezeRequest& request) {
  SENTINEL_RETURN_IF_ERROR(ValidateApproveUnfreeze(request));
  absl::MutexLock lock(&write_mu_);
  SENTINEL_ASSIGN_OR_RETURN(std::optional<v1::UnfreezeRequest> pending,
                            store_.FindUnfreezeRequest(request.request_id()));
  if (!pending.has_value()) {
    return absl::NotFoundError(
        absl::StrCat("request_id: no unfreeze request ", request.request_id()));
  }
  if (pending->state() != v1::UNFREEZE_REQUEST_STATE_PENDING) {
    return absl::FailedPreconditionError(
        absl::StrCat("request_id: ", request.request_id(),
                     " was already approved by ", pending->approved_by()));
  }
  if (caller.role != v1::ROLE_SECURITY) {
    return absl::PermissionDeniedError(
        "only a principal with role security may approve an unfreeze");
  }
  if (NameOf(pending->requested_by()) == caller.name) {
    return absl::PermissionDeniedError(absl::StrCat(
        "request_id: ", request.request_id(), " was requested by ",
        pending->requested_by(), "; a different person must approve it"));
  }

  std::optional<v1::FreezeRecord> active;
  ScopeSet effective_after;
  absl::Time hold;
  {
    absl::ReaderMutexLock index_lock(&index_mu_);
    const v1::FreezeRecord* found =
        index_.FindActive(pending->account_id(), pending->freeze_id());
    if (found != nullptr) active = *found;
    effective_after =
        index_.EffectiveScopes(pending->account_id(), pending->freeze_id());
    hold = index_.Hold(pending->account_id());
  }
  if (!active.has_value()) {
    return absl::FailedPreconditionError(
        absl::StrCat("freeze ", pending->freeze_id(), " is no longer active"));
  }

  const absl::Time now = clock_.Now();
  FreezeChange change;
  // Lifting a freeze relaxes protection: audited before it happens.
  change.audit_rule = audit::AuditRule::kPermissive;
  v1::FreezeRecord& lifted = change.freeze.emplace(*active);
  lifted.set_state(v1::FREEZE_STATE_LIFTED);
  lifted.set_lifted_by(caller.ToString());
  *lifted.mutable_lifted_at() = ToProtoTime(now);
  if (ScopeSet::Of(active->scopes()).Contains(v1::FREEZE_SCOPE_WITHDRAW)) {
    const absl::Time held_until = now + options_.cooling_off;
    *lifted.mutable_withdrawals_held_until() = ToProtoTime(held_until);
    hold = std::max(hold, held_until);
    change.withdrawal_hold.emplace(active->account_id(), hold);
  }

  v1::UnfreezeRequest& approved = change.unfreeze_request.emplace(*pending);
  approved.set_state(v1::UNFREEZE_REQUEST_STATE_APPROVED);
  approved.set_approved_by(caller.ToString());
  *approved.mutable_approved_at() = ToProtoTime(now);

  change.event = NewEvent(caller, now, v1::FREEZE_EVENT_KIND_LIFTED,
                          active->account_id(), active->freeze_id());
  SetStateAfter(change.event, effective_after, hold, now);
  SENTINEL_ASSIGN_OR_RETURN(
      change.audit,
      audit::ChangeEntry(
          caller, now, "FreezeService.ApproveUnfreeze", Subject(*active),
          {.before = &*active, .after = &lifted, .parameters = &approved}));

  const v1::FreezeRecord result = lifted;
  const std::optional<std::pair<std::string, absl::Time>> new_hold =
      change.withdrawal_hold;
  SENTINEL_RETURN_IF_ERROR(CommitAndApply(change, [&](FreezeIndex& index) {
    index.RemoveActive(result.account_id(), result.freeze_id());
    if (new_hold.has_value()) index.SetHold(new_hold->first, new_hold->second);
  }));
  return result;
}

absl::Status FreezeManager::CommitAndApply(
    FreezeChange& change, const std::function<void(FreezeIndex&)>& apply) {
  SENTINEL_RETURN_IF_ERROR(store_.Commit(change));
  last_version_ = change.event.version();
  {
    absl::MutexLock index_lock(&index_mu_);
    apply(index_);
  }
  feed_.Publish(last_version_);
  return absl::OkStatus();
}

v1::FreezeEvent FreezeManager::NewEvent(const Principal& caller, absl::Time now,
                                        v1::FreezeEventKind kind,
                                        const std::string& account_id,
                                        const std::string& freeze_id) const {
  v1::FreezeEvent event;
  event.set_version(last_version_ + 1);
  event.set_account_id(account_id);
  event.set_kind(kind);
  event.set_freeze_id(freeze_id);
  *event.mutable_time() = ToProtoTime(now);
  event.set_actor(caller.ToString());
  return event;
}

absl::StatusOr<v1::AccountFreezeState> FreezeManager::GetFreezeState(
    const v1::GetFreezeStateRequest& request) const {
  SENTINEL_RETURN_IF_ERROR(ValidateGetFreezeState(request));
  const absl::Time now = clock_.Now();
  absl::ReaderMutexLock lock(&index_mu_);
  return index_.State(request.account_id(), now);
}

absl::StatusOr<v1::CheckAccountsResponse> FreezeManager::CheckAccounts(
    const v1::CheckAccountsRequest& request) const {
  v1::CheckAccountsResponse response;
  SENTINEL_RETURN_IF_ERROR(CheckAccountsInto(request, &response));
  return response;
}

absl::Status FreezeManager::CheckAccountsInto(
    const v1::CheckAccountsRequest& request,
    v1::CheckAccountsResponse* response) const {
  SENTINEL_RETURN_IF_ERROR(ValidateCheckAccounts(request));
  const absl::Time now = clock_.Now();
  const auto action = static_cast<v1::FreezeScope>(request.action());
  response->mutable_results()->Reserve(request.account_ids_size());
  absl::ReaderMutexLock lock(&index_mu_);
  for (const std::string& account_id : request.account_ids()) {
    index_.CheckInto(account_id, action, now, response->add_results());
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::ListFrozenAccountsResponse>
FreezeManager::ListFrozenAccounts(
    const v1::ListFrozenAccountsRequest& request) const {
  SENTINEL_ASSIGN_OR_RETURN(ListPage page, ValidateListFrozenAccounts(request));
  const absl::Time now = clock_.Now();
  v1::ListFrozenAccountsResponse response;
  bool more = false;
  {
    absl::ReaderMutexLock lock(&index_mu_);
    for (v1::AccountFreezeState& state : index_.ListRestricted(
             page.after_account, page.page_size, now, &more)) {
      *response.add_accounts() = std::move(state);
    }
  }
  if (more) {
    response.set_next_page_token(IdPageToken(
        response.accounts(response.accounts_size() - 1).account_id()));
  }
  return response;
}

}  // namespace sentinel::freeze
