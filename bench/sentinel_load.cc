// sentinel-load: drives one kind of call at a running Sentinel server, open
// loop at a fixed rate or closed loop at a set concurrency
// (bench/load_generator.h), and prints one table row: calls, successes per
// second, latency percentiles of the successes, and failures by status
// code. Over mutual TLS with the server's development PKI (--tls_dir, e.g.
// DATA_DIR/tls), or plain text (--insecure) for a server started so.
//
//   sentinel-load --server=127.0.0.1:50051 --tls_dir=data/tls
//                 --rpc=report_p2 --rate=2000 --seconds=10
//   sentinel-load --server=... --tls_dir=... --rpc=check --batch=1000
//                 --concurrency=8
//
// --rpc: report_p0 (an account takeover, which freezes the account; role
// internal), report_p2 (a missing withdrawal; role agent), check
// (CheckAccounts of --batch accounts for WITHDRAW; role internal), freeze
// (FreezeAccount WITHDRAW; role security). Reports and freezes name a new
// account each call. Exit status: 0 when every call succeeded, 1 when any
// failed or was not sent, 2 for bad flags.
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "bench/latency_stats.h"
#include "bench/load_generator.h"
#include "common/call_headers.h"
#include "common/principal.h"
#include "grpc/grpc.h"
#include "grpcpp/create_channel.h"
#include "sentinel/v1/freeze.grpc.pb.h"
#include "sentinel/v1/incident.grpc.pb.h"
#include "tls/credentials.h"
#include "tls/development_pki.h"

ABSL_FLAG(std::string, server, "", "host:port of the server.");
ABSL_FLAG(std::string, tls_dir, "",
          "The server's development PKI (DATA_DIR/tls), for mutual TLS.");
ABSL_FLAG(bool, insecure, false, "Plain text instead of mutual TLS.");
ABSL_FLAG(std::string, rpc, "report_p2",
          "report_p0, report_p2, check or freeze.");
ABSL_FLAG(double, rate, 0,
          "Open loop at this many calls per second (0..1000000); 0: closed "
          "loop.");
ABSL_FLAG(int, concurrency, 16,
          "Closed loop: calls in flight. Open loop: the most in flight, "
          "beyond which a due call is not sent (1..100000).");
ABSL_FLAG(double, seconds, 5, "How long to offer calls (0.1..3600).");
ABSL_FLAG(int, batch, 1, "Accounts per CheckAccounts call (1..10000).");
ABSL_FLAG(int, deadline_ms, 2000, "Deadline of each call (1..60000).");
ABSL_FLAG(int, connections, 4, "Channels the calls share (1..64).");

namespace sentinel::bench {
namespace {

// The stubs of one connection.
struct Stubs {
  std::unique_ptr<v1::IncidentService::Stub> incidents;
  std::unique_ptr<v1::FreezeService::Stub> freezes;
};

struct Rpc {
  std::string name;
  v1::Role role;
  // Starts call `n` on `stubs`, calling `done` with its status.
  std::function<void(Stubs& stubs, uint64_t n,
                     std::unique_ptr<grpc::ClientContext> context,
                     std::function<void(const grpc::Status&)> done)>
      start;
};

v1::ReportIncidentRequest Report(const std::string& account,
                                 v1::IncidentCategory category) {
  v1::ReportIncidentRequest request;
  request.set_account_id(account);
  request.set_category(category);
  request.set_channel(v1::CHANNEL_INTERNAL_DETECTION);
  request.set_description("sentinel-load");
  return request;
}

// The calls --rpc names; accounts are unique to this run by `tag`.
std::vector<Rpc> Rpcs(const std::string& tag, int batch) {
  const auto report = [tag](v1::IncidentCategory category) {
    return [tag, category](Stubs& stubs, uint64_t n,
                           std::unique_ptr<grpc::ClientContext> context,
                           std::function<void(const grpc::Status&)> done) {
      StartUnary<v1::ReportIncidentRequest, v1::Incident>(
          std::move(context), Report(absl::StrCat(tag, "-", n), category),
          std::move(done), [&](auto... args) {
            stubs.incidents->async()->ReportIncident(args...);
          });
    };
  };
  return {
      {"report_p0", v1::ROLE_INTERNAL,
       report(v1::INCIDENT_CATEGORY_ACCOUNT_TAKEOVER)},
      {"report_p2", v1::ROLE_AGENT,
       report(v1::INCIDENT_CATEGORY_WITHDRAWAL_NOT_RECEIVED)},
      {"check", v1::ROLE_INTERNAL,
       [batch](Stubs& stubs, uint64_t n,
               std::unique_ptr<grpc::ClientContext> context,
               std::function<void(const grpc::Status&)> done) {
         v1::CheckAccountsRequest request;
         request.set_action(v1::FREEZE_SCOPE_WITHDRAW);
         for (int i = 0; i < batch; ++i) {
           request.add_account_ids(
               absl::StrCat("acct-", (n * batch + i) % 1000000));
         }
         StartUnary<v1::CheckAccountsRequest, v1::CheckAccountsResponse>(
             std::move(context), std::move(request), std::move(done),
             [&](auto... args) {
               stubs.freezes->async()->CheckAccounts(args...);
             });
       }},
      {"freeze", v1::ROLE_SECURITY,
       [tag](Stubs& stubs, uint64_t n,
             std::unique_ptr<grpc::ClientContext> context,
             std::function<void(const grpc::Status&)> done) {
         v1::FreezeAccountRequest request;
         request.set_account_id(absl::StrCat(tag, "-", n));
         request.add_scopes(v1::FREEZE_SCOPE_WITHDRAW);
         request.set_reason("sentinel-load");
         StartUnary<v1::FreezeAccountRequest, v1::FreezeRecord>(
             std::move(context), std::move(request), std::move(done),
             [&](auto... args) {
               stubs.freezes->async()->FreezeAccount(args...);
             });
       }},
  };
}

std::shared_ptr<grpc::Channel> Connect(const std::string& server, v1::Role role,
                                       int index) {
  // A channel argument of its own keeps gRPC from sharing one connection.
  grpc::ChannelArguments arguments;
  arguments.SetInt("sentinel.load.connection", index);
  if (absl::GetFlag(FLAGS_insecure)) {
    return grpc::CreateCustomChannel(server, grpc::InsecureChannelCredentials(),
                                     arguments);
  }
  const tls::DevelopmentPki pki(absl::GetFlag(FLAGS_tls_dir));
  absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> credentials =
      tls::DevelopmentChannelCredentials(pki, role);
  if (!credentials.ok()) {
    std::fprintf(stderr, "sentinel-load: %s\n",
                 credentials.status().ToString().c_str());
    std::exit(2);
  }
  return grpc::CreateCustomChannel(server, *credentials, arguments);
}

int Run() {
  const std::string server = absl::GetFlag(FLAGS_server);
  const double rate = absl::GetFlag(FLAGS_rate);
  const int concurrency = absl::GetFlag(FLAGS_concurrency);
  const double seconds = absl::GetFlag(FLAGS_seconds);
  const int batch = absl::GetFlag(FLAGS_batch);
  const int deadline_ms = absl::GetFlag(FLAGS_deadline_ms);
  const int connections = absl::GetFlag(FLAGS_connections);
  std::string problem;
  if (server.empty()) problem = "--server is required";
  if (absl::GetFlag(FLAGS_tls_dir).empty() && !absl::GetFlag(FLAGS_insecure)) {
    problem = "--tls_dir (the server's DATA_DIR/tls) or --insecure is required";
  }
  if (rate < 0 || rate > 1000000) problem = "--rate must be 0..1000000";
  if (concurrency < 1 || concurrency > 100000) {
    problem = "--concurrency must be 1..100000";
  }
  if (seconds < 0.1 || seconds > 3600) problem = "--seconds must be 0.1..3600";
  if (batch < 1 || batch > 10000) problem = "--batch must be 1..10000";
  if (deadline_ms < 1 || deadline_ms > 60000) {
    problem = "--deadline_ms must be 1..60000";
  }
  if (connections < 1 || connections > 64) {
    problem = "--connections must be 1..64";
  }
  const std::string tag =
      absl::StrCat("load-", absl::ToUnixMicros(absl::Now()));
  const Rpc* rpc = nullptr;
  const std::vector<Rpc> rpcs = Rpcs(tag, batch);
  for (const Rpc& candidate : rpcs) {
    if (candidate.name == absl::GetFlag(FLAGS_rpc)) rpc = &candidate;
  }
  if (rpc == nullptr) {
    problem = "--rpc must be report_p0, report_p2, check or freeze";
  }
  if (!problem.empty()) {
    std::fprintf(stderr, "sentinel-load: %s\n", problem.c_str());
    return 2;
  }

  std::vector<Stubs> stubs(connections);
  for (int c = 0; c < connections; ++c) {
    const std::shared_ptr<grpc::Channel> channel =
        Connect(server, rpc->role, c);
    stubs[c].incidents = v1::IncidentService::NewStub(channel);
    stubs[c].freezes = v1::FreezeService::NewStub(channel);
  }
  const std::string principal = Principal{rpc->role, "sentinel-load"}.ToUri();
  LoadPlan plan;
  plan.rate = rate;
  plan.concurrency = concurrency;
  plan.duration = absl::Seconds(seconds);
  const LoadReport report = RunLoad(
      plan, [&](uint64_t n, std::function<void(const grpc::Status&)> done) {
        auto context = std::make_unique<grpc::ClientContext>();
        context->set_deadline(
            absl::ToChronoTime(absl::Now() + absl::Milliseconds(deadline_ms)));
        if (absl::GetFlag(FLAGS_insecure)) {
          context->AddMetadata(kPrincipalHeader, principal);
        }
        rpc->start(stubs[n % stubs.size()], n, std::move(context),
                   std::move(done));
      });

  const std::string mode = rate > 0
                               ? absl::StrCat("open loop ", rate, "/s")
                               : absl::StrCat("closed loop x", concurrency);
  std::printf(
      "| rpc | mode | calls | ok/s | accounts/s | p50 µs | p99 µs | p99.9 µs "
      "| max µs | errors | not sent |\n");
  std::printf("|---|---|---|---|---|---|---|---|---|---|---|\n");
  const std::vector<absl::Duration>& ok = report.ok.latencies;
  std::printf(
      "| %s | %s | %llu | %.0f | %.0f | %s | %s | %s | %s | %s | %llu |\n",
      rpc->name.c_str(), mode.c_str(),
      static_cast<unsigned long long>(report.ok.count() + report.failed()),
      report.ok_per_second(),
      report.ok_per_second() * (rpc->name == "check" ? batch : 1),
      Micros(Percentile(ok, 0.5)).c_str(), Micros(Percentile(ok, 0.99)).c_str(),
      Micros(Percentile(ok, 0.999)).c_str(),
      Micros(ok.empty() ? absl::ZeroDuration() : ok.back()).c_str(),
      report.ErrorSummary().c_str(),
      static_cast<unsigned long long>(report.not_sent));
  return report.failed() == 0 && report.not_sent == 0 ? 0 : 1;
}

}  // namespace
}  // namespace sentinel::bench

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "drives one kind of call at a running Sentinel server and prints its "
      "latency and errors; see bench/sentinel_load.cc");
  absl::ParseCommandLine(argc, argv);
  // gRPC finishes a callback call on its own threads after the callback has
  // returned; exiting while they still run raced with them. Hold gRPC
  // initialized across Run() and, once its channels are gone, wait for
  // gRPC's threads to stop before exiting.
  grpc_init();
  const int exit_code = sentinel::bench::Run();
  grpc_shutdown_blocking();
  return exit_code;
}
