// The account freeze domain: freezes, the two-person unfreeze, the
// cooling-off hold on withdrawals, and the in-memory answers to the hot
// CheckAccounts path.
//
// Writes are serialized: each one validates, checks the current state, commits
// one FreezeChange (the change, its change-log event and its audit entry,
// durably), and only then updates memory and wakes watchers. A failed commit
// leaves memory untouched. Reads are answered from memory under a shared lock
// and never wait for a write's fsync.
#ifndef SENTINEL_FREEZE_FREEZE_MANAGER_H_
#define SENTINEL_FREEZE_FREEZE_MANAGER_H_

#include <cstdint>
#include <functional>
#include <memory>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "common/log_feed.h"
#include "common/principal.h"
#include "freeze/freeze_index.h"
#include "freeze/freeze_limits.h"
#include "freeze/freeze_store.h"
#include "sentinel/v1/freeze.pb.h"

namespace sentinel::freeze {

struct FreezeOptions {
  // How long withdrawals stay held after a freeze covering WITHDRAW is lifted.
  absl::Duration cooling_off = kDefaultCoolingOff;
  // See LogFeed.
  uint64_t max_watch_lag = kDefaultMaxWatchLag;
  // How long an unfreeze request waits for a decision before it expires.
  absl::Duration unfreeze_request_ttl = kDefaultUnfreezeRequestTtl;
  // Whether an incident exists, where the freeze service can see incidents
  // (hosted with intake in one process); errors are storage errors. Unset:
  // a freeze's incident_id is checked for its form only.
  std::function<absl::StatusOr<bool>(absl::string_view incident_id)>
      incident_exists;
};

// Thread-safe: every method may be called concurrently.
class FreezeManager final {
 public:
  // Rebuilds the in-memory state from `store`. `store` and `clock` must
  // outlive the manager. Errors are storage failures.
  static absl::StatusOr<std::unique_ptr<FreezeManager>> Create(
      FreezeStore& store, const Clock& clock, FreezeOptions options);

  // Freezes the request's scopes on the account. The reason is redacted for
  // secrets (redaction/secret_redactor.h) before it is stored or audited.
  // Returns the new record, or the original one for a retry with the same
  // idempotency key and request (reasons compared once redacted).
  //
  // Errors: kInvalidArgument (names the field), kNotFound for an
  // incident_id that names no incident (with options.incident_exists; the
  // protective freeze, under a key reserved for Sentinel's services, is
  // exempt: it precedes the commit of the incident it names),
  // kAlreadyExists (the idempotency key was used for a different request),
  // storage errors.
  absl::StatusOr<v1::FreezeRecord> FreezeAccount(
      const Principal& caller, const v1::FreezeAccountRequest& request)
      ABSL_LOCKS_EXCLUDED(write_mu_, index_mu_);

  // Records a request to lift one active freeze, expiring after
  // options.unfreeze_request_ttl; its reason is redacted for secrets before
  // it is stored or audited. A pending request of the freeze that has
  // expired is first recorded as EXPIRED (its own change: event
  // UNFREEZE_EXPIRED, audit action "FreezeService.ExpireUnfreezeRequest").
  //
  // Errors: kInvalidArgument; kNotFound (no such freeze on that account);
  // kFailedPrecondition (the freeze is already lifted); kAlreadyExists (an
  // unfreeze request is already pending for it).
  absl::StatusOr<v1::UnfreezeRequest> RequestUnfreeze(
      const Principal& caller, const v1::RequestUnfreezeRequest& request)
      ABSL_LOCKS_EXCLUDED(write_mu_, index_mu_);

  // Approves a pending request and lifts its freeze; starts the withdrawal
  // hold when the freeze covered WITHDRAW. Returns the lifted record.
  //
  // Errors: kInvalidArgument (malformed id); kNotFound (no such request);
  // kPermissionDenied (the caller made the request, or is not security);
  // kFailedPrecondition (no longer pending: approved, rejected, cancelled,
  // or expired).
  absl::StatusOr<v1::FreezeRecord> ApproveUnfreeze(
      const Principal& caller, const v1::ApproveUnfreezeRequest& request)
      ABSL_LOCKS_EXCLUDED(write_mu_, index_mu_);

  // Turns a pending request down: REJECTED with the caller and the reason;
  // the freeze stays and may get a new request. Event UNFREEZE_REJECTED.
  //
  // Errors: kInvalidArgument; kNotFound; kPermissionDenied (not security);
  // kFailedPrecondition (no longer pending, or expired).
  absl::StatusOr<v1::UnfreezeRequest> RejectUnfreeze(
      const Principal& caller, const v1::RejectUnfreezeRequestRequest& request)
      ABSL_LOCKS_EXCLUDED(write_mu_, index_mu_);

  // The requester withdraws their own pending request: CANCELLED; the
  // freeze stays and may get a new request. Event UNFREEZE_CANCELLED.
  //
  // Errors: kInvalidArgument; kNotFound; kPermissionDenied (another person
  // made the request); kFailedPrecondition (no longer pending, or expired).
  absl::StatusOr<v1::UnfreezeRequest> CancelUnfreeze(
      const Principal& caller, const v1::CancelUnfreezeRequestRequest& request)
      ABSL_LOCKS_EXCLUDED(write_mu_, index_mu_);

  // Unfreeze requests in request.state (PENDING by default), oldest first,
  // optionally of one account or one requester (the same person, whatever
  // the role or case). A PENDING request past its expires_at is shown
  // EXPIRED. Examines at most kUnfreezeRequestScanBudget requests per call.
  // Errors: kInvalidArgument naming the field; storage errors.
  absl::StatusOr<v1::ListUnfreezeRequestsResponse> ListUnfreezeRequests(
      const v1::ListUnfreezeRequestsRequest& request) const;

  // From memory. Errors: kInvalidArgument.
  absl::StatusOr<v1::AccountFreezeState> GetFreezeState(
      const v1::GetFreezeStateRequest& request) const
      ABSL_LOCKS_EXCLUDED(index_mu_);
  absl::StatusOr<v1::CheckAccountsResponse> CheckAccounts(
      const v1::CheckAccountsRequest& request) const
      ABSL_LOCKS_EXCLUDED(index_mu_);
  // The same, written into `*response` (which may live on an arena; it must
  // be empty); nothing is written on error.
  absl::Status CheckAccountsInto(const v1::CheckAccountsRequest& request,
                                 v1::CheckAccountsResponse* response) const
      ABSL_LOCKS_EXCLUDED(index_mu_);
  absl::StatusOr<v1::ListFrozenAccountsResponse> ListFrozenAccounts(
      const v1::ListFrozenAccountsRequest& request) const
      ABSL_LOCKS_EXCLUDED(index_mu_);

  // Records as EXPIRED every pending unfreeze request past its expiry, at
  // most `max` per call, each its own change (event UNFREEZE_EXPIRED, audit
  // action "FreezeService.ExpireUnfreezeRequest" by `caller`, the service
  // itself), so that watchers and the audit log learn of an expiry when it
  // happens, not when someone next touches the freeze. Readers show an
  // expired request as EXPIRED either way. Returns how many it recorded;
  // errors are storage errors (those recorded before stay).
  absl::StatusOr<size_t> ExpireDueRequests(const Principal& caller, size_t max)
      ABSL_LOCKS_EXCLUDED(write_mu_, index_mu_);

  // A cursor over the change log delivering versions after `from_version`,
  // for WatchFreezes. The manager must outlive it.
  std::unique_ptr<LogSubscription<v1::FreezeEvent>> Subscribe(
      uint64_t from_version);

  // The change feed's head and shutdown switch.
  LogFeed& feed() { return feed_; }

 private:
  FreezeManager(FreezeStore& store, const Clock& clock, FreezeOptions options,
                uint64_t last_version);

  // OK unless options_.incident_exists says the request's incident_id names
  // no incident (see FreezeAccount).
  absl::Status CheckIncidentExists(
      const v1::FreezeAccountRequest& request) const;

  // Commits `change` (whose event carries the next version) and applies it to
  // memory with `apply`, then wakes watchers.
  absl::Status CommitAndApply(FreezeChange& change,
                              const std::function<void(FreezeIndex&)>& apply)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_) ABSL_LOCKS_EXCLUDED(index_mu_);

  // A new change-log event for `account_id` at the next version.
  v1::FreezeEvent NewEvent(const Principal& caller, absl::Time now,
                           v1::FreezeEventKind kind,
                           const std::string& account_id,
                           const std::string& freeze_id) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);

  // The pending request `request_id` with its active freeze, for a decision
  // at `now`. kNotFound; kFailedPrecondition when it is no longer pending or
  // has expired.
  struct PendingRequest {
    v1::UnfreezeRequest request;
    v1::FreezeRecord freeze;
  };
  absl::StatusOr<PendingRequest> FindPending(absl::string_view request_id,
                                             absl::Time now) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_) ABSL_LOCKS_EXCLUDED(index_mu_);

  // Ends `pending` in `state` (REJECTED, CANCELLED or EXPIRED): commits the
  // request, its freeze without the pending link, an event of `kind` and an
  // audit entry for `action` as `caller`. Returns the ended request.
  absl::StatusOr<v1::UnfreezeRequest> EndRequest(
      const Principal& caller, const PendingRequest& pending,
      v1::UnfreezeRequestState state, v1::FreezeEventKind kind,
      absl::string_view action, const std::string& reason, absl::Time now)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_) ABSL_LOCKS_EXCLUDED(index_mu_);

  absl::StatusOr<v1::FreezeRecord> ReplayIdempotent(
      const v1::FreezeAccountRequest& request,
      const std::string& freeze_id) const;

  FreezeStore& store_;
  const Clock& clock_;
  const FreezeOptions options_;

  // Serializes writes, including their fsync; readers never take it.
  absl::Mutex write_mu_;
  uint64_t last_version_ ABSL_GUARDED_BY(write_mu_);

  mutable absl::Mutex index_mu_ ABSL_ACQUIRED_AFTER(write_mu_);
  FreezeIndex index_ ABSL_GUARDED_BY(index_mu_);

  LogFeed feed_;
};

}  // namespace sentinel::freeze

#endif  // SENTINEL_FREEZE_FREEZE_MANAGER_H_
