#include "client/freeze_guard.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/time_util.h"

namespace sentinel::client {
namespace {

// The server's bounds for WatchFreezesRequest.heartbeat_interval.
constexpr absl::Duration kMinHeartbeat = absl::Milliseconds(100);
constexpr absl::Duration kMaxHeartbeat = absl::Seconds(60);

bool ValidAction(v1::FreezeScope action) {
  return action != v1::FREEZE_SCOPE_UNSPECIFIED &&
         v1::FreezeScope_IsValid(action);
}

// `options` with defaults filled in, or kInvalidArgument.
absl::StatusOr<FreezeGuardOptions> Resolve(FreezeGuardOptions options) {
  if (absl::Status valid = ValidateConnection(options.connection);
      !valid.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("connection.", valid.message()));
  }
  if (options.max_staleness <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("max_staleness: must be > 0");
  }
  if (options.heartbeat_interval == absl::ZeroDuration()) {
    options.heartbeat_interval =
        std::clamp(options.max_staleness / 4, kMinHeartbeat, kMaxHeartbeat);
  } else if (options.heartbeat_interval < kMinHeartbeat ||
             options.heartbeat_interval > kMaxHeartbeat) {
    return absl::InvalidArgumentError(
        "heartbeat_interval: must be 0 (max_staleness / 4) or within "
        "100ms .. 60s");
  }
  if (options.heartbeat_interval >= options.max_staleness) {
    return absl::InvalidArgumentError(
        absl::StrCat("heartbeat_interval: ",
                     absl::FormatDuration(options.heartbeat_interval),
                     " must be below max_staleness (",
                     absl::FormatDuration(options.max_staleness),
                     "), or a quiet stream would look stale"));
  }
  if (absl::Status valid = ValidateBackoff(options.reconnect, "reconnect.");
      !valid.ok()) {
    return valid;
  }
  return options;
}

}  // namespace

absl::string_view ReasonName(FreezeGuard::Reason reason) {
  switch (reason) {
    case FreezeGuard::Reason::kAllowed:
      return "ALLOWED";
    case FreezeGuard::Reason::kFrozen:
      return "FROZEN";
    case FreezeGuard::Reason::kCoolingOff:
      return "COOLING_OFF";
    case FreezeGuard::Reason::kStale:
      return "STALE";
    case FreezeGuard::Reason::kNotSynced:
      return "NOT_SYNCED";
    case FreezeGuard::Reason::kInvalidAction:
      return "INVALID_ACTION";
  }
  return "UNKNOWN";
}

absl::StatusOr<std::unique_ptr<FreezeGuard>> FreezeGuard::Start(
    FreezeGuardOptions options, const Clock& clock) {
  absl::StatusOr<FreezeGuardOptions> resolved = Resolve(std::move(options));
  if (!resolved.ok()) return resolved.status();
  std::unique_ptr<FreezeGuard> guard(
      new FreezeGuard(*std::move(resolved), clock));
  guard->follower_ = std::thread([raw = guard.get()] { raw->Follow(); });
  guard->watchdog_ = std::thread([raw = guard.get()] { raw->Watchdog(); });
  return guard;
}

FreezeGuard::FreezeGuard(FreezeGuardOptions options, const Clock& clock)
    : options_(std::move(options)),
      clock_(clock),
      stub_(v1::FreezeService::NewStub(OpenChannel(options_.connection,
                                                   options_.reconnect.initial,
                                                   options_.reconnect.max))) {}

FreezeGuard::~FreezeGuard() { Stop(); }

void FreezeGuard::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
    synced_.store(false, std::memory_order_release);
    if (stream_ != nullptr) stream_->TryCancel();
  }
  std::call_once(joined_, [this] {
    if (follower_.joinable()) follower_.join();
    if (watchdog_.joinable()) watchdog_.join();
  });
}

std::optional<FreezeGuard::Reason> FreezeGuard::Untrusted(
    absl::Time now) const {
  if (!synced_.load(std::memory_order_acquire)) return Reason::kNotSynced;
  if (now - last_message() > options_.max_staleness) return Reason::kStale;
  return std::nullopt;
}

bool FreezeGuard::IsAllowed(absl::string_view account_id,
                            v1::FreezeScope action) const {
  if (!ValidAction(action)) return false;
  const absl::Time now = clock_.Now();
  if (Untrusted(now).has_value()) return false;
  return !replica_.Blocks(account_id, action, now);
}

FreezeGuard::Decision FreezeGuard::Check(absl::string_view account_id,
                                         v1::FreezeScope action) const {
  Decision decision;
  decision.version = version();
  if (!ValidAction(action)) {
    decision.reason = Reason::kInvalidAction;
    return decision;
  }
  const absl::Time now = clock_.Now();
  if (std::optional<Reason> untrusted = Untrusted(now)) {
    decision.reason = *untrusted;
    return decision;
  }
  const std::optional<AccountRestriction> restriction =
      replica_.Find(account_id);
  if (restriction.has_value() && restriction->Freezes(action)) {
    decision.reason = Reason::kFrozen;
    decision.scopes = restriction->Scopes();
    return decision;
  }
  if (restriction.has_value() && action == v1::FREEZE_SCOPE_WITHDRAW &&
      now < restriction->held_until) {
    decision.reason = Reason::kCoolingOff;
    decision.held_until = restriction->held_until;
    return decision;
  }
  decision.allowed = true;
  decision.reason = Reason::kAllowed;
  return decision;
}

bool FreezeGuard::Fresh(absl::Time now) const {
  return !stopping_ && !Untrusted(now).has_value();
}

absl::Status FreezeGuard::WaitFor(const std::function<bool()>& done,
                                  absl::Duration timeout,
                                  absl::string_view what) const {
  absl::MutexLock lock(&mu_);
  auto finished = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return stopping_ || done();
  };
  mu_.AwaitWithTimeout(absl::Condition(&finished), timeout);
  if (done()) return absl::OkStatus();
  if (stopping_) return absl::CancelledError("the freeze guard was stopped");
  return absl::DeadlineExceededError(absl::StrCat(
      "no ", what, " within ", absl::FormatDuration(timeout), " (at version ",
      version(), ", synced ", synced_.load() ? "yes" : "no",
      "; last stream: ", last_stream_status_.ToString(), ")"));
}

absl::Status FreezeGuard::WaitForVersion(uint64_t version,
                                         absl::Duration timeout) const {
  return WaitFor([this, version] { return this->version() >= version; },
                 timeout, absl::StrCat("version ", version));
}

absl::Status FreezeGuard::WaitUntilReady(absl::Duration timeout) const {
  return WaitFor(
      [this]() ABSL_NO_THREAD_SAFETY_ANALYSIS { return Fresh(clock_.Now()); },
      timeout, "fresh, synced replica");
}

absl::Status FreezeGuard::last_stream_status() const {
  absl::MutexLock lock(&mu_);
  return last_stream_status_;
}

void FreezeGuard::Handle(const v1::FreezeEvent& event) {
  const absl::Time now = clock_.Now();
  const bool change = event.kind() != v1::FREEZE_EVENT_KIND_HEARTBEAT &&
                      event.kind() != v1::FREEZE_EVENT_KIND_RESYNC_REQUIRED;
  // Versions only move forward: a change already applied (a replay
  // overlapping what was seen) is skipped.
  const bool apply = change && event.version() > version();
  if (apply) replica_.Apply(event);
  absl::MutexLock lock(&mu_);
  last_message_nanos_.store(absl::ToUnixNanos(now), std::memory_order_release);
  if (apply) version_.store(event.version(), std::memory_order_release);
  if (event.kind() == v1::FREEZE_EVENT_KIND_HEARTBEAT && !stopping_) {
    synced_.store(true, std::memory_order_release);
  }
}

void FreezeGuard::Follow() {
  Backoff backoff(options_.reconnect);
  for (;;) {
    auto context = std::make_shared<grpc::ClientContext>();
    PrepareContext(options_.connection, context.get());
    v1::WatchFreezesRequest request;
    *request.mutable_heartbeat_interval() =
        ToProtoDuration(options_.heartbeat_interval);
    {
      absl::MutexLock lock(&mu_);
      if (stopping_) return;
      stream_ = context;
      stream_opened_ = clock_.Now();
      stream_cancelled_ = false;
      request.set_from_version(version());
    }
    std::unique_ptr<grpc::ClientReader<v1::FreezeEvent>> reader =
        stub_->WatchFreezes(context.get(), request);
    bool delivered = false;
    v1::FreezeEvent event;
    while (reader->Read(&event)) {
      Handle(event);
      delivered = true;
    }
    const grpc::Status status = reader->Finish();
    if (delivered) backoff.Reset();
    if (!delivered) {
      // A connection attempt cut short by the watchdog's cancel can leave
      // gRPC 1.51's channel failing every later call with the same error
      // even once the server is back: start from a fresh channel.
      stub_ = v1::FreezeService::NewStub(OpenChannel(options_.connection,
                                                     options_.reconnect.initial,
                                                     options_.reconnect.max));
    }
    const absl::Duration delay = backoff.Next();
    absl::MutexLock lock(&mu_);
    stream_.reset();
    last_stream_status_ = FromGrpcStatus(status);
    if (stopping_) return;
    mu_.AwaitWithTimeout(absl::Condition(&stopping_), delay);
  }
}

void FreezeGuard::Watchdog() {
  // Checked a few times per heartbeat interval so a silent stream is cut
  // soon after max_staleness.
  const absl::Duration period = options_.heartbeat_interval / 2;
  absl::MutexLock lock(&mu_);
  while (!mu_.AwaitWithTimeout(absl::Condition(&stopping_), period)) {
    if (stream_ == nullptr || stream_cancelled_) continue;
    const absl::Time heard = std::max(last_message(), stream_opened_);
    if (clock_.Now() - heard > options_.max_staleness) {
      stream_->TryCancel();
      stream_cancelled_ = true;
    }
  }
}

}  // namespace sentinel::client
