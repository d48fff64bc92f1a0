// FreezeService figures against the real server (SentinelServer, what
// sentineld runs) on loopback, each beside its baseline in the same run:
//
// - CheckAccounts throughput in account checks per second, batches of
//   --batch accounts against single-account calls, from --clients
//   closed-loop clients over mutual TLS;
// - freeze propagation: from a FreezeAccount reply to a WatchFreezes
//   subscriber seeing the freeze (0 when the event arrives before the reply);
// - mutual TLS against plain text: single-account CheckAccounts latency on
//   two servers, one of each.
//
// Usage: freeze_bench [--seconds=5] [--clients=8] [--batch=1000]

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "bench/latency_stats.h"
#include "common/call_headers.h"
#include "common/server_process.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "sentinel/v1/freeze.grpc.pb.h"
#include "services/sentineld/sentinel_server.h"
#include "tls/credentials.h"
#include "tls/development_pki.h"

ABSL_FLAG(double, seconds, 5, "Measured seconds per scenario (0.1..600).");
ABSL_FLAG(int, clients, 8, "Closed-loop CheckAccounts clients (1..256).");
ABSL_FLAG(int, batch, 1000, "Accounts per batched CheckAccounts (2..10000).");

namespace sentinel::bench {
namespace {

constexpr int kFrozenAccounts = 1000;

// One server and how to reach it as a given role.
struct Target {
  std::unique_ptr<services::SentinelServer> server;
  std::string address;
  bool insecure = false;
  std::string tls_dir;

  std::shared_ptr<grpc::Channel> Channel(v1::Role role) const {
    if (insecure) {
      return grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
    }
    tls::DevelopmentPki pki(tls_dir);
    absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> credentials =
        tls::DevelopmentChannelCredentials(pki, role);
    if (!credentials.ok()) {
      std::fprintf(stderr, "%s\n", credentials.status().ToString().c_str());
      std::exit(1);
    }
    return grpc::CreateChannel(address, *credentials);
  }

  // A context with a deadline (and, in plain text, the identity header).
  std::unique_ptr<grpc::ClientContext> Context(v1::Role role) const {
    auto context = std::make_unique<grpc::ClientContext>();
    if (insecure) {
      context->AddMetadata(
          kPrincipalHeader,
          Principal{role, absl::StrCat("dev-", RoleName(role))}.ToUri());
    }
    context->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
    return context;
  }
};

Target Start(const std::string& data_dir, bool insecure) {
  services::SentinelServerOptions options;
  options.data_dir = data_dir;
  options.listen = "127.0.0.1:0";
  options.insecure = insecure;
  absl::StatusOr<std::unique_ptr<services::SentinelServer>> server =
      services::SentinelServer::Start(options);
  if (!server.ok()) {
    std::fprintf(stderr, "%s\n", server.status().ToString().c_str());
    std::exit(1);
  }
  Target target;
  target.address = absl::StrCat("127.0.0.1:", (*server)->port());
  target.server = *std::move(server);
  target.insecure = insecure;
  target.tls_dir = data_dir + "/tls";
  return target;
}

v1::FreezeAccountRequest FreezeRequest(const std::string& account) {
  v1::FreezeAccountRequest request;
  request.set_account_id(account);
  request.add_scopes(v1::FREEZE_SCOPE_WITHDRAW);
  request.set_reason("benchmark");
  return request;
}

// Freezes acct-0 .. acct-<kFrozenAccounts - 1>, so checks find real state.
void FreezeSome(const Target& target) {
  auto stub = v1::FreezeService::NewStub(target.Channel(v1::ROLE_SECURITY));
  for (int i = 0; i < kFrozenAccounts; ++i) {
    v1::FreezeRecord record;
    const grpc::Status status =
        stub->FreezeAccount(target.Context(v1::ROLE_SECURITY).get(),
                            FreezeRequest(absl::StrCat("acct-", i)), &record);
    if (!status.ok()) {
      std::fprintf(stderr, "freeze failed: %s\n",
                   status.error_message().c_str());
      std::exit(1);
    }
  }
}

struct Throughput {
  uint64_t checks = 0;
  uint64_t calls = 0;
  uint64_t errors = 0;
  std::vector<absl::Duration> latencies;  // sorted
};

// `clients` closed-loop clients sending CheckAccounts of `batch` accounts
// (half of them frozen) for `duration`.
Throughput Check(const Target& target, int clients, int batch,
                 absl::Duration duration) {
  std::atomic<uint64_t> checks{0}, calls{0}, errors{0};
  absl::Mutex mu;
  std::vector<absl::Duration> latencies;
  const absl::Time end = absl::Now() + duration;
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      auto stub = v1::FreezeService::NewStub(target.Channel(v1::ROLE_INTERNAL));
      v1::CheckAccountsRequest request;
      request.set_action(v1::FREEZE_SCOPE_WITHDRAW);
      for (int i = 0; i < batch; ++i) {
        request.add_account_ids(
            absl::StrCat("acct-", (c * 7919 + i * 2) % (2 * kFrozenAccounts)));
      }
      std::vector<absl::Duration> mine;
      while (absl::Now() < end) {
        v1::CheckAccountsResponse response;
        const absl::Time start = absl::Now();
        const grpc::Status status = stub->CheckAccounts(
            target.Context(v1::ROLE_INTERNAL).get(), request, &response);
        mine.push_back(absl::Now() - start);
        if (!status.ok() || response.results_size() != batch) {
          ++errors;
          continue;
        }
        ++calls;
        checks += static_cast<uint64_t>(batch);
      }
      absl::MutexLock lock(&mu);
      latencies.insert(latencies.end(), mine.begin(), mine.end());
    });
  }
  for (std::thread& thread : threads) thread.join();
  std::sort(latencies.begin(), latencies.end());
  return {checks.load(), calls.load(), errors.load(), std::move(latencies)};
}

// Freezes one new account at a time for `duration`; returns, sorted, how
// long after each reply a WatchFreezes subscriber saw that freeze.
std::vector<absl::Duration> Propagation(const Target& target,
                                        absl::Duration duration,
                                        uint64_t* errors) {
  absl::Mutex mu;
  absl::flat_hash_map<std::string, absl::Time> seen;
  grpc::ClientContext watch_context;
  if (target.insecure) {
    watch_context.AddMetadata(
        kPrincipalHeader, Principal{v1::ROLE_SECURITY, "dev-security"}.ToUri());
  }
  auto watch_stub =
      v1::FreezeService::NewStub(target.Channel(v1::ROLE_SECURITY));
  // From the start: the replay of the earlier freezes is over long before
  // the first measured one.
  auto reader = watch_stub->WatchFreezes(&watch_context, {});
  std::thread subscriber([&] {
    v1::FreezeEvent event;
    while (reader->Read(&event)) {
      const absl::Time now = absl::Now();
      absl::MutexLock lock(&mu);
      seen.emplace(event.freeze_id(), now);
    }
  });

  auto stub = v1::FreezeService::NewStub(target.Channel(v1::ROLE_SECURITY));
  std::vector<absl::Duration> delays;
  const absl::Time end = absl::Now() + duration;
  for (int i = 0; absl::Now() < end; ++i) {
    v1::FreezeRecord record;
    const grpc::Status status = stub->FreezeAccount(
        target.Context(v1::ROLE_SECURITY).get(),
        FreezeRequest(absl::StrCat("propagation-", i)), &record);
    const absl::Time replied = absl::Now();
    if (!status.ok()) {
      ++*errors;
      continue;
    }
    absl::MutexLock lock(&mu);
    const auto arrived = [&] { return seen.contains(record.freeze_id()); };
    if (!mu.AwaitWithTimeout(absl::Condition(&arrived), absl::Seconds(5))) {
      ++*errors;
      continue;
    }
    delays.push_back(
        std::max(absl::ZeroDuration(), seen[record.freeze_id()] - replied));
  }
  watch_context.TryCancel();
  subscriber.join();
  reader->Finish();
  std::sort(delays.begin(), delays.end());
  return delays;
}

int Run() {
  const double seconds = absl::GetFlag(FLAGS_seconds);
  const int clients = absl::GetFlag(FLAGS_clients);
  const int batch = absl::GetFlag(FLAGS_batch);
  if (seconds < 0.1 || seconds > 600 || clients < 1 || clients > 256 ||
      batch < 2 || batch > 10000) {
    std::fprintf(stderr,
                 "--seconds must be 0.1..600, --clients 1..256, --batch "
                 "2..10000\n");
    return 2;
  }
  const absl::Duration duration = absl::Seconds(seconds);
  const std::string dir = MakeScratchDir("");
  Target tls = Start(dir + "/tls-server", /*insecure=*/false);
  Target plain = Start(dir + "/plain-server", /*insecure=*/true);
  FreezeSome(tls);
  FreezeSome(plain);

  Check(tls, clients, 1, absl::Milliseconds(200));  // warm-up
  const Throughput single = Check(tls, clients, 1, duration);
  const Throughput batched = Check(tls, clients, batch, duration);
  uint64_t propagation_errors = 0;
  const std::vector<absl::Duration> propagation =
      Propagation(tls, duration, &propagation_errors);
  Check(plain, 1, 1, absl::Milliseconds(200));  // warm-up
  const Throughput plain_single = Check(plain, 1, 1, duration);
  const Throughput tls_single = Check(tls, 1, 1, duration);

  for (Target* target : {&tls, &plain}) {
    target->server->Shutdown(absl::Seconds(10));
    target->server.reset();
  }
  std::filesystem::remove_all(dir);

  const auto per_second = [&](uint64_t count) {
    return static_cast<int64_t>(static_cast<double>(count) / seconds);
  };
  std::printf(
      "| CheckAccounts | accounts per call | calls | account checks/s | "
      "p50 µs | p99 µs | errors |\n|---|---|---|---|---|---|---|\n");
  for (const auto& [name, result, size] :
       {std::tuple<const char*, const Throughput&, int>{"single account",
                                                        single, 1},
        std::tuple<const char*, const Throughput&, int>{"batched", batched,
                                                        batch}}) {
    std::printf("| %s | %d | %llu | %lld | %s | %s | %llu |\n", name, size,
                static_cast<unsigned long long>(result.calls),
                static_cast<long long>(per_second(result.checks)),
                Micros(Percentile(result.latencies, 0.5)).c_str(),
                Micros(Percentile(result.latencies, 0.99)).c_str(),
                static_cast<unsigned long long>(result.errors));
  }
  std::printf("\nbatched / single account checks per second: %.1f\n\n",
              static_cast<double>(batched.checks) /
                  static_cast<double>(std::max<uint64_t>(single.checks, 1)));

  std::printf(
      "| freeze propagation | freezes | p50 µs | p99 µs | max µs | errors "
      "|\n|---|---|---|---|---|---|\n");
  std::printf(
      "| reply to WatchFreezes event | %zu | %s | %s | %s | %llu |\n\n",
      propagation.size(), Micros(Percentile(propagation, 0.5)).c_str(),
      Micros(Percentile(propagation, 0.99)).c_str(),
      Micros(propagation.empty() ? absl::ZeroDuration() : propagation.back())
          .c_str(),
      static_cast<unsigned long long>(propagation_errors));

  std::printf(
      "| transport | CheckAccounts calls (1 client) | p50 µs | p99 µs | "
      "errors |\n|---|---|---|---|---|\n");
  for (const auto& [name, result] :
       {std::pair<const char*, const Throughput&>{"plain text", plain_single},
        std::pair<const char*, const Throughput&>{"mutual TLS", tls_single}}) {
    std::printf("| %s | %llu | %s | %s | %llu |\n", name,
                static_cast<unsigned long long>(result.calls),
                Micros(Percentile(result.latencies, 0.5)).c_str(),
                Micros(Percentile(result.latencies, 0.99)).c_str(),
                static_cast<unsigned long long>(result.errors));
  }
  std::printf("\nmutual TLS / plain text p50: %.2f\n",
              absl::FDivDuration(Percentile(tls_single.latencies, 0.5),
                                 Percentile(plain_single.latencies, 0.5)));
  return 0;
}

}  // namespace
}  // namespace sentinel::bench

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  sentinel::ConfigureServerProcess();
  return sentinel::bench::Run();
}
