// sentineld: hosts Sentinel's implemented services in one process on an
// embedded RocksDB database under --data_dir.
//
// Stops on SIGTERM or SIGINT: it refuses new calls, ends watch streams,
// finishes calls in flight, closes the database and exits 0.

#include <pthread.h>
#include <signal.h>
#include <sys/stat.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "audit/audit_log_layout.h"
#include "audit/audit_reader.h"
#include "audit/ed25519.h"
#include "audit/merkle_audit_log.h"
#include "common/bounded_executor.h"
#include "common/clock.h"
#include "common/rocks_database.h"
#include "freeze/freeze_manager.h"
#include "freeze/rocksdb_freeze_store.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "incident/incident_manager.h"
#include "incident/rocksdb_incident_store.h"
#include "services/audit/audit_grpc_service.h"
#include "services/common/authenticator.h"
#include "services/common/listen_address.h"
#include "services/freeze/freeze_grpc_service.h"
#include "services/intake/intake_grpc_service.h"
#include "services/intake/local_protective_freezer.h"

ABSL_FLAG(std::string, data_dir, "var",
          "Directory for the database and generated keys; created with "
          "owner-only permissions if missing.");
ABSL_FLAG(std::string, listen, "127.0.0.1:7443",
          "host:port to serve on; port 0 picks a free port (printed at start).");
ABSL_FLAG(bool, insecure, false,
          "Serve plain text, taking the caller's identity from the "
          "x-sentinel-principal header. Allowed only on a loopback address.");
ABSL_FLAG(absl::Duration, cooling_off, sentinel::freeze::kDefaultCoolingOff,
          "How long withdrawals stay held after a freeze covering WITHDRAW is "
          "lifted, e.g. 24h or 30m.");
ABSL_FLAG(std::string, audit_key, "",
          "PEM file of the Ed25519 key that signs audit checkpoints; default "
          "<data_dir>/keys/audit-ed25519.pem, created (mode 0600) if missing. "
          "Refused if group or others can read it.");
ABSL_FLAG(std::string, audit_origin, "sentinel/audit",
          "Origin line and key name of the audit log's signed checkpoints.");
ABSL_FLAG(int, audit_batch_max, 256,
          "Most audit entries committed in one synced write (1..10000).");
ABSL_FLAG(absl::Duration, audit_batch_delay, absl::Milliseconds(1),
          "Longest an audit append waits for others to share its synced "
          "write (0..100ms).");
ABSL_FLAG(std::string, sla, "",
          "SLA target overrides, e.g. \"P0=5m/4h,P2=2h/12h\" (acknowledge/"
          "resolve per priority); defaults P0 5m/4h, P1 15m/24h, P2 4h/24h, "
          "P3 24h/48h, halved for P2/P3 at VIP level 3+.");
ABSL_FLAG(int, emergency_threads, 2,
          "Threads that serve only P0 reports, the fast lane (1..64).");
ABSL_FLAG(int, ticket_threads, 2,
          "Threads that serve P1..P3 reports (1..64).");
ABSL_FLAG(int, max_queued_tickets, 256,
          "P1..P3 reports that may wait for a thread before callers get "
          "RESOURCE_EXHAUSTED with a retry hint (1..100000).");
ABSL_FLAG(int, write_threads, 4,
          "Threads that run synced writes (1..64).");
ABSL_FLAG(int, max_queued_writes, 1024,
          "Writes that may wait for a thread before callers get "
          "RESOURCE_EXHAUSTED (1..100000).");

namespace sentinel {
namespace {

// Sent to the client when messages exceed it: CheckAccounts' 10,000 ids of up
// to 128 bytes fit with room to spare.
constexpr int kMaxReceiveMessageBytes = 4 * 1024 * 1024;

int Fail(const absl::Status& status) {
  std::fprintf(stderr, "sentineld: %s\n", status.ToString().c_str());
  return 1;
}

int Usage(const std::string& message) {
  std::fprintf(stderr, "sentineld: %s (see --help)\n", message.c_str());
  return 2;
}

// Creates `path` if missing and restricts it to its owner.
absl::Status PrivateDirectory(const std::string& path) {
  std::error_code error;
  std::filesystem::create_directories(path, error);
  if (error) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot create ", path, ": ", error.message()));
  }
  if (chmod(path.c_str(), 0700) != 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot restrict ", path, " to its owner"));
  }
  return absl::OkStatus();
}

absl::Status WriteFile(const std::string& path, const std::string& contents) {
  std::ofstream file(path, std::ios::trunc);
  file << contents;
  file.close();
  if (!file) return absl::UnavailableError(absl::StrCat("cannot write ", path));
  return absl::OkStatus();
}

int Run() {
  const std::string data_dir = absl::GetFlag(FLAGS_data_dir);
  const std::string listen = absl::GetFlag(FLAGS_listen);
  const int write_threads = absl::GetFlag(FLAGS_write_threads);
  const int max_queued = absl::GetFlag(FLAGS_max_queued_writes);
  freeze::FreezeOptions freeze_options;
  freeze_options.cooling_off = absl::GetFlag(FLAGS_cooling_off);

  if (!absl::GetFlag(FLAGS_insecure)) {
    return Usage(
        "mutual TLS is not available in this version yet; start with "
        "--insecure on a loopback address");
  }
  if (!services::IsLoopbackAddress(listen)) {
    return Usage(absl::StrCat("--insecure is allowed only on a loopback "
                              "address (127.0.0.1, localhost, [::1]), not ",
                              listen));
  }
  if (freeze_options.cooling_off < absl::ZeroDuration()) {
    return Usage("--cooling_off must not be negative");
  }
  if (write_threads < 1 || write_threads > 64) {
    return Usage("--write_threads must be within 1..64");
  }
  if (max_queued < 1 || max_queued > 100000) {
    return Usage("--max_queued_writes must be within 1..100000");
  }
  const int emergency_threads = absl::GetFlag(FLAGS_emergency_threads);
  const int ticket_threads = absl::GetFlag(FLAGS_ticket_threads);
  const int max_queued_tickets = absl::GetFlag(FLAGS_max_queued_tickets);
  if (emergency_threads < 1 || emergency_threads > 64 || ticket_threads < 1 ||
      ticket_threads > 64) {
    return Usage("--emergency_threads and --ticket_threads must be within 1..64");
  }
  if (max_queued_tickets < 1 || max_queued_tickets > 100000) {
    return Usage("--max_queued_tickets must be within 1..100000");
  }
  absl::StatusOr<incident::SlaPolicy> sla =
      incident::SlaPolicy::Parse(absl::GetFlag(FLAGS_sla));
  if (!sla.ok()) return Usage(absl::StrCat("--", sla.status().message()));

  audit::AuditLogOptions audit_options;
  audit_options.origin = absl::GetFlag(FLAGS_audit_origin);
  audit_options.max_batch_entries =
      static_cast<size_t>(absl::GetFlag(FLAGS_audit_batch_max));
  audit_options.max_batch_delay = absl::GetFlag(FLAGS_audit_batch_delay);
  audit_options.published_checkpoint_path = data_dir + "/audit-checkpoint";
  if (absl::Status status = audit::ValidateKeyName(audit_options.origin);
      !status.ok()) {
    return Usage(absl::StrCat("--audit_origin: ", status.message()));
  }
  if (audit_options.max_batch_entries < 1 ||
      audit_options.max_batch_entries > 10000) {
    return Usage("--audit_batch_max must be within 1..10000");
  }
  if (audit_options.max_batch_delay < absl::ZeroDuration() ||
      audit_options.max_batch_delay > absl::Milliseconds(100)) {
    return Usage("--audit_batch_delay must be within 0..100ms");
  }

  for (const std::string& directory : {data_dir, data_dir + "/keys"}) {
    if (absl::Status status = PrivateDirectory(directory); !status.ok()) {
      return Fail(status);
    }
  }
  std::string key_path = absl::GetFlag(FLAGS_audit_key);
  absl::StatusOr<audit::Ed25519PrivateKey> audit_key =
      key_path.empty()
          ? audit::Ed25519PrivateKey::LoadOrCreate(data_dir +
                                                   "/keys/audit-ed25519.pem")
          : audit::Ed25519PrivateKey::Load(key_path);
  if (!audit_key.ok()) return Fail(audit_key.status());
  absl::StatusOr<std::unique_ptr<RocksDatabase>> database = RocksDatabase::Open(
      data_dir + "/db",
      {audit::kAuditFamily, freeze::kFreezeFamily, incident::kIncidentFamily});
  if (!database.ok()) return Fail(database.status());
  absl::StatusOr<std::unique_ptr<audit::MerkleAuditLog>> audit_log =
      audit::MerkleAuditLog::Open(**database, *std::move(audit_key),
                                  audit_options);
  if (!audit_log.ok()) return Fail(audit_log.status());
  // Public: auditors verify checkpoints with it.
  const std::string vkey_path = data_dir + "/audit.vkey";
  if (absl::Status status =
          WriteFile(vkey_path, (*audit_log)->verifier_key() + "\n");
      !status.ok()) {
    return Fail(status);
  }
  audit::AuditReader audit_reader(**database);
  freeze::RocksDbFreezeStore freeze_store(**database, **audit_log);
  absl::StatusOr<std::unique_ptr<freeze::FreezeManager>> freezes =
      freeze::FreezeManager::Create(freeze_store, SystemClock(),
                                    freeze_options);
  if (!freezes.ok()) return Fail(freezes.status());

  incident::RocksDbIncidentStore incident_store(**database, **audit_log);
  services::LocalProtectiveFreezer protective_freezer(**freezes);
  absl::StatusOr<std::unique_ptr<incident::IncidentManager>> incidents =
      incident::IncidentManager::Create(incident_store, protective_freezer,
                                        SystemClock(), *std::move(sla));
  if (!incidents.ok()) return Fail(incidents.status());

  services::HeaderAuthenticator authenticator;
  auto writes = std::make_unique<BoundedExecutor>(
      "freeze writes", static_cast<size_t>(write_threads),
      static_cast<size_t>(max_queued));
  services::FreezeGrpcService freeze_service(**freezes, authenticator,
                                             *writes);
  auto reads = std::make_unique<BoundedExecutor>(
      "audit reads", 2, static_cast<size_t>(max_queued));
  services::AuditGrpcService audit_service(**audit_log, audit_reader,
                                           authenticator, *reads, SystemClock());
  // The fast lane's queue is never the limit: P0 reports are not refused for
  // load (its threads are the bound).
  auto emergency = std::make_unique<BoundedExecutor>(
      "emergency reports", static_cast<size_t>(emergency_threads), 100000);
  auto tickets = std::make_unique<BoundedExecutor>(
      "ticket reports", static_cast<size_t>(ticket_threads),
      static_cast<size_t>(max_queued_tickets));
  auto desk = std::make_unique<BoundedExecutor>(
      "agent desk", 2, static_cast<size_t>(max_queued));
  services::IntakeGrpcService intake_service(
      **incidents, authenticator, {*emergency, *tickets, *desk});

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(listen, grpc::InsecureServerCredentials(), &port);
  builder.SetMaxReceiveMessageSize(kMaxReceiveMessageBytes);
  builder.RegisterService(&freeze_service);
  builder.RegisterService(&audit_service);
  builder.RegisterService(&intake_service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    return Fail(absl::UnavailableError(
        absl::StrCat("cannot listen on ", listen)));
  }

  const std::string host = listen.substr(0, listen.rfind(':'));
  std::fprintf(stderr,
               "sentineld: listening on %s:%d data_dir=%s "
               "services=FreezeService,AuditService,IncidentService cooling_off=%s "
               "audit_entries=%llu audit_key=%s\n"
               "sentineld: WARNING: --insecure: plain text, identity taken "
               "from the x-sentinel-principal header; for development only\n",
               host.c_str(), port, data_dir.c_str(),
               absl::FormatDuration(freeze_options.cooling_off).c_str(),
               static_cast<unsigned long long>((*audit_log)->size()),
               vkey_path.c_str());

  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  std::fprintf(stderr, "sentineld: %s received, shutting down\n",
               signal_number == SIGTERM ? "SIGTERM" : "SIGINT");

  // Watch streams never end on their own: close them first so Shutdown only
  // waits for calls that are really in flight.
  (*freezes)->feed().Close();
  (*audit_log)->feed().Close();
  server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(10));
  server->Wait();
  // Each executor runs every accepted call before the database closes.
  emergency.reset();
  tickets.reset();
  desk.reset();
  writes.reset();
  reads.reset();
  std::fprintf(stderr, "sentineld: stopped\n");
  return 0;
}

}  // namespace
}  // namespace sentinel

int main(int argc, char** argv) {
  // Block the stop signals in every thread (gRPC's and RocksDB's inherit the
  // mask); the main thread takes them with sigwait.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  absl::SetProgramUsageMessage(
      "Sentinel: emergency account-security incident response.\n"
      "Serves the implemented services on --listen with data under "
      "--data_dir.\nExample: sentineld --insecure --listen=127.0.0.1:7443 "
      "--data_dir=var");
  const std::vector<char*> positional = absl::ParseCommandLine(argc, argv);
  if (positional.size() > 1) {
    return sentinel::Usage(
        absl::StrCat("unexpected argument ", positional[1]));
  }
  return sentinel::Run();
}
