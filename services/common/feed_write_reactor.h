// The server side of one log-watching stream (WatchFreezes, WatchAudit).
//
// It pulls batches from its LogSubscription and writes them one at a time;
// when caught up it asks the feed to wake it on the next append. Nothing is
// buffered beyond one batch, and writers are never slowed: a woken stream
// reads on one of gRPC's threads, never on the writer's, and a subscriber
// that stops reading falls behind in the log and is told to resync.
//
// Optionally the stream carries heartbeats, so that a client can tell a
// quiet stream from a stalled one: once the subscriber has caught up with
// the head, the pump writes one heartbeat at once, then one whenever the
// heartbeat interval passes without a write. A per-stream grpc::Alarm wakes
// an idle pump when its next heartbeat is due; there is no ticker thread to
// own, and the alarm is cancelled when the stream ends (closing the feed at
// shutdown ends every stream, alarm or not).
#ifndef SENTINEL_SERVICES_COMMON_FEED_WRITE_REACTOR_H_
#define SENTINEL_SERVICES_COMMON_FEED_WRITE_REACTOR_H_

#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/log_feed.h"
#include "common/principal.h"
#include "grpcpp/alarm.h"
#include "grpcpp/support/server_callback.h"
#include "services/common/grpc_status.h"
#include "services/common/unary_call.h"

namespace sentinel::services {

// Events read from the log per batch: bounds the memory of one subscriber.
inline constexpr size_t kFeedBatchEvents = 64;

template <typename Event>
class FeedWriteReactor final : public grpc::ServerWriteReactor<Event> {
 public:
  // How a lagging subscriber is told to resync: the last message to send
  // (the stream then ends OK), or nullopt to end it with ABORTED.
  using ResyncNotice = std::function<std::optional<Event>(uint64_t head)>;

  // How a caught-up stream proves it is alive. `make` builds the heartbeat
  // message for `version`, the subscription's cursor (the newest version
  // delivered or skipped: everything up to it has been sent). It runs under
  // the stream's lock and must not block. A zero `interval` (the default)
  // sends no heartbeats.
  struct Heartbeat {
    absl::Duration interval = absl::ZeroDuration();
    std::function<Event(uint64_t version)> make;
  };

  // Streams nothing until Start() (or Refuse()); deletes itself when gRPC
  // is done with it. `resume_field` names the request field a client
  // resumes with ("from_version"), for the messages that end a stream early.
  FeedWriteReactor(std::unique_ptr<LogSubscription<Event>> subscription,
                   ResyncNotice resync_notice, std::string resume_field,
                   Heartbeat heartbeat = {})
      : pump_(std::make_shared<Pump>(
            this, std::move(subscription), std::move(resync_notice),
            std::move(resume_field), std::move(heartbeat))) {}

  class Pump;

  // Starts or refuses the stream later, from any thread. Stays safe to use
  // after the stream has ended (a cancelled call), when it does nothing.
  class Starter final {
   public:
    // Begins streaming.
    void Start() { pump_->Run(); }
    // Ends the stream with `status` instead.
    void Refuse(const grpc::Status& status) { pump_->Finish(status); }

   private:
    friend class FeedWriteReactor;
    explicit Starter(std::shared_ptr<Pump> pump) : pump_(std::move(pump)) {}
    std::shared_ptr<Pump> pump_;
  };

  Starter starter() { return Starter(pump_); }

  // Keeps `hold` (a StreamSlots share, say) until the stream is done.
  void HoldUntilDone(std::shared_ptr<const void> hold) {
    hold_ = std::move(hold);
  }

  void OnWriteDone(bool ok) override { pump_->WriteDone(ok); }
  void OnCancel() override { pump_->Cancel(); }
  void OnDone() override {
    pump_->Detach();
    delete this;
  }

  // The stream's state. Shared with the feed's wake callback, which may run
  // after the reactor is gone; `reactor_` is null from then on.
  class Pump final : public std::enable_shared_from_this<Pump> {
   public:
    Pump(FeedWriteReactor* reactor,
         std::unique_ptr<LogSubscription<Event>> subscription,
         ResyncNotice resync_notice, std::string resume_field,
         Heartbeat heartbeat)
        : resync_notice_(std::move(resync_notice)),
          resume_field_(std::move(resume_field)),
          heartbeat_(std::move(heartbeat)),
          reactor_(reactor),
          subscription_(std::move(subscription)) {}

    void Run() ABSL_LOCKS_EXCLUDED(mu_) {
      absl::MutexLock lock(&mu_);
      Advance();
    }

    void WriteDone(bool ok) ABSL_LOCKS_EXCLUDED(mu_) {
      absl::MutexLock lock(&mu_);
      writing_ = false;
      if (!ok) {
        FinishOnce(grpc::Status(grpc::StatusCode::CANCELLED, "stream broken"));
        return;
      }
      Advance();
    }

    void Cancel() ABSL_LOCKS_EXCLUDED(mu_) {
      Finish(grpc::Status(grpc::StatusCode::CANCELLED, "cancelled"));
    }

    void Finish(const grpc::Status& status) ABSL_LOCKS_EXCLUDED(mu_) {
      absl::MutexLock lock(&mu_);
      FinishOnce(status);
    }

    void Detach() ABSL_LOCKS_EXCLUDED(mu_) {
      absl::MutexLock lock(&mu_);
      reactor_ = nullptr;
      subscription_.reset();
      if (alarm_ != nullptr) alarm_->Cancel();
    }

   private:
    // Writes the next event, or arranges to be woken when there is one.
    void Advance() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      while (reactor_ != nullptr && !finished_ && !writing_) {
        if (pending_.empty() && end_status_.has_value()) {
          FinishOnce(*end_status_);
          return;
        }
        if (pending_.empty() && !Refill()) return;
        if (pending_.empty()) continue;
        in_flight_ = std::move(pending_.front());
        pending_.pop_front();
        writing_ = true;
        last_write_ = absl::Now();
        reactor_->StartWrite(&in_flight_);
      }
    }

    // Reads the next batch. Returns false when the stream must wait for a
    // wake-up (or has finished).
    bool Refill() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      absl::StatusOr<FeedBatch<Event>> batch =
          subscription_->Next(kFeedBatchEvents);
      if (!batch.ok()) {
        FinishOnce(ToGrpcStatus(batch.status()));
        return false;
      }
      const std::string resume = absl::StrCat("reconnect with ", resume_field_,
                                              "=", subscription_->cursor());
      if (batch->closed) {
        FinishOnce(
            grpc::Status(grpc::StatusCode::UNAVAILABLE,
                         absl::StrCat("server shutting down; ", resume)));
        return false;
      }
      if (batch->resync_required) {
        std::optional<Event> notice = resync_notice_(batch->head);
        if (notice.has_value()) {
          pending_.push_back(*std::move(notice));
          end_status_ = grpc::Status::OK;
        } else {
          end_status_ = grpc::Status(
              grpc::StatusCode::ABORTED,
              absl::StrCat("subscriber fell too far behind; ", resume));
        }
        return true;
      }
      for (Event& event : batch->events) pending_.push_back(std::move(event));
      if (!pending_.empty()) return true;
      const bool caught_up = subscription_->cursor() >= batch->head;
      if (caught_up && HeartbeatDue()) {
        pending_.push_back(heartbeat_.make(subscription_->cursor()));
        announced_ = true;
        return true;
      }
      std::weak_ptr<Pump> weak = this->weak_from_this();
      const bool waiting = subscription_->WakeWhenReady(
          [weak] { RunOnGrpcThread(std::move(weak)); });
      if (!waiting) return true;  // data arrived: read again
      if (caught_up) ArmHeartbeat();
      return false;
    }

    // Runs the pump on one of gRPC's threads. The feed wakes a subscriber
    // on the log writer's thread (inside the freeze lock, on the audit
    // sequencer), which must never wait for a subscriber's catch-up read:
    // an alarm due at once hands the read over. The alarm deletes itself
    // once it has run.
    static void RunOnGrpcThread(std::weak_ptr<Pump> weak) {
      auto* alarm = new grpc::Alarm;
      alarm->Set(absl::ToChronoTime(absl::Now()),
                 [alarm, weak = std::move(weak)](bool /*fired*/) {
                   if (std::shared_ptr<Pump> pump = weak.lock()) pump->Run();
                   delete alarm;
                 });
    }

    bool heartbeats() const {
      return heartbeat_.interval > absl::ZeroDuration();
    }

    // Whether a caught-up stream should write a heartbeat now: the first
    // time it catches up, then once the interval has passed since the last
    // write.
    bool HeartbeatDue() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      if (!heartbeats()) return false;
      return !announced_ || absl::Now() - last_write_ >= heartbeat_.interval;
    }

    // Wakes the idle pump when its next heartbeat is due. An alarm already
    // armed stays: if it fires early (a write moved the due time), Refill
    // finds no heartbeat due and arms again. Each arming uses a new
    // grpc::Alarm, since one may not be set again from its own callback.
    void ArmHeartbeat() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      if (!heartbeats() || alarm_armed_ || finished_) return;
      alarm_armed_ = true;
      alarm_ = std::make_unique<grpc::Alarm>();
      std::weak_ptr<Pump> weak = this->weak_from_this();
      alarm_->Set(absl::ToChronoTime(last_write_ + heartbeat_.interval),
                  [weak](bool fired) {
                    if (!fired) return;  // cancelled: the stream ended
                    if (std::shared_ptr<Pump> pump = weak.lock()) {
                      pump->HeartbeatAlarm();
                    }
                  });
    }

    void HeartbeatAlarm() ABSL_LOCKS_EXCLUDED(mu_) {
      absl::MutexLock lock(&mu_);
      alarm_armed_ = false;
      Advance();
    }

    void FinishOnce(const grpc::Status& status)
        ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      if (finished_ || reactor_ == nullptr) return;
      finished_ = true;
      if (alarm_ != nullptr) alarm_->Cancel();
      reactor_->Finish(status);
    }

    const ResyncNotice resync_notice_;
    const std::string resume_field_;
    const Heartbeat heartbeat_;
    absl::Mutex mu_;
    FeedWriteReactor* reactor_ ABSL_GUARDED_BY(mu_);
    std::unique_ptr<LogSubscription<Event>> subscription_ ABSL_GUARDED_BY(mu_);
    std::deque<Event> pending_ ABSL_GUARDED_BY(mu_);
    Event in_flight_ ABSL_GUARDED_BY(mu_);
    bool writing_ ABSL_GUARDED_BY(mu_) = false;
    bool finished_ ABSL_GUARDED_BY(mu_) = false;
    std::optional<grpc::Status> end_status_ ABSL_GUARDED_BY(mu_);
    // When the last write started; the next heartbeat is due an interval
    // after it.
    absl::Time last_write_ ABSL_GUARDED_BY(mu_) = absl::Now();
    // Whether the caught-up heartbeat has been written.
    bool announced_ ABSL_GUARDED_BY(mu_) = false;
    std::unique_ptr<grpc::Alarm> alarm_ ABSL_GUARDED_BY(mu_);
    bool alarm_armed_ ABSL_GUARDED_BY(mu_) = false;
  };

 private:
  std::shared_ptr<Pump> pump_;
  std::shared_ptr<const void> hold_;
};

// Watch streams one person may hold open at once on one service. Generous:
// an internal system's replicas (a fleet of withdrawal engines) often share
// one certificate, and each stream holds at most one batch of events.
inline constexpr size_t kMaxWatchStreamsPerPerson = 256;

// The refusal of a watch stream past its person's share.
inline grpc::Status TooManyWatchStreams(const Principal& caller) {
  return OverloadedStatus(
      absl::StrCat(caller.ToString(), " already holds ",
                   kMaxWatchStreamsPerPerson,
                   " watch streams on this service; close some first"),
      kRetryAfterOverload);
}

// A ResyncNotice that sends one event of `resync_kind` carrying the head
// version, for event messages with `version` and `kind` fields.
template <typename Event, typename Kind>
typename FeedWriteReactor<Event>::ResyncNotice ResyncEventOfKind(
    Kind resync_kind) {
  return [resync_kind](uint64_t head) {
    Event notice;
    notice.set_version(head);
    notice.set_kind(resync_kind);
    return std::optional<Event>(std::move(notice));
  };
}

}  // namespace sentinel::services

#endif  // SENTINEL_SERVICES_COMMON_FEED_WRITE_REACTOR_H_
