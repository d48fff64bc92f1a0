// The storage contract of the freeze domain.
//
// A store keeps freeze records, unfreeze requests, idempotency keys,
// withdrawal holds and the numbered log of changes (FreezeEvents). Every
// change arrives as one FreezeChange and is applied atomically together with
// its audit entry, durably, before Commit returns.
#ifndef SENTINEL_FREEZE_FREEZE_STORE_H_
#define SENTINEL_FREEZE_FREEZE_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "audit/audit_sink.h"
#include "sentinel/v1/audit.pb.h"
#include "sentinel/v1/freeze.pb.h"

namespace sentinel::freeze {

// One atomic change of freeze state.
struct FreezeChange {
  // Inserted or replaced by freeze_id. ACTIVE records are also kept in the
  // set LoadSnapshot returns; other states are removed from it.
  std::optional<v1::FreezeRecord> freeze;
  // Inserted or replaced by request_id.
  std::optional<v1::UnfreezeRequest> unfreeze_request;
  // Binds an idempotency key to `freeze`'s id. Requires `freeze`.
  std::string idempotency_key;
  // A new withdrawal hold end for an account (replacing any earlier one).
  std::optional<std::pair<std::string, absl::Time>> withdrawal_hold;
  // The change's entry in the change log, stored under event.version.
  v1::FreezeEvent event;
  // The audit entry committed in the same write.
  v1::AuditEntry audit;
  // Whether `audit` must reach the audit service before the change is made.
  audit::AuditRule audit_rule = audit::AuditRule::kProtective;
};

// What the in-memory index is rebuilt from.
struct FreezeSnapshot {
  std::vector<v1::FreezeRecord> active_freezes;
  std::vector<std::pair<std::string, absl::Time>> withdrawal_holds;
  // The newest event version; 0 when nothing was ever changed.
  uint64_t last_version = 0;
};

// Thread-safe: reads may run concurrently with each other and with Commit.
// Callers serialize Commit calls and give versions that increase by one.
class FreezeStore {
 public:
  virtual ~FreezeStore() = default;

  // Applies `change` and its audit entry atomically; returns OK only once
  // both are durable (WAL synced). On error nothing was applied.
  virtual absl::Status Commit(const FreezeChange& change) = 0;

  // nullopt when no such record exists. Errors are storage failures.
  virtual absl::StatusOr<std::optional<v1::FreezeRecord>> FindFreeze(
      absl::string_view freeze_id) const = 0;
  virtual absl::StatusOr<std::optional<v1::UnfreezeRequest>>
  FindUnfreezeRequest(absl::string_view request_id) const = 0;
  // Up to `max_requests` unfreeze requests with numbers ("unf-<n>") greater
  // than `after_number`, in number order (oldest first).
  virtual absl::StatusOr<std::vector<v1::UnfreezeRequest>> ReadUnfreezeRequests(
      uint64_t after_number, size_t max_requests) const = 0;
  // The freeze id bound to `key`, or nullopt.
  virtual absl::StatusOr<std::optional<std::string>> FindIdempotencyKey(
      absl::string_view key) const = 0;

  // Active freezes, holds and the last version, for rebuilding the index.
  virtual absl::StatusOr<FreezeSnapshot> LoadSnapshot() const = 0;

  // Up to `max_events` events with version > `after_version`, in order.
  virtual absl::StatusOr<std::vector<v1::FreezeEvent>> ReadEvents(
      uint64_t after_version, size_t max_events) const = 0;
};

}  // namespace sentinel::freeze

#endif  // SENTINEL_FREEZE_FREEZE_STORE_H_
