// The withdrawal engine's freeze check in memory: FreezeGuard::IsAllowed
// (client/freeze_guard.h) in nanoseconds per check, from 1 and 2 threads,
// beside the server's own in-memory check (FreezeIndex::Check under a
// reader lock, batches of 1,000, what CheckAccounts does without the RPC).
//
// --accounts ids are checked for WITHDRAW in a shuffled order; 10% of them
// carry a WITHDRAW freeze, 10% a TRADE-only freeze and 1% a cooling-off
// hold, so 11% of checks are denied. The guard is fed over a real gRPC
// stream by a stand-in FreezeService that replays those changes and then
// sends heartbeats (the real WatchFreezes is measured by freeze_bench).
//
// Usage: freeze_guard_bench [--seconds=2] [--accounts=100000]

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "client/freeze_guard.h"
#include "common/time_util.h"
#include "freeze/freeze_index.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "sentinel/v1/freeze.grpc.pb.h"

ABSL_FLAG(double, seconds, 2, "Measured seconds per scenario (0.1..600).");
ABSL_FLAG(int, accounts, 100000, "Accounts checked (100..10000000).");

namespace sentinel::bench {
namespace {

constexpr int kChunk = 1024;  // checks between clock reads
constexpr int kIndexBatch = 1000;

std::string AccountId(int i) { return absl::StrCat("acct-", i); }

// What restricts account `i`: every 10th has a WITHDRAW freeze, every 10th
// (offset 5) a TRADE-only one, every 100th (offset 1) a withdrawal hold.
bool FrozenForWithdraw(int i) { return i % 10 == 0; }
bool FrozenForTrade(int i) { return i % 10 == 5; }
bool Held(int i) { return i % 100 == 1; }

// Replays one change per restricted account, then heartbeats until the
// subscriber goes away.
class StandInFreezeService final : public v1::FreezeService::Service {
 public:
  StandInFreezeService(int accounts, absl::Time held_until)
      : accounts_(accounts), held_until_(held_until) {}

  grpc::Status WatchFreezes(
      grpc::ServerContext* context, const v1::WatchFreezesRequest* request,
      grpc::ServerWriter<v1::FreezeEvent>* writer) override {
    uint64_t version = 0;
    for (int i = 0; i < accounts_; ++i) {
      v1::FreezeEvent event;
      if (FrozenForWithdraw(i)) {
        event.add_effective_scopes(v1::FREEZE_SCOPE_WITHDRAW);
        event.add_effective_scopes(v1::FREEZE_SCOPE_TRANSFER_OUT);
      } else if (FrozenForTrade(i)) {
        event.add_effective_scopes(v1::FREEZE_SCOPE_TRADE);
      } else if (Held(i)) {
        *event.mutable_withdrawals_held_until() = ToProtoTime(held_until_);
      } else {
        continue;
      }
      event.set_version(++version);
      event.set_account_id(AccountId(i));
      event.set_kind(v1::FREEZE_EVENT_KIND_FROZEN);
      if (version <= request->from_version()) continue;
      if (!writer->Write(event)) return grpc::Status::OK;
    }
    const absl::Duration interval =
        FromProtoDuration(request->heartbeat_interval());
    while (!context->IsCancelled()) {
      v1::FreezeEvent heartbeat;
      heartbeat.set_version(version);
      heartbeat.set_kind(v1::FREEZE_EVENT_KIND_HEARTBEAT);
      *heartbeat.mutable_time() = ToProtoTime(absl::Now());
      if (!writer->Write(heartbeat)) break;
      absl::SleepFor(std::min(interval, absl::Milliseconds(100)));
    }
    return grpc::Status::OK;
  }

 private:
  const int accounts_;
  const absl::Time held_until_;
};

uint64_t ExpectedChanges(int accounts) {
  uint64_t changes = 0;
  for (int i = 0; i < accounts; ++i) {
    if (FrozenForWithdraw(i) || FrozenForTrade(i) || Held(i)) ++changes;
  }
  return changes;
}

struct Result {
  uint64_t checks = 0;
  uint64_t denied = 0;
  absl::Duration elapsed;
};

// Runs `check(ids, begin, end)` (returning how many it denied) on `threads`
// threads over the shuffled ids for `duration`.
template <typename CheckRange>
Result Measure(const std::vector<std::string>& ids, int threads,
               absl::Duration duration, const CheckRange& check) {
  std::atomic<uint64_t> checks{0}, denied{0};
  absl::Notification go;
  std::vector<std::thread> workers;
  const absl::Time start = absl::Now();
  const absl::Time end = start + duration;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      go.WaitForNotification();
      uint64_t mine = 0, mine_denied = 0;
      size_t at = (ids.size() / threads) * t;
      while (absl::Now() < end) {
        size_t stop = std::min(ids.size(), at + kChunk);
        mine_denied += check(ids, at, stop);
        mine += stop - at;
        at = stop == ids.size() ? 0 : stop;
      }
      checks += mine;
      denied += mine_denied;
    });
  }
  go.Notify();
  for (std::thread& worker : workers) worker.join();
  return {checks.load(), denied.load(), absl::Now() - start};
}

void Row(const char* name, int accounts, int threads, const Result& result) {
  // Wall time per check per thread: what one caller waits.
  const double ns = absl::ToDoubleNanoseconds(result.elapsed) * threads /
                    static_cast<double>(result.checks);
  std::printf("| %s | %d | %d | %llu | %.0f | %.1f | %.1f |\n", name, accounts,
              threads, static_cast<unsigned long long>(result.checks), ns,
              static_cast<double>(result.checks) /
                  absl::ToDoubleSeconds(result.elapsed) / 1e6,
              100.0 * static_cast<double>(result.denied) /
                  static_cast<double>(result.checks));
}

double NsPerCheck(const Result& result, int threads) {
  return absl::ToDoubleNanoseconds(result.elapsed) * threads /
         static_cast<double>(result.checks);
}

int Main() {
  const double seconds = absl::GetFlag(FLAGS_seconds);
  const int accounts = absl::GetFlag(FLAGS_accounts);
  if (!(seconds >= 0.1 && seconds <= 600) || accounts < 100 ||
      accounts > 10000000) {
    std::fprintf(stderr, "--seconds must be 0.1..600, --accounts 100..1e7\n");
    return 2;
  }
  const absl::Duration duration = absl::Seconds(seconds);
  const absl::Time held_until = absl::Now() + absl::Hours(1);

  std::vector<std::string> ids;
  ids.reserve(accounts);
  for (int i = 0; i < accounts; ++i) ids.push_back(AccountId(i));
  std::shuffle(ids.begin(), ids.end(), std::mt19937(7));

  // The guard, fed over loopback.
  StandInFreezeService service(accounts, held_until);
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                           &port);
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    std::fprintf(stderr, "cannot start the stand-in server\n");
    return 1;
  }
  client::FreezeGuardOptions options;
  options.connection = {.address = absl::StrCat("127.0.0.1:", port),
                        .credentials = grpc::InsecureChannelCredentials()};
  absl::StatusOr<std::unique_ptr<client::FreezeGuard>> guard =
      client::FreezeGuard::Start(options);
  const uint64_t changes = ExpectedChanges(accounts);
  absl::Status ready =
      guard.ok() ? (*guard)->WaitForVersion(changes, absl::Seconds(60))
                 : guard.status();
  if (ready.ok()) ready = (*guard)->WaitUntilReady(absl::Seconds(10));
  if (!ready.ok()) {
    std::fprintf(stderr, "guard: %s\n", ready.ToString().c_str());
    return 1;
  }

  // The baseline: the server's index with the same state.
  freeze::FreezeIndex index;
  absl::Mutex index_mu;
  for (int i = 0; i < accounts; ++i) {
    if (!FrozenForWithdraw(i) && !FrozenForTrade(i) && !Held(i)) continue;
    if (Held(i)) {
      index.SetHold(AccountId(i), held_until);
      continue;
    }
    v1::FreezeRecord record;
    record.set_freeze_id(absl::StrCat("frz-", i));
    record.set_account_id(AccountId(i));
    if (FrozenForWithdraw(i)) {
      record.add_scopes(v1::FREEZE_SCOPE_WITHDRAW);
      record.add_scopes(v1::FREEZE_SCOPE_TRANSFER_OUT);
    } else {
      record.add_scopes(v1::FREEZE_SCOPE_TRADE);
    }
    record.set_state(v1::FREEZE_STATE_ACTIVE);
    index.PutActive(record);
  }

  const client::FreezeGuard& g = **guard;
  // Every answer is checked once against the fixture (also warming up).
  for (int i = 0; i < accounts; ++i) {
    const bool denied = FrozenForWithdraw(i) || Held(i);
    if (g.IsAllowed(AccountId(i), v1::FREEZE_SCOPE_WITHDRAW) == denied ||
        g.IsAllowed(AccountId(i), v1::FREEZE_SCOPE_TRADE) ==
            FrozenForTrade(i)) {
      std::fprintf(stderr, "guard: wrong answer for %s\n",
                   AccountId(i).c_str());
      return 1;
    }
  }

  auto guard_range = [&g](const std::vector<std::string>& ids, size_t begin,
                          size_t end) {
    uint64_t denied = 0;
    for (size_t i = begin; i < end; ++i) {
      denied += !g.IsAllowed(ids[i], v1::FREEZE_SCOPE_WITHDRAW);
    }
    return denied;
  };
  auto decision_range = [&g](const std::vector<std::string>& ids, size_t begin,
                             size_t end) {
    uint64_t denied = 0;
    for (size_t i = begin; i < end; ++i) {
      denied += !g.Check(ids[i], v1::FREEZE_SCOPE_WITHDRAW).allowed;
    }
    return denied;
  };
  auto index_range = [&](const std::vector<std::string>& ids, size_t begin,
                         size_t end) {
    uint64_t denied = 0;
    for (size_t b = begin; b < end; b += kIndexBatch) {
      const absl::Time now = absl::Now();
      absl::ReaderMutexLock lock(&index_mu);
      for (size_t i = b; i < std::min(end, b + kIndexBatch); ++i) {
        denied +=
            !index.Check(ids[i], v1::FREEZE_SCOPE_WITHDRAW, now).allowed();
      }
    }
    return denied;
  };

  std::printf(
      "| WITHDRAW check | accounts | threads | checks | ns/check | M checks/s "
      "| denied %% |\n|---|---|---|---|---|---|---|\n");
  const Result guard_1 = Measure(ids, 1, duration, guard_range);
  Row("FreezeGuard::IsAllowed", accounts, 1, guard_1);
  const Result guard_2 = Measure(ids, 2, duration, guard_range);
  Row("FreezeGuard::IsAllowed", accounts, 2, guard_2);
  const Result decision_1 = Measure(ids, 1, duration, decision_range);
  Row("FreezeGuard::Check (with reason)", accounts, 1, decision_1);
  const Result index_1 = Measure(ids, 1, duration, index_range);
  Row("FreezeIndex::Check (server, no RPC)", accounts, 1, index_1);
  const Result index_2 = Measure(ids, 2, duration, index_range);
  Row("FreezeIndex::Check (server, no RPC)", accounts, 2, index_2);
  std::printf(
      "\nFreezeIndex::Check / FreezeGuard::IsAllowed ns per check, 1 thread: "
      "%.1f\n",
      NsPerCheck(index_1, 1) / NsPerCheck(guard_1, 1));

  (*guard)->Stop();
  server->Shutdown(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
  return 0;
}

}  // namespace
}  // namespace sentinel::bench

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return sentinel::bench::Main();
}
