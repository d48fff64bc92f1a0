#include "services/freeze/watch_freezes_reactor.h"

#include <deque>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "services/common/grpc_status.h"

namespace sentinel::services {
namespace {

// Events read from the log per batch: bounds the memory of one subscriber.
constexpr size_t kBatchEvents = 64;

}  // namespace

// The stream's state. Shared with the feed's wake callback, which may run
// after the reactor is gone; `reactor_` is null from then on.
class WatchFreezesReactor::Pump final
    : public std::enable_shared_from_this<Pump> {
 public:
  Pump(WatchFreezesReactor* reactor,
       std::unique_ptr<freeze::FreezeSubscription> subscription)
      : reactor_(reactor), subscription_(std::move(subscription)) {}

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
    absl::MutexLock lock(&mu_);
    FinishOnce(grpc::Status(grpc::StatusCode::CANCELLED, "cancelled"));
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
      if (pending_.empty() && end_after_pending_) {
        FinishOnce(grpc::Status::OK);
        return;
      }
      if (pending_.empty()) {
        absl::StatusOr<freeze::FeedBatch> batch =
            subscription_->Next(kBatchEvents);
        if (!batch.ok()) {
          FinishOnce(ToGrpcStatus(batch.status()));
          return;
        }
        if (batch->closed) {
          FinishOnce(grpc::Status(
              grpc::StatusCode::UNAVAILABLE,
              absl::StrCat("server shutting down; reconnect with from_version=",
                           subscription_->cursor())));
          return;
        }
        end_after_pending_ = batch->resync_required;
        for (v1::FreezeEvent& event : batch->events) {
          pending_.push_back(std::move(event));
        }
        if (pending_.empty()) {
          std::weak_ptr<Pump> weak = weak_from_this();
          const bool waiting = subscription_->WakeWhenReady([weak] {
            if (std::shared_ptr<Pump> pump = weak.lock()) pump->Run();
          });
          if (waiting) return;
          continue;  // something arrived meanwhile: read again
        }
      }
      in_flight_ = std::move(pending_.front());
      pending_.pop_front();
      writing_ = true;
      reactor_->StartWrite(&in_flight_);
    }
  }

  void FinishOnce(const grpc::Status& status)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (finished_ || reactor_ == nullptr) return;
    finished_ = true;
    reactor_->Finish(status);
  }

  absl::Mutex mu_;
  WatchFreezesReactor* reactor_ ABSL_GUARDED_BY(mu_);
  std::unique_ptr<freeze::FreezeSubscription> subscription_
      ABSL_GUARDED_BY(mu_);
  std::deque<v1::FreezeEvent> pending_ ABSL_GUARDED_BY(mu_);
  v1::FreezeEvent in_flight_ ABSL_GUARDED_BY(mu_);
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
  bool end_after_pending_ ABSL_GUARDED_BY(mu_) = false;
};

WatchFreezesReactor::WatchFreezesReactor(
    std::unique_ptr<freeze::FreezeSubscription> subscription)
    : pump_(std::make_shared<Pump>(this, std::move(subscription))) {
  pump_->Run();
}

void WatchFreezesReactor::OnWriteDone(bool ok) { pump_->WriteDone(ok); }

void WatchFreezesReactor::OnCancel() { pump_->Cancel(); }

void WatchFreezesReactor::OnDone() {
  pump_->Detach();
  delete this;
}

}  // namespace sentinel::services
