// The main() of every Sentinel server binary (sentineld and the four
// single-service ones): reads the flags, starts a SentinelServer hosting the
// program's services, and waits for a stop signal.
//
// Stops on SIGTERM or SIGINT: health turns NOT_SERVING, it refuses new
// calls, ends watch streams, finishes calls in flight (at most 10 s),
// closes the database and exits 0.
#include "services/sentineld/server_main.h"

#include <pthread.h>
#include <signal.h>

#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/flags/usage_config.h"
#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "audit/checkpoint_note.h"
#include "common/server_process.h"
#include "common/listen_address.h"
#include "services/sentineld/sentinel_server.h"

ABSL_FLAG(std::string, data_dir, "var",
          "Directory for the database and generated keys; created with "
          "owner-only permissions if missing.");
ABSL_FLAG(std::string, listen, "",
          "host:port to serve on; port 0 picks a free port (printed at "
          "start). Default 127.0.0.1 and the program's port: sentineld 7443, "
          "sentinel-audit 7451, sentinel-freeze 7452, sentinel-intake 7453, "
          "sentinel-trace 7454.");
ABSL_FLAG(std::string, health_listen, "",
          "host:port of a plain-text port serving only grpc.health.v1.Health "
          "(for orchestrators' probes); empty: none.");
ABSL_FLAG(std::string, audit_address, "127.0.0.1:7451",
          "host:port of sentinel-audit, for the services that do not host "
          "the audit log.");
ABSL_FLAG(std::string, freeze_address, "127.0.0.1:7452",
          "host:port of sentinel-freeze, for sentinel-intake and "
          "sentinel-trace.");
ABSL_FLAG(std::string, peer_cert, "",
          "PEM client certificate presented to peer services (role "
          "internal). With --peer_key and --peer_ca; without all three, the "
          "development PKI's internal client certificate in --tls_dir.");
ABSL_FLAG(std::string, peer_key, "", "PEM private key of --peer_cert.");
ABSL_FLAG(std::string, peer_ca, "",
          "PEM CA certificate(s) peer services' server certificates must "
          "chain to.");
ABSL_FLAG(std::string, tls_dir, "",
          "Directory of the development PKI (created when missing); default "
          "<data_dir>/tls. Processes sharing it share one CA.");
ABSL_FLAG(absl::Duration, peer_timeout, absl::Seconds(2),
          "Deadline of each call to a peer service, retries included "
          "(100ms..60s).");
ABSL_FLAG(absl::Duration, freeze_retry_interval, absl::Seconds(1),
          "With intake: how often a P0 report's protective freeze that "
          "failed (the freeze service down) is tried again (100ms..1h).");
ABSL_FLAG(bool, dev_pki, false,
          "Serve mutual TLS with a development CA, server and client "
          "certificates created on first start under --tls_dir (default "
          "<data_dir>/tls), and call peers with this service's development "
          "certificate. For one machine and tests only: the CA key lies next "
          "to what it signs. Without it, give --tls_cert, --tls_key and "
          "--tls_client_ca (and --peer_* for peers), or --insecure.");
ABSL_FLAG(bool, insecure, false,
          "Serve plain text, taking the caller's identity from the "
          "x-sentinel-principal header. Allowed only on a loopback address.");
ABSL_FLAG(std::string, tls_cert, "",
          "PEM certificate (chain) the server presents. With --tls_key and "
          "--tls_client_ca; without all three, a development CA and "
          "certificates are created under <data_dir>/tls/.");
ABSL_FLAG(std::string, tls_key, "",
          "PEM private key of --tls_cert; must be readable by its owner only.");
ABSL_FLAG(std::string, tls_client_ca, "",
          "PEM CA certificate(s) that client certificates must chain to; the "
          "caller is the certificate's URI SAN "
          "spiffe://sentinel/role/<role>/user/<name>.");
ABSL_FLAG(std::string, tls_crl, "",
          "PEM file of CRLs issued by --tls_client_ca (deploy/gen-certs.sh "
          "revoke): a client certificate they list is refused. Re-read "
          "within a second of a change; a version that does not verify is "
          "logged and the one before stays in force. Optional; needs "
          "--tls_cert, --tls_key and --tls_client_ca.");
ABSL_FLAG(absl::Duration, cooling_off, sentinel::freeze::kDefaultCoolingOff,
          "How long withdrawals stay held after a freeze covering WITHDRAW is "
          "lifted, e.g. 24h or 30m.");
ABSL_FLAG(absl::Duration, unfreeze_request_ttl,
          sentinel::freeze::kDefaultUnfreezeRequestTtl,
          "How long an unfreeze request waits for a second person before it "
          "expires (1m..720h).");
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
ABSL_FLAG(int, ticket_threads, 2, "Threads that serve P1..P3 reports (1..64).");
ABSL_FLAG(int, max_queued_tickets, 256,
          "P1..P3 reports that may wait for a thread before callers get "
          "RESOURCE_EXHAUSTED with a retry hint (1..100000).");
ABSL_FLAG(int64_t, max_evidence_bytes,
          sentinel::incident::kDefaultMaxEvidenceFileBytes,
          "Largest evidence file accepted, in bytes (1..67108864).");
ABSL_FLAG(int, max_uploads, 8,
          "Evidence uploads assembled in memory at once (1..64); more are "
          "refused with RESOURCE_EXHAUSTED.");
ABSL_FLAG(int, max_ingest_streams, 8,
          "IngestLedger streams served at once (1..64); more are refused "
          "with RESOURCE_EXHAUSTED.");
ABSL_FLAG(absl::Duration, max_event_future_skew, absl::Minutes(10),
          "How far after this server's clock a ledger event's time may be "
          "(0..24h); later events are rejected.");
ABSL_FLAG(int, write_threads, 4, "Threads that run synced writes (1..64).");
ABSL_FLAG(int, max_queued_writes, 1024,
          "Writes that may wait for a thread before callers get "
          "RESOURCE_EXHAUSTED (1..100000).");

namespace sentinel::services {
namespace {

const ProgramSpec* program = nullptr;

int Fail(const absl::Status& status) {
  std::fprintf(stderr, "%s: %s\n", program->name, status.ToString().c_str());
  return 1;
}

int Usage(const std::string& message) {
  std::fprintf(stderr, "%s: %s (see --help)\n", program->name, message.c_str());
  return 2;
}

// Reads and checks the flags; nullopt after printing a usage error.
std::optional<SentinelServerOptions> OptionsFromFlags(int* exit_code) {
  *exit_code = 2;
  SentinelServerOptions options;
  options.process_name = program->name;
  options.services = program->services;
  options.data_dir = absl::GetFlag(FLAGS_data_dir);
  options.listen = absl::GetFlag(FLAGS_listen);
  if (options.listen.empty()) options.listen = program->default_listen;
  options.health_listen = absl::GetFlag(FLAGS_health_listen);
  options.audit_address = absl::GetFlag(FLAGS_audit_address);
  options.freeze_address = absl::GetFlag(FLAGS_freeze_address);
  options.peer_cert = absl::GetFlag(FLAGS_peer_cert);
  options.peer_key = absl::GetFlag(FLAGS_peer_key);
  options.peer_ca = absl::GetFlag(FLAGS_peer_ca);
  options.tls_dir = absl::GetFlag(FLAGS_tls_dir);
  options.peer_timeout = absl::GetFlag(FLAGS_peer_timeout);
  options.freeze_retry_interval = absl::GetFlag(FLAGS_freeze_retry_interval);
  options.log = [](const std::string& line) {
    std::fprintf(stderr, "%s: %s\n", program->name, line.c_str());
  };
  options.cooling_off = absl::GetFlag(FLAGS_cooling_off);
  options.unfreeze_request_ttl = absl::GetFlag(FLAGS_unfreeze_request_ttl);
  options.audit_key_path = absl::GetFlag(FLAGS_audit_key);
  options.audit_origin = absl::GetFlag(FLAGS_audit_origin);
  options.audit_batch_delay = absl::GetFlag(FLAGS_audit_batch_delay);
  const int audit_batch_max = absl::GetFlag(FLAGS_audit_batch_max);
  const int write_threads = absl::GetFlag(FLAGS_write_threads);
  const int max_queued = absl::GetFlag(FLAGS_max_queued_writes);
  const int emergency_threads = absl::GetFlag(FLAGS_emergency_threads);
  const int ticket_threads = absl::GetFlag(FLAGS_ticket_threads);
  const int max_queued_tickets = absl::GetFlag(FLAGS_max_queued_tickets);
  const int64_t max_evidence_bytes = absl::GetFlag(FLAGS_max_evidence_bytes);
  const int max_uploads = absl::GetFlag(FLAGS_max_uploads);
  const int max_ingest_streams = absl::GetFlag(FLAGS_max_ingest_streams);

  const auto usage = [](const std::string& message) {
    Usage(message);
    return std::nullopt;
  };
  options.insecure = absl::GetFlag(FLAGS_insecure);
  options.tls_cert = absl::GetFlag(FLAGS_tls_cert);
  options.tls_key = absl::GetFlag(FLAGS_tls_key);
  options.tls_client_ca = absl::GetFlag(FLAGS_tls_client_ca);
  const int tls_files = !options.tls_cert.empty() + !options.tls_key.empty() +
                        !options.tls_client_ca.empty();
  if (tls_files != 0 && tls_files != 3) {
    return usage(
        "--tls_cert, --tls_key and --tls_client_ca go together: give all "
        "three, or --dev_pki for a development CA under <data_dir>/tls/");
  }
  options.tls_crl = absl::GetFlag(FLAGS_tls_crl);
  if (!options.tls_crl.empty() && tls_files != 3) {
    return usage(
        "--tls_crl needs --tls_cert, --tls_key and --tls_client_ca: its CRLs "
        "are checked against --tls_client_ca (not with --dev_pki or "
        "--insecure)");
  }
  const bool dev_pki = absl::GetFlag(FLAGS_dev_pki);
  if (dev_pki && (tls_files != 0 || options.insecure)) {
    return usage(
        "--dev_pki makes its own certificates: it takes no --tls_ flags and "
        "no --insecure");
  }
  if (!dev_pki && !options.insecure && tls_files == 0) {
    return usage(
        "no TLS certificate: give --tls_cert, --tls_key and --tls_client_ca, "
        "or --dev_pki for a development CA under <data_dir>/tls/ (one machine "
        "and tests only), or --insecure on loopback");
  }
  const int peer_files = !options.peer_cert.empty() +
                         !options.peer_key.empty() + !options.peer_ca.empty();
  if (peer_files != 0 && peer_files != 3) {
    return usage(
        "--peer_cert, --peer_key and --peer_ca go together: give all three, "
        "or --dev_pki for the development PKI in --tls_dir");
  }
  const bool has_peers = !options.services.audit ||
                         ((options.services.intake || options.services.trace) &&
                          !options.services.freeze);
  if (has_peers && peer_files == 0 && !dev_pki && !options.insecure) {
    return usage(
        "this process calls its peers: give --peer_cert, --peer_key and "
        "--peer_ca (its service certificate), or --dev_pki");
  }
  if (options.peer_timeout < absl::Milliseconds(100) ||
      options.peer_timeout > absl::Seconds(60)) {
    return usage("--peer_timeout must be within 100ms..60s");
  }
  if (options.freeze_retry_interval < absl::Milliseconds(100) ||
      options.freeze_retry_interval > absl::Hours(1)) {
    return usage("--freeze_retry_interval must be within 100ms..1h");
  }
  if (options.insecure && tls_files != 0) {
    return usage("--insecure serves plain text; it takes no --tls_ flags");
  }
  if (options.insecure && !IsLoopbackAddress(options.listen)) {
    return usage(
        absl::StrCat("--insecure is allowed only on a loopback "
                     "address (127.0.0.1, localhost, [::1]), not ",
                     options.listen));
  }
  if (options.cooling_off < absl::ZeroDuration()) {
    return usage("--cooling_off must not be negative");
  }
  if (options.unfreeze_request_ttl < absl::Minutes(1) ||
      options.unfreeze_request_ttl > absl::Hours(720)) {
    return usage("--unfreeze_request_ttl must be within 1m..720h");
  }
  if (absl::Status status = audit::ValidateKeyName(options.audit_origin);
      !status.ok()) {
    return usage(absl::StrCat("--audit_origin: ", status.message()));
  }
  if (audit_batch_max < 1 || audit_batch_max > 10000) {
    return usage("--audit_batch_max must be within 1..10000");
  }
  if (options.audit_batch_delay < absl::ZeroDuration() ||
      options.audit_batch_delay > absl::Milliseconds(100)) {
    return usage("--audit_batch_delay must be within 0..100ms");
  }
  for (int threads : {write_threads, emergency_threads, ticket_threads}) {
    if (threads < 1 || threads > 64) {
      return usage(
          "--write_threads, --emergency_threads and --ticket_threads must be "
          "within 1..64");
    }
  }
  for (int queued : {max_queued, max_queued_tickets}) {
    if (queued < 1 || queued > 100000) {
      return usage(
          "--max_queued_writes and --max_queued_tickets must be within "
          "1..100000");
    }
  }
  if (max_evidence_bytes < 1 || max_evidence_bytes > (int64_t{64} << 20)) {
    return usage("--max_evidence_bytes must be within 1..67108864");
  }
  if (max_uploads < 1 || max_uploads > 64) {
    return usage("--max_uploads must be within 1..64");
  }
  if (max_ingest_streams < 1 || max_ingest_streams > 64) {
    return usage("--max_ingest_streams must be within 1..64");
  }
  options.max_event_future_skew = absl::GetFlag(FLAGS_max_event_future_skew);
  if (options.max_event_future_skew < absl::ZeroDuration() ||
      options.max_event_future_skew > absl::Hours(24)) {
    return usage("--max_event_future_skew must be within 0..24h");
  }
  absl::StatusOr<incident::SlaPolicy> sla =
      incident::SlaPolicy::Parse(absl::GetFlag(FLAGS_sla));
  if (!sla.ok()) return usage(absl::StrCat("--", sla.status().message()));
  options.sla = *std::move(sla);
  options.audit_batch_max = static_cast<size_t>(audit_batch_max);
  options.write_threads = static_cast<size_t>(write_threads);
  options.max_queued_writes = static_cast<size_t>(max_queued);
  options.emergency_threads = static_cast<size_t>(emergency_threads);
  options.ticket_threads = static_cast<size_t>(ticket_threads);
  options.max_queued_tickets = static_cast<size_t>(max_queued_tickets);
  options.evidence.max_file_bytes = max_evidence_bytes;
  options.max_uploads = static_cast<size_t>(max_uploads);
  options.max_ingest_streams = static_cast<size_t>(max_ingest_streams);
  return options;
}

int Run() {
  int usage_code = 0;
  std::optional<SentinelServerOptions> options = OptionsFromFlags(&usage_code);
  if (!options.has_value()) return usage_code;
  absl::StatusOr<std::unique_ptr<SentinelServer>> server =
      SentinelServer::Start(*options);
  if (!server.ok()) return Fail(server.status());

  const std::string host =
      options->listen.substr(0, options->listen.rfind(':'));
  const HostedServices& hosted = options->services;
  std::vector<std::string> names;
  if (hosted.freeze) names.push_back("FreezeService");
  if (hosted.audit) names.push_back("AuditService");
  if (hosted.intake) names.push_back("IncidentService");
  if (hosted.trace) names.push_back("TraceService");
  std::string peers;
  if (!hosted.audit)
    absl::StrAppend(&peers, " audit_peer=", options->audit_address);
  if (!hosted.freeze && (hosted.intake || hosted.trace)) {
    absl::StrAppend(&peers, " freeze_peer=", options->freeze_address);
  }
  std::fprintf(
      stderr,
      "%s: listening on %s:%d event=listening data_dir=%s services=%s%s "
      "health_port=%d cooling_off=%s audit_entries=%llu "
      "audit_outbox_undelivered=%llu audit_key=%s transport=\"%s\"\n",
      program->name, host.c_str(), (*server)->port(), options->data_dir.c_str(),
      absl::StrJoin(names, ",").c_str(), peers.c_str(),
      (*server)->health_port(),
      absl::FormatDuration(options->cooling_off).c_str(),
      static_cast<unsigned long long>((*server)->audit_entries()),
      static_cast<unsigned long long>((*server)->undelivered_audit_records()),
      (*server)->verifier_key_path().c_str(), (*server)->transport().c_str());
  if (options->insecure) {
    std::fprintf(stderr,
                 "%s: WARNING: --insecure: plain text, identity taken "
                 "from the x-sentinel-principal header; for development "
                 "only\n",
                 program->name);
  }

  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  std::fprintf(stderr, "%s: shutting down event=draining signal=%s\n",
               program->name, signal_number == SIGTERM ? "SIGTERM" : "SIGINT");
  (*server)->Shutdown(absl::Seconds(10));
  server->reset();
  std::fprintf(stderr, "%s: stopped event=stopped\n", program->name);
  return 0;
}

}  // namespace
int ServerMain(int argc, char** argv, const ProgramSpec& spec) {
  program = &spec;
  ConfigureServerProcess();
  // Block the stop signals in every thread (gRPC's and RocksDB's inherit the
  // mask); the main thread takes them with sigwait.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  // --help lists the flags of this file (they are every binary's).
  absl::FlagsUsageConfig usage_config;
  usage_config.contains_help_flags = [](absl::string_view file) {
    return absl::StrContains(file, "server_main");
  };
  usage_config.contains_helpshort_flags = usage_config.contains_help_flags;
  absl::SetFlagsUsageConfig(usage_config);
  absl::SetProgramUsageMessage(absl::StrCat(
      "Sentinel: emergency account-security incident response.\n",
      spec.description,
      "\nOptions may also come from a file: --flagfile=FILE "
      "(one --flag=value per line).\nExample: ",
      spec.name, " --listen=", spec.default_listen, " --data_dir=var"));
  const std::vector<char*> positional = absl::ParseCommandLine(argc, argv);
  if (positional.size() > 1) {
    return Usage(absl::StrCat("unexpected argument ", positional[1]));
  }
  return Run();
}

}  // namespace sentinel::services
