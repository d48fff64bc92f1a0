// FreezeGuard: the freeze check of a withdrawal engine (or any internal
// system about to move value), answered from memory in well under a
// microsecond, and failing closed whenever its copy of the freeze state
// cannot be trusted.
//
// The guard keeps a local replica of every account's freeze restrictions by
// following FreezeService.WatchFreezes with heartbeats, on a background
// thread:
// - Fresh start: it replays the change log from version 0. Every
//   FreezeEvent carries the account's complete state after the change, so
//   the replay reproduces the server's state exactly at a known version
//   (ListFrozenAccounts has no version to resume from, and seeding from it
//   would race with changes). The cost is the length of the change log,
//   about 100 bytes per change.
// - The server sends a HEARTBEAT once the replay has caught up: from then
//   on the guard is synced. Heartbeats keep arriving every
//   `heartbeat_interval` on a quiet stream.
// - When the stream ends (server restart, network, RESYNC_REQUIRED) it
//   reconnects with exponential backoff and resumes from the last version
//   it applied. A stream silent for longer than `max_staleness` is
//   cancelled and reopened.
//
// Failing closed: every check answers "not allowed" before the first
// catch-up, after Stop(), and whenever more than `max_staleness` has passed
// (on the injected clock) since the last message from the server, event or
// heartbeat. An unreachable server therefore blocks withdrawals after
// max_staleness rather than letting them through on old data.
//
// The decision for one account matches the server's CheckAccounts: an
// active freeze covering the action denies it (FROZEN); otherwise WITHDRAW
// is denied while a cooling-off hold after a lifted WITHDRAW freeze is in
// force (COOLING_OFF, until withdrawals_held_until); anything else, including
// accounts never frozen, is allowed.
//
// Needs a server whose WatchFreezes supports heartbeat_interval; against an
// older one the guard never syncs (and so denies everything). The caller's
// principal needs a role allowed to watch: internal, security or admin.
#ifndef SENTINEL_CLIENT_FREEZE_GUARD_H_
#define SENTINEL_CLIENT_FREEZE_GUARD_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "client/backoff.h"
#include "client/freeze_replica.h"
#include "client/server_connection.h"
#include "common/clock.h"
#include "sentinel/v1/freeze.grpc.pb.h"

namespace sentinel::client {

struct FreezeGuardOptions {
  // Where the FreezeService is, and how to authenticate (mutual TLS).
  ServerConnection connection;
  // The longest the guard trusts its replica without hearing from the
  // server. Must be > 0.
  absl::Duration max_staleness = absl::Seconds(2);
  // How often the server is asked to send a heartbeat on a quiet stream.
  // Zero: max_staleness / 4, kept within 100 ms .. 60 s. Otherwise it must
  // be within 100 ms .. 60 s (the server's bounds) and below max_staleness.
  absl::Duration heartbeat_interval = absl::ZeroDuration();
  // Delays between reconnection attempts; reset once a stream delivers.
  BackoffPolicy reconnect = {.initial = absl::Milliseconds(100),
                             .max = absl::Seconds(2)};
};

class FreezeGuard final {
 public:
  // Why a check came out as it did.
  enum class Reason {
    // Nothing blocks the action.
    kAllowed,
    // An active freeze covers the action (`scopes` lists the account's
    // effective scopes).
    kFrozen,
    // WITHDRAW during the cooling-off hold after a lifted freeze
    // (`held_until`).
    kCoolingOff,
    // Synced once, but nothing has arrived from the server for more than
    // max_staleness.
    kStale,
    // Not caught up with the server yet (or stopped).
    kNotSynced,
    // The action is not a FreezeScope other than UNSPECIFIED.
    kInvalidAction,
  };

  struct Decision {
    bool allowed = false;
    Reason reason = Reason::kNotSynced;
    // kFrozen: every scope frozen on the account, in enum order.
    std::vector<v1::FreezeScope> scopes;
    // kCoolingOff: when withdrawals are allowed again.
    absl::Time held_until = absl::InfinitePast();
    // The replica's version when the check was answered.
    uint64_t version = 0;
  };

  // Validates `options` and starts following the server in the background;
  // does not wait for the connection (see WaitUntilReady). `clock` measures
  // staleness and cooling-off holds and must outlive the guard.
  //
  // OK: a running guard, not yet synced. Errors: kInvalidArgument naming
  // the bad option (connection.address, connection.credentials,
  // max_staleness, heartbeat_interval, reconnect.*).
  //
  // Example:
  //   SENTINEL_ASSIGN_OR_RETURN(
  //       std::shared_ptr<grpc::ChannelCredentials> credentials,
  //       tls::ChannelCredentials(ca_path, cert_path, key_path));
  //   client::FreezeGuardOptions options;
  //   options.connection = {.address = "sentinel:7443",
  //                         .credentials = credentials};
  //   SENTINEL_ASSIGN_OR_RETURN(std::unique_ptr<client::FreezeGuard> guard,
  //                             client::FreezeGuard::Start(options));
  //   SENTINEL_RETURN_IF_ERROR(guard->WaitUntilReady(absl::Seconds(10)));
  //   ...
  //   if (!guard->IsAllowed(account_id, v1::FREEZE_SCOPE_WITHDRAW)) {
  //     return HoldWithdrawal(account_id);
  //   }
  static absl::StatusOr<std::unique_ptr<FreezeGuard>> Start(
      FreezeGuardOptions options, const Clock& clock = SystemClock());

  // Stops following (Stop()).
  ~FreezeGuard();
  FreezeGuard(const FreezeGuard&) = delete;
  FreezeGuard& operator=(const FreezeGuard&) = delete;

  // Whether `action` may proceed on `account_id` now. False when the
  // replica says it is blocked and whenever the replica cannot be trusted
  // (not synced, stale, stopped) or `action` is not a valid scope.
  // Thread-safe; takes only the calling thread's own reader lock (see
  // FreezeReplica), so checks from many threads do not contend; no RPC.
  bool IsAllowed(absl::string_view account_id, v1::FreezeScope action) const;

  // IsAllowed() with the reason. Thread-safe.
  Decision Check(absl::string_view account_id, v1::FreezeScope action) const;

  // The newest change version applied to the replica (0 before any).
  uint64_t version() const { return version_.load(std::memory_order_acquire); }

  // Blocks until the replica has applied `version` (for read-your-writes:
  // pass the created_version of a freeze you just made).
  // OK: version() >= `version`. kDeadlineExceeded: `timeout` passed first
  // (the message gives the version reached and how the last stream ended).
  // kCancelled: the guard was stopped. Thread-safe.
  absl::Status WaitForVersion(uint64_t version, absl::Duration timeout) const;

  // Blocks until checks are answered from the replica: synced and not
  // stale. Same errors as WaitForVersion. Thread-safe.
  absl::Status WaitUntilReady(absl::Duration timeout) const;

  // How the last WatchFreezes stream ended: OK before any ended; otherwise
  // its status (UNAVAILABLE while the server is down, PERMISSION_DENIED for
  // a role not allowed to watch, ...). For diagnostics. Thread-safe.
  absl::Status last_stream_status() const;

  // Ends the stream, waits for the background threads, and denies every
  // check from then on. Idempotent; thread-safe; must not be called from
  // a check's thread while it is inside the guard.
  void Stop();

 private:
  FreezeGuard(FreezeGuardOptions options, const Clock& clock);

  // The background loops: following the stream, and cancelling a stream
  // that has gone silent.
  void Follow();
  void Watchdog();
  // Applies one message from the stream.
  void Handle(const v1::FreezeEvent& event) ABSL_LOCKS_EXCLUDED(mu_);

  // The denial for a replica that cannot be trusted at `now`, if any.
  std::optional<Reason> Untrusted(absl::Time now) const;
  absl::Time last_message() const {
    return absl::FromUnixNanos(
        last_message_nanos_.load(std::memory_order_acquire));
  }
  bool Fresh(absl::Time now) const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status WaitFor(const std::function<bool()>& done,
                       absl::Duration timeout, absl::string_view what) const
      ABSL_LOCKS_EXCLUDED(mu_);

  const FreezeGuardOptions options_;
  const Clock& clock_;
  // Used and replaced by the follower thread only.
  std::unique_ptr<v1::FreezeService::Stub> stub_;
  FreezeReplica replica_;

  // Read lock-free by checks; written by the follower under mu_, so that
  // waiters' conditions are re-evaluated.
  std::atomic<uint64_t> version_{0};
  std::atomic<bool> synced_{false};
  std::atomic<int64_t> last_message_nanos_{0};

  mutable absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  // The stream being read, to cancel it, and when it was opened.
  std::shared_ptr<grpc::ClientContext> stream_ ABSL_GUARDED_BY(mu_);
  absl::Time stream_opened_ ABSL_GUARDED_BY(mu_);
  bool stream_cancelled_ ABSL_GUARDED_BY(mu_) = false;
  absl::Status last_stream_status_ ABSL_GUARDED_BY(mu_);

  std::once_flag joined_;
  std::thread follower_;
  std::thread watchdog_;
};

// "ALLOWED", "FROZEN", "COOLING_OFF", "STALE", "NOT_SYNCED",
// "INVALID_ACTION".
absl::string_view ReasonName(FreezeGuard::Reason reason);

}  // namespace sentinel::client

#endif  // SENTINEL_CLIENT_FREEZE_GUARD_H_
