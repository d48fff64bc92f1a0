// Every implemented Sentinel service in one process on one embedded RocksDB:
// the wiring behind sentineld, also used by benchmarks to run the real
// server in process.
#ifndef SENTINEL_SERVICES_SENTINELD_SENTINEL_SERVER_H_
#define SENTINEL_SERVICES_SENTINELD_SENTINEL_SERVER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "audit/merkle_audit_log.h"
#include "freeze/freeze_limits.h"
#include "incident/evidence.h"
#include "incident/sla_policy.h"

namespace sentinel::services {

struct SentinelServerOptions {
  std::string data_dir = "var";
  // host:port; port 0 picks a free port (see SentinelServer::port()).
  std::string listen = "127.0.0.1:7443";
  // Plain text with the x-sentinel-principal header (loopback only; the
  // caller checks). Otherwise mutual TLS with the three files below, or,
  // when they are empty, the development PKI under <data_dir>/tls/.
  bool insecure = false;
  std::string tls_cert;
  std::string tls_key;
  std::string tls_client_ca;
  absl::Duration cooling_off = freeze::kDefaultCoolingOff;
  // Empty: <data_dir>/keys/audit-ed25519.pem, created if missing.
  std::string audit_key_path;
  std::string audit_origin = "sentinel/audit";
  size_t audit_batch_max = 256;
  absl::Duration audit_batch_delay = absl::Milliseconds(1);
  incident::SlaPolicy sla = incident::SlaPolicy::Default();
  size_t write_threads = 4;
  size_t max_queued_writes = 1024;
  size_t emergency_threads = 2;
  size_t ticket_threads = 2;
  size_t max_queued_tickets = 256;
  incident::EvidenceLimits evidence;
  size_t max_uploads = 8;
  // IngestLedger streams at once, and how far after the server's clock a
  // ledger event's time may be.
  size_t max_ingest_streams = 8;
  absl::Duration max_event_future_skew = absl::Minutes(10);
};

// The four services in one process over one RocksDB, served over mutual TLS
// (or, with `insecure`, plain text on loopback).
class SentinelServer {
 public:
  // Opens (or creates) the data under options.data_dir, runs the audit
  // log's start-up check, and starts serving. Errors: kInvalidArgument for
  // bad options, kDataLoss when the audit log fails its check, kUnavailable
  // when the database is locked or the address cannot be bound.
  static absl::StatusOr<std::unique_ptr<SentinelServer>> Start(
      const SentinelServerOptions& options);

  // Stops: refuses new calls, ends watch streams, finishes calls in flight
  // (waiting at most `grace`), and closes the database. Idempotent.
  virtual void Shutdown(absl::Duration grace) = 0;

  virtual ~SentinelServer() = default;

  virtual int port() const = 0;
  // Where the audit log's verifier key was written.
  virtual std::string verifier_key_path() const = 0;
  // How it serves, for the start line: "insecure", "mutual TLS (development
  // CA in var/tls)" or "mutual TLS".
  virtual std::string transport() const = 0;
  virtual uint64_t audit_entries() const = 0;
};

}  // namespace sentinel::services

#endif  // SENTINEL_SERVICES_SENTINELD_SENTINEL_SERVER_H_
