// P0 ReportIncident latency, alone and under a flood of P2/P3 reports, in
// the same run against the real server (SentinelServer, the code sentineld
// runs) on loopback, with a fresh RocksDB in a temporary directory.
//
// Each P0 report is a new account, so every measured call includes the
// protective freeze, the incident and both audit entries, all durable.
// The flood is closed-loop clients sending P2/P3 reports as fast as the
// server takes them (refusals with RESOURCE_EXHAUSTED are counted apart).
// The overload is open loop (bench/load_generator.h): P2/P3 reports offered
// at --overload_factor times the rate the flood got accepted, whatever the
// server does; the server must refuse what it cannot take with
// RESOURCE_EXHAUSTED, quickly, rather than let calls time out, while P0
// reports keep their latency.
//
// Usage: intake_latency_bench [--seconds=5] [--flood_clients=32]
//                             [--overload_factor=4]

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "bench/latency_stats.h"
#include "bench/load_generator.h"
#include "common/call_headers.h"
#include "common/server_process.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "sentinel/v1/incident.grpc.pb.h"
#include "services/sentineld/sentinel_server.h"

ABSL_FLAG(double, seconds, 5, "Measured seconds per phase (0.1..600).");
ABSL_FLAG(int, flood_clients, 32, "Concurrent P2/P3 clients (1..512).");
ABSL_FLAG(double, overload_factor, 4,
          "Open-loop P2/P3 rate, as a multiple of the rate the closed-loop "
          "flood got accepted (1..100).");

namespace sentinel::bench {
namespace {

struct Latencies {
  std::vector<absl::Duration> samples;
  uint64_t errors = 0;
};

std::unique_ptr<grpc::ClientContext> Context(const std::string& principal) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->AddMetadata(kPrincipalHeader, principal);
  context->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
  return context;
}

v1::ReportIncidentRequest Report(const std::string& account,
                                 v1::IncidentCategory category) {
  v1::ReportIncidentRequest request;
  request.set_account_id(account);
  request.set_category(category);
  request.set_channel(v1::CHANNEL_LIVE_CHAT);
  request.set_description(
      "customer says password and 2FA were changed from a device in another "
      "country and funds are leaving the account");
  return request;
}

// P0 reports one at a time for `duration`, each on a new account.
Latencies Probe(v1::IncidentService::Stub& stub, const std::string& tag,
                absl::Duration duration) {
  Latencies result;
  const absl::Time end = absl::Now() + duration;
  for (int i = 0; absl::Now() < end; ++i) {
    v1::Incident incident;
    const absl::Time start = absl::Now();
    const grpc::Status status = stub.ReportIncident(
        Context("spiffe://sentinel/role/internal/user/login-service").get(),
        Report(absl::StrCat(tag, "-", i),
               v1::INCIDENT_CATEGORY_ACCOUNT_TAKEOVER),
        &incident);
    const absl::Duration took = absl::Now() - start;
    if (!status.ok() || incident.protective_freeze_id().empty()) {
      ++result.errors;
      continue;
    }
    result.samples.push_back(took);
  }
  std::sort(result.samples.begin(), result.samples.end());
  return result;
}

// P2/P3 reports offered open loop at `rate` per second for `duration`, on
// four connections, each call with a 5 s deadline.
LoadReport OfferTickets(const std::string& address, double rate,
                        absl::Duration duration) {
  std::vector<std::unique_ptr<v1::IncidentService::Stub>> stubs;
  for (int c = 0; c < 4; ++c) {
    stubs.push_back(v1::IncidentService::NewStub(
        grpc::CreateChannel(address, grpc::InsecureChannelCredentials())));
  }
  LoadPlan plan;
  plan.rate = rate;
  plan.concurrency = 4096;
  plan.duration = duration;
  return RunLoad(plan, [&](uint64_t n,
                           std::function<void(const grpc::Status&)> done) {
    auto context = std::make_unique<grpc::ClientContext>();
    context->AddMetadata(kPrincipalHeader,
                         "spiffe://sentinel/role/agent/user/desk");
    context->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
    StartUnary<v1::ReportIncidentRequest, v1::Incident>(
        std::move(context),
        Report(absl::StrCat("o", n),
               n % 2 == 0 ? v1::INCIDENT_CATEGORY_WITHDRAWAL_NOT_RECEIVED
                          : v1::INCIDENT_CATEGORY_POLICY_QUESTION),
        std::move(done), [&](auto... args) {
          stubs[n % stubs.size()]->async()->ReportIncident(args...);
        });
  });
}

int Run() {
  const double seconds = absl::GetFlag(FLAGS_seconds);
  const int flood_clients = absl::GetFlag(FLAGS_flood_clients);
  if (seconds < 0.1 || seconds > 600 || flood_clients < 1 ||
      flood_clients > 512) {
    std::fprintf(stderr,
                 "--seconds must be 0.1..600, --flood_clients 1..512\n");
    return 2;
  }
  const double overload_factor = absl::GetFlag(FLAGS_overload_factor);
  if (overload_factor < 1 || overload_factor > 100) {
    std::fprintf(stderr, "--overload_factor must be 1..100\n");
    return 2;
  }
  const std::string dir = MakeScratchDir("");
  services::SentinelServerOptions options;
  options.data_dir = dir + "/data";
  options.listen = "127.0.0.1:0";
  // Plain text: this bench measures the lanes, not TLS (see #8 for that).
  options.insecure = true;
  absl::StatusOr<std::unique_ptr<services::SentinelServer>> server =
      services::SentinelServer::Start(options);
  if (!server.ok()) {
    std::fprintf(stderr, "%s\n", server.status().ToString().c_str());
    return 1;
  }
  const std::string address = absl::StrCat("127.0.0.1:", (*server)->port());
  // Emergencies and tickets arrive on separate connections, as separate
  // systems would send them.
  auto probe_stub = v1::IncidentService::NewStub(
      grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  const absl::Duration duration = absl::Seconds(seconds);

  Probe(*probe_stub, "warmup", absl::Milliseconds(200));
  const Latencies alone = Probe(*probe_stub, "alone", duration);

  std::atomic<bool> flooding{true};
  std::atomic<uint64_t> accepted{0}, refused{0}, failed{0};
  std::vector<std::thread> flood;
  for (int c = 0; c < flood_clients; ++c) {
    flood.emplace_back([&, c] {
      auto stub = v1::IncidentService::NewStub(
          grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
      for (int i = 0; flooding; ++i) {
        v1::Incident incident;
        const grpc::Status status = stub->ReportIncident(
            Context("spiffe://sentinel/role/agent/user/desk").get(),
            Report(absl::StrCat("t", c, "-", i),
                   i % 2 == 0 ? v1::INCIDENT_CATEGORY_WITHDRAWAL_NOT_RECEIVED
                              : v1::INCIDENT_CATEGORY_POLICY_QUESTION),
            &incident);
        if (status.ok()) {
          ++accepted;
        } else if (status.error_code() ==
                   grpc::StatusCode::RESOURCE_EXHAUSTED) {
          ++refused;
        } else {
          ++failed;
        }
      }
    });
  }
  absl::SleepFor(absl::Milliseconds(300));  // let the flood reach its rate
  const uint64_t accepted_before = accepted;
  const Latencies loaded = Probe(*probe_stub, "flood", duration);
  const uint64_t flood_accepted = accepted - accepted_before;
  flooding = false;
  for (std::thread& thread : flood) thread.join();

  const double offered = std::max(
      200.0, overload_factor * static_cast<double>(flood_accepted) / seconds);
  LoadReport overload;
  std::thread overloader(
      [&] { overload = OfferTickets(address, offered, duration); });
  absl::SleepFor(absl::Milliseconds(300));  // let the overload build up
  const Latencies overloaded = Probe(*probe_stub, "overload", duration);
  overloader.join();
  (*server)->Shutdown(absl::Seconds(10));
  server->reset();
  std::filesystem::remove_all(dir);

  std::printf(
      "| scenario | P0 reports | p50 µs | p99 µs | p99.9 µs | max µs | "
      "P0 errors | tickets accepted/s | tickets refused | tickets failed |\n");
  std::printf("|---|---|---|---|---|---|---|---|---|---|\n");
  for (const auto& [name, latencies] :
       {std::pair<const char*, const Latencies&>{"P0 alone", alone},
        std::pair<const char*, const Latencies&>{"P0 under P2/P3 flood",
                                                 loaded},
        std::pair<const char*, const Latencies&>{
            "P0 under open-loop P2/P3 overload", overloaded}}) {
    const bool under_flood = &latencies == &loaded;
    std::printf(
        "| %s | %zu | %s | %s | %s | %s | %llu | %s | %s | %s |\n", name,
        latencies.samples.size(),
        Micros(Percentile(latencies.samples, 0.5)).c_str(),
        Micros(Percentile(latencies.samples, 0.99)).c_str(),
        Micros(Percentile(latencies.samples, 0.999)).c_str(),
        Micros(latencies.samples.empty() ? absl::ZeroDuration()
                                         : latencies.samples.back())
            .c_str(),
        static_cast<unsigned long long>(latencies.errors),
        under_flood
            ? absl::StrCat(static_cast<int64_t>(
                               static_cast<double>(flood_accepted) / seconds))
                  .c_str()
            : "-",
        under_flood ? absl::StrCat(refused.load()).c_str() : "-",
        under_flood ? absl::StrCat(failed.load()).c_str() : "-");
  }
  const double ratio = absl::FDivDuration(Percentile(loaded.samples, 0.99),
                                          Percentile(alone.samples, 0.99));
  std::printf("\nP0 p99 under flood / alone: %.2f\n", ratio);
  std::printf("P0 p99 under overload / alone: %.2f\n",
              absl::FDivDuration(Percentile(overloaded.samples, 0.99),
                                 Percentile(alone.samples, 0.99)));

  const Outcome& refused_overload =
      overload.errors[grpc::StatusCode::RESOURCE_EXHAUSTED];
  std::printf(
      "\n| overload | offered/s | accepted/s | accepted p99 µs | refused | "
      "refusal p50 µs | refusal p99 µs | other errors | not sent |\n");
  std::printf("|---|---|---|---|---|---|---|---|---|\n");
  LoadReport others = overload;
  others.errors.erase(grpc::StatusCode::RESOURCE_EXHAUSTED);
  std::printf(
      "| P2/P3 open loop | %.0f | %.0f | %s | %llu | %s | %s | %s | %llu |\n",
      offered, overload.ok_per_second(),
      Micros(Percentile(overload.ok.latencies, 0.99)).c_str(),
      static_cast<unsigned long long>(refused_overload.count()),
      Micros(Percentile(refused_overload.latencies, 0.5)).c_str(),
      Micros(Percentile(refused_overload.latencies, 0.99)).c_str(),
      others.ErrorSummary().c_str(),
      static_cast<unsigned long long>(overload.not_sent));
  return 0;
}

}  // namespace
}  // namespace sentinel::bench

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  sentinel::ConfigureServerProcess();
  return sentinel::bench::Run();
}
