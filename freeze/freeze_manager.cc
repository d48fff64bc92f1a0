#include "freeze/freeze_manager.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "audit/audit_entries.h"
#include "common/idempotency_scope.h"
#include "common/paging.h"
#include "common/status_macros.h"
#include "common/time_util.h"
#include "freeze/freeze_validation.h"
#include "redaction/secret_redactor.h"

namespace sentinel::freeze {
namespace {

// Whether `request` is PENDING but undecided past its expiry at `now`.
bool IsExpired(const v1::UnfreezeRequest& request, absl::Time now) {
  return request.state() == v1::UNFREEZE_REQUEST_STATE_PENDING &&
         request.has_expires_at() && now >= FromProtoTime(request.expires_at());
}

// `request` as a reader sees it at `now`: EXPIRED once past its expiry.
v1::UnfreezeRequest Presented(v1::UnfreezeRequest request, absl::Time now) {
  if (IsExpired(request, now)) {
    request.set_state(v1::UNFREEZE_REQUEST_STATE_EXPIRED);
    *request.mutable_decided_at() = request.expires_at();
  }
  return request;
}

// Why `request` (not pending, or expired at `now`) can no longer be decided.
absl::Status NoLongerPending(const v1::UnfreezeRequest& request,
                             absl::Time now) {
  if (IsExpired(request, now)) {
    return absl::FailedPreconditionError(
        absl::StrCat("request_id: ", request.request_id(), " expired at ",
                     absl::FormatTime(FromProtoTime(request.expires_at())),
                     " undecided; request the unfreeze again"));
  }
  if (request.state() == v1::UNFREEZE_REQUEST_STATE_APPROVED) {
    return absl::FailedPreconditionError(
        absl::StrCat("request_id: ", request.request_id(),
                     " was already approved by ", request.approved_by()));
  }
  return absl::FailedPreconditionError(absl::StrCat(
      "request_id: ", request.request_id(), " is no longer pending (",
      v1::UnfreezeRequestState_Name(request.state()), ")"));
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

absl::Status FreezeManager::CheckIncidentExists(
    const v1::FreezeAccountRequest& request) const {
  const absl::string_view incident_id = request.incident_id();
  // A key reserved for Sentinel's services (ScopedIdempotencyKey refuses it
  // from anyone else) marks the protective freeze.
  if (incident_id.empty() || !options_.incident_exists ||
      absl::StartsWith(request.idempotency_key(), kReservedKeyPrefix)) {
    return absl::OkStatus();
  }
  SENTINEL_ASSIGN_OR_RETURN(const bool exists,
                            options_.incident_exists(incident_id));
  if (exists) return absl::OkStatus();
  return absl::NotFoundError(
      absl::StrCat("incident_id: no incident ", incident_id));
}

absl::StatusOr<v1::FreezeRecord> FreezeManager::FreezeAccount(
    const Principal& caller, const v1::FreezeAccountRequest& unredacted) {
  SENTINEL_RETURN_IF_ERROR(ValidateFreezeAccount(unredacted));
  SENTINEL_RETURN_IF_ERROR(CheckIncidentExists(unredacted));
  // From here on only the redacted reason exists: it is what is stored,
  // audited, and compared on an idempotent retry.
  v1::FreezeAccountRequest request = unredacted;
  request.set_reason(redaction::RedactSecrets(request.reason()).text);
  std::string idempotency_key;
  if (!request.idempotency_key().empty()) {
    SENTINEL_ASSIGN_OR_RETURN(idempotency_key,
                              ScopedIdempotencyKey(caller, "idempotency_key",
                                                   request.idempotency_key()));
  }
  absl::MutexLock lock(&write_mu_);
  if (!idempotency_key.empty()) {
    SENTINEL_ASSIGN_OR_RETURN(std::optional<std::string> existing,
                              store_.FindIdempotencyKey(idempotency_key));
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
  change.idempotency_key = std::move(idempotency_key);

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
  const absl::Time now = clock_.Now();
  if (!active->unfreeze_request_id().empty()) {
    SENTINEL_ASSIGN_OR_RETURN(
        std::optional<v1::UnfreezeRequest> pending,
        store_.FindUnfreezeRequest(active->unfreeze_request_id()));
    if (!pending.has_value() || !IsExpired(*pending, now)) {
      return absl::AlreadyExistsError(absl::StrCat(
          "freeze_id: ", request.freeze_id(), " already has unfreeze request ",
          active->unfreeze_request_id(), " pending approval"));
    }
    SENTINEL_RETURN_IF_ERROR(EndRequest(caller, {*pending, *active},
                                        v1::UNFREEZE_REQUEST_STATE_EXPIRED,
                                        v1::FREEZE_EVENT_KIND_UNFREEZE_EXPIRED,
                                        "FreezeService.ExpireUnfreezeRequest",
                                        "", now)
                                 .status());
    active->clear_unfreeze_request_id();
    active->clear_lift_requested_by();
  }

  FreezeChange change;
  v1::UnfreezeRequest& unfreeze = change.unfreeze_request.emplace();
  unfreeze.set_request_id(UnfreezeRequestId(last_version_ + 1));
  unfreeze.set_freeze_id(active->freeze_id());
  unfreeze.set_account_id(active->account_id());
  unfreeze.set_requested_by(caller.ToString());
  unfreeze.set_state(v1::UNFREEZE_REQUEST_STATE_PENDING);
  unfreeze.set_reason(redaction::RedactSecrets(request.reason()).text);
  *unfreeze.mutable_requested_at() = ToProtoTime(now);
  *unfreeze.mutable_expires_at() =
      ToProtoTime(now + options_.unfreeze_request_ttl);

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
  const absl::Time now = clock_.Now();
  if (pending->state() != v1::UNFREEZE_REQUEST_STATE_PENDING ||
      IsExpired(*pending, now)) {
    return NoLongerPending(*pending, now);
  }
  if (caller.role != v1::ROLE_SECURITY) {
    return absl::PermissionDeniedError(
        "only a principal with role security may approve an unfreeze");
  }
  if (IsSamePerson(pending->requested_by(), caller)) {
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

absl::StatusOr<v1::UnfreezeRequest> FreezeManager::RejectUnfreeze(
    const Principal& caller, const v1::RejectUnfreezeRequestRequest& request) {
  SENTINEL_RETURN_IF_ERROR(ValidateRejectUnfreeze(request));
  if (caller.role != v1::ROLE_SECURITY) {
    return absl::PermissionDeniedError(
        "only a principal with role security may reject an unfreeze request");
  }
  absl::MutexLock lock(&write_mu_);
  const absl::Time now = clock_.Now();
  SENTINEL_ASSIGN_OR_RETURN(PendingRequest pending,
                            FindPending(request.request_id(), now));
  return EndRequest(caller, pending, v1::UNFREEZE_REQUEST_STATE_REJECTED,
                    v1::FREEZE_EVENT_KIND_UNFREEZE_REJECTED,
                    "FreezeService.RejectUnfreezeRequest",
                    redaction::RedactSecrets(request.reason()).text, now);
}

absl::StatusOr<v1::UnfreezeRequest> FreezeManager::CancelUnfreeze(
    const Principal& caller, const v1::CancelUnfreezeRequestRequest& request) {
  SENTINEL_RETURN_IF_ERROR(ValidateCancelUnfreeze(request));
  absl::MutexLock lock(&write_mu_);
  const absl::Time now = clock_.Now();
  SENTINEL_ASSIGN_OR_RETURN(PendingRequest pending,
                            FindPending(request.request_id(), now));
  if (!IsSamePerson(pending.request.requested_by(), caller)) {
    return absl::PermissionDeniedError(absl::StrCat(
        "request_id: ", request.request_id(), " was requested by ",
        pending.request.requested_by(), "; only they may cancel it"));
  }
  return EndRequest(caller, pending, v1::UNFREEZE_REQUEST_STATE_CANCELLED,
                    v1::FREEZE_EVENT_KIND_UNFREEZE_CANCELLED,
                    "FreezeService.CancelUnfreezeRequest", "", now);
}

absl::StatusOr<size_t> FreezeManager::ExpireDueRequests(const Principal& caller,
                                                        size_t max) {
  absl::MutexLock lock(&write_mu_);
  const absl::Time now = clock_.Now();
  std::vector<v1::FreezeRecord> candidates;
  {
    absl::ReaderMutexLock index_lock(&index_mu_);
    candidates = index_.WithPendingRequests();
  }
  size_t expired = 0;
  for (const v1::FreezeRecord& freeze : candidates) {
    if (expired == max) break;
    SENTINEL_ASSIGN_OR_RETURN(
        std::optional<v1::UnfreezeRequest> request,
        store_.FindUnfreezeRequest(freeze.unfreeze_request_id()));
    if (!request.has_value() ||
        request->state() != v1::UNFREEZE_REQUEST_STATE_PENDING ||
        !IsExpired(*request, now)) {
      continue;
    }
    SENTINEL_RETURN_IF_ERROR(EndRequest(caller, {*request, freeze},
                                        v1::UNFREEZE_REQUEST_STATE_EXPIRED,
                                        v1::FREEZE_EVENT_KIND_UNFREEZE_EXPIRED,
                                        "FreezeService.ExpireUnfreezeRequest",
                                        "", now)
                                 .status());
    ++expired;
  }
  return expired;
}

absl::StatusOr<FreezeManager::PendingRequest> FreezeManager::FindPending(
    absl::string_view request_id, absl::Time now) const {
  SENTINEL_ASSIGN_OR_RETURN(std::optional<v1::UnfreezeRequest> request,
                            store_.FindUnfreezeRequest(request_id));
  if (!request.has_value()) {
    return absl::NotFoundError(
        absl::StrCat("request_id: no unfreeze request ", request_id));
  }
  if (request->state() != v1::UNFREEZE_REQUEST_STATE_PENDING ||
      IsExpired(*request, now)) {
    return NoLongerPending(*request, now);
  }
  absl::ReaderMutexLock index_lock(&index_mu_);
  const v1::FreezeRecord* active =
      index_.FindActive(request->account_id(), request->freeze_id());
  if (active == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat("freeze ", request->freeze_id(), " is no longer active"));
  }
  return PendingRequest{*std::move(request), *active};
}

absl::StatusOr<v1::UnfreezeRequest> FreezeManager::EndRequest(
    const Principal& caller, const PendingRequest& pending,
    v1::UnfreezeRequestState state, v1::FreezeEventKind kind,
    absl::string_view action, const std::string& reason, absl::Time now) {
  FreezeChange change;
  v1::UnfreezeRequest& ended = change.unfreeze_request.emplace(pending.request);
  ended.set_state(state);
  if (state == v1::UNFREEZE_REQUEST_STATE_EXPIRED) {
    *ended.mutable_decided_at() = pending.request.expires_at();
  } else {
    ended.set_decided_by(caller.ToString());
    *ended.mutable_decided_at() = ToProtoTime(now);
    ended.set_decision_reason(reason);
  }
  v1::FreezeRecord& freed = change.freeze.emplace(pending.freeze);
  freed.clear_unfreeze_request_id();
  freed.clear_lift_requested_by();

  ScopeSet effective;
  absl::Time hold;
  {
    absl::ReaderMutexLock index_lock(&index_mu_);
    effective = index_.EffectiveScopes(freed.account_id());
    hold = index_.Hold(freed.account_id());
  }
  change.event =
      NewEvent(caller, now, kind, freed.account_id(), freed.freeze_id());
  SetStateAfter(change.event, effective, hold, now);
  SENTINEL_ASSIGN_OR_RETURN(
      change.audit,
      audit::ChangeEntry(
          caller, now, action, Subject(freed),
          {.before = &pending.freeze, .after = &freed, .parameters = &ended}));
  const v1::UnfreezeRequest result = ended;
  const v1::FreezeRecord kept = freed;
  SENTINEL_RETURN_IF_ERROR(CommitAndApply(
      change, [&](FreezeIndex& index) { index.PutActive(kept); }));
  return result;
}

absl::StatusOr<v1::ListUnfreezeRequestsResponse>
FreezeManager::ListUnfreezeRequests(
    const v1::ListUnfreezeRequestsRequest& request) const {
  SENTINEL_ASSIGN_OR_RETURN(UnfreezeRequestPage page,
                            ValidateListUnfreezeRequests(request));
  std::optional<Principal> requester;
  if (!request.requested_by().empty()) {
    requester = ParsePrincipalShort(request.requested_by()).value();
  }
  const absl::Time now = clock_.Now();
  v1::ListUnfreezeRequestsResponse response;
  uint64_t after = page.after_number;
  size_t examined = 0;
  bool exhausted = false;
  while (static_cast<size_t>(response.requests_size()) < page.page_size &&
         examined < kUnfreezeRequestScanBudget) {
    constexpr size_t kBatch = 256;
    SENTINEL_ASSIGN_OR_RETURN(
        std::vector<v1::UnfreezeRequest> batch,
        store_.ReadUnfreezeRequests(
            after, std::min(kBatch, kUnfreezeRequestScanBudget - examined)));
    if (batch.empty()) {
      exhausted = true;
      break;
    }
    for (v1::UnfreezeRequest& stored : batch) {
      ++examined;
      after = ParseUnfreezeRequestId(stored.request_id()).value_or(after);
      v1::UnfreezeRequest shown = Presented(std::move(stored), now);
      const bool matches = shown.state() == page.state &&
                           (request.account_id().empty() ||
                            shown.account_id() == request.account_id()) &&
                           (!requester.has_value() ||
                            IsSamePerson(shown.requested_by(), *requester));
      if (matches) *response.add_requests() = std::move(shown);
      if (static_cast<size_t>(response.requests_size()) == page.page_size) {
        break;
      }
    }
  }
  if (!exhausted) response.set_next_page_token(NumberPageToken("unf", after));
  return response;
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
    for (v1::AccountFreezeState& state :
         index_.ListRestricted(page.after_account, page.page_size, now,
                               request.incident_id(), &more)) {
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
