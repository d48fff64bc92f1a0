#include "bench/load_generator.h"

#include <algorithm>
#include <atomic>
#include <limits>
#include <memory>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"

namespace sentinel::bench {
namespace {

// What the calls in flight share with RunLoad.
class Tally {
 public:
  // Takes an in-flight slot unless `limit` are taken; false then.
  bool TakeSlot(int limit) ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    if (in_flight_ >= limit) {
      ++report_.not_sent;
      return false;
    }
    ++in_flight_;
    return true;
  }

  // Records a finished call.
  void Finish(absl::Duration latency, const grpc::Status& status)
      ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    Outcome& outcome =
        status.ok() ? report_.ok : report_.errors[status.error_code()];
    outcome.latencies.push_back(latency);
  }

  // Frees a slot TakeSlot gave.
  void FreeSlot() ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    --in_flight_;
  }

  // Waits until no call is in flight, then hands over the report.
  LoadReport Drain() ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(
        +[](int* in_flight) { return *in_flight == 0; }, &in_flight_));
    return std::move(report_);
  }

 private:
  absl::Mutex mu_;
  int in_flight_ ABSL_GUARDED_BY(mu_) = 0;
  LoadReport report_ ABSL_GUARDED_BY(mu_);
};

// A call's slot, freed when the last copy of the call's `done` is destroyed:
// after the caller released what the call held, not merely after `done`
// ran (see StartCall).
class Slot {
 public:
  explicit Slot(Tally& tally) : tally_(tally) {}
  Slot(const Slot&) = delete;
  Slot& operator=(const Slot&) = delete;
  ~Slot() { tally_.FreeSlot(); }

 private:
  Tally& tally_;
};

void RunOpenLoop(const LoadPlan& plan, const StartCall& start, Tally& tally) {
  const absl::Time begin = absl::Now();
  const absl::Time end = begin + plan.duration;
  const absl::Duration interval = absl::Seconds(1.0 / plan.rate);
  for (int64_t n = 0;; ++n) {
    const absl::Time due = begin + interval * n;
    if (due >= end) break;
    const absl::Duration wait = due - absl::Now();
    if (wait > absl::ZeroDuration()) absl::SleepFor(wait);
    if (!tally.TakeSlot(plan.concurrency)) continue;
    auto slot = std::make_shared<Slot>(tally);
    start(static_cast<uint64_t>(n),
          [&tally, due, slot](const grpc::Status& status) {
            tally.Finish(absl::Now() - due, status);
          });
  }
}

// One thread per slot, each starting its next call when the last finished.
void RunClosedLoop(const LoadPlan& plan, const StartCall& start, Tally& tally) {
  const absl::Time end = absl::Now() + plan.duration;
  std::atomic<uint64_t> next{0};
  std::vector<std::thread> workers;
  for (int w = 0; w < plan.concurrency; ++w) {
    workers.emplace_back([&] {
      while (absl::Now() < end) {
        tally.TakeSlot(std::numeric_limits<int>::max());
        auto slot = std::make_shared<Slot>(tally);
        auto finished = std::make_shared<absl::Notification>();
        const absl::Time sent = absl::Now();
        start(next++,
              [&tally, sent, slot, finished](const grpc::Status& status) {
                tally.Finish(absl::Now() - sent, status);
                finished->Notify();
              });
        finished->WaitForNotification();
      }
    });
  }
  for (std::thread& worker : workers) worker.join();
}

}  // namespace

uint64_t LoadReport::failed() const {
  uint64_t failed = 0;
  for (const auto& [code, outcome] : errors) failed += outcome.count();
  return failed;
}

double LoadReport::ok_per_second() const {
  const double seconds = absl::ToDoubleSeconds(elapsed);
  return seconds > 0 ? static_cast<double>(ok.count()) / seconds : 0;
}

std::string LoadReport::ErrorSummary() const {
  if (errors.empty()) return "0";
  return absl::StrJoin(errors, " ", [](std::string* out, const auto& entry) {
    absl::StrAppend(out, StatusCodeName(entry.first), "=",
                    entry.second.count());
  });
}

LoadReport RunLoad(const LoadPlan& plan, const StartCall& start) {
  Tally tally;
  const absl::Time begin = absl::Now();
  if (plan.rate > 0) {
    RunOpenLoop(plan, start, tally);
  } else {
    RunClosedLoop(plan, start, tally);
  }
  LoadReport report = tally.Drain();
  report.elapsed = absl::Now() - begin;
  std::sort(report.ok.latencies.begin(), report.ok.latencies.end());
  for (auto& [code, outcome] : report.errors) {
    std::sort(outcome.latencies.begin(), outcome.latencies.end());
  }
  return report;
}

std::string StatusCodeName(grpc::StatusCode code) {
  // gRPC's codes are absl's, number for number.
  return absl::StatusCodeToString(static_cast<absl::StatusCode>(code));
}

}  // namespace sentinel::bench
