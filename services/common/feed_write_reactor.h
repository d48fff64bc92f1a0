// The server side of one log-watching stream (WatchFreezes, WatchAudit).
//
// It pulls batches from its LogSubscription and writes them one at a time;
// when caught up it asks the feed to wake it on the next append. Nothing is
// buffered beyond one batch, and writers are never slowed: a subscriber that
// stops reading falls behind in the log and is told to resync.
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
#include "common/log_feed.h"
#include "grpcpp/support/server_callback.h"
#include "services/common/grpc_status.h"

namespace sentinel::services {

// Events read from the log per batch: bounds the memory of one subscriber.
inline constexpr size_t kFeedBatchEvents = 64;

template <typename Event>
class FeedWriteReactor final : public grpc::ServerWriteReactor<Event> {
 public:
  // How a lagging subscriber is told to resync: the last message to send
  // (the stream then ends OK), or nullopt to end it with ABORTED.
  using ResyncNotice = std::function<std::optional<Event>(uint64_t head)>;

  // Streams nothing until Start() (or Refuse()); deletes itself when gRPC
  // is done with it. `resume_field` names the request field a client
  // resumes with ("from_version"), for the messages that end a stream early.
  FeedWriteReactor(std::unique_ptr<LogSubscription<Event>> subscription,
                   ResyncNotice resync_notice, std::string resume_field)
      : pump_(std::make_shared<Pump>(this, std::move(subscription),
                                     std::move(resync_notice),
                                     std::move(resume_field))) {}

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
         ResyncNotice resync_notice, std::string resume_field)
        : resync_notice_(std::move(resync_notice)),
          resume_field_(std::move(resume_field)),
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
      std::weak_ptr<Pump> weak = this->weak_from_this();
      const bool waiting = subscription_->WakeWhenReady([weak] {
        if (std::shared_ptr<Pump> pump = weak.lock()) pump->Run();
      });
      return !waiting;  // if nothing was registered, data arrived: read again
    }

    void FinishOnce(const grpc::Status& status)
        ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      if (finished_ || reactor_ == nullptr) return;
      finished_ = true;
      reactor_->Finish(status);
    }

    const ResyncNotice resync_notice_;
    const std::string resume_field_;
    absl::Mutex mu_;
    FeedWriteReactor* reactor_ ABSL_GUARDED_BY(mu_);
    std::unique_ptr<LogSubscription<Event>> subscription_ ABSL_GUARDED_BY(mu_);
    std::deque<Event> pending_ ABSL_GUARDED_BY(mu_);
    Event in_flight_ ABSL_GUARDED_BY(mu_);
    bool writing_ ABSL_GUARDED_BY(mu_) = false;
    bool finished_ ABSL_GUARDED_BY(mu_) = false;
    std::optional<grpc::Status> end_status_ ABSL_GUARDED_BY(mu_);
  };

 private:
  std::shared_ptr<Pump> pump_;
};

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
