// The wiring of a Sentinel server process: any of the four services on one
// embedded RocksDB. sentineld hosts all four (the single-machine default,
// also what benchmarks and tests run in process); sentinel-audit,
// sentinel-freeze, sentinel-intake and sentinel-trace host one each and
// reach the others over gRPC with mutual TLS, through the same code paths.
#ifndef SENTINEL_SERVICES_SENTINELD_SENTINEL_SERVER_H_
#define SENTINEL_SERVICES_SENTINELD_SENTINEL_SERVER_H_

#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "audit/merkle_audit_log.h"
#include "common/principal.h"
#include "freeze/freeze_limits.h"
#include "incident/evidence.h"
#include "incident/sla_policy.h"

namespace sentinel::services {

// Which services a process hosts. The rest are peers: the freeze service
// at `freeze_address`, the audit service at `audit_address`.
struct HostedServices {
  bool audit = true;
  bool freeze = true;
  bool intake = true;
  bool trace = true;
};

// The Sentinel service principal a process hosting `hosted` presents to its
// peers: the first hosted of intake, trace, freeze and audit
// ("service/intake"). Its audit outbox's origin is "sentinel-<name>", the
// only origin the audit service accepts from it.
Principal PeerIdentity(const HostedServices& hosted);

struct SentinelServerOptions {
  // Names the process in log lines, and its audit outbox ("sentinel-freeze").
  std::string process_name = "sentineld";
  HostedServices services;
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
  // Optional, with the three above: PEM CRLs issued by tls_client_ca. A
  // client certificate they list fails its handshake, and calls on
  // connections opened before it was listed are refused (UNAUTHENTICATED).
  // The file is re-read within a second of a change (tls::CrlWatcher); a
  // version that does not verify is logged and the one before stays in
  // force. At start, a file that cannot be read or verified is an error.
  std::string tls_crl;
  absl::Duration cooling_off = freeze::kDefaultCoolingOff;
  // How long an unfreeze request waits for a decision before it expires.
  absl::Duration unfreeze_request_ttl = freeze::kDefaultUnfreezeRequestTtl;
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

  // A plain-text host:port serving only grpc.health.v1.Health, for
  // orchestrators' probes (which cannot present client certificates);
  // empty: none.
  std::string health_listen;
  // Where the services this process does not host are. Used only when
  // needed: audit_address without the audit service, freeze_address by
  // intake or trace without the freeze service.
  std::string audit_address = "127.0.0.1:7451";
  std::string freeze_address = "127.0.0.1:7452";
  // The client certificate presented to peers, its key, and the CA their
  // server certificates must chain to; all empty: the development PKI's
  // client certificate of role internal (in tls_dir).
  std::string peer_cert;
  std::string peer_key;
  std::string peer_ca;
  // The development PKI's directory; empty: <data_dir>/tls. Processes that
  // share one directory share one CA.
  std::string tls_dir;
  // Deadline of each call to a peer (retries of UNAVAILABLE included).
  absl::Duration peer_timeout = absl::Seconds(2);
  // With intake: how often protective freezes that failed are retried
  // (ProtectiveFreezeRetrier).
  absl::Duration freeze_retry_interval = absl::Seconds(1);
  // Called with each structured log line the server writes after start-up
  // (the audit outbox's delivery failures and recoveries, protective freeze
  // retries). May be empty.
  std::function<void(const std::string&)> log;
};

// The hosted services over one RocksDB, served over mutual TLS (or, with
// `insecure`, plain text on loopback). Health (grpc.health.v1) reports each
// hosted service SERVING once the database is open and the start-up checks
// have passed, and NOT_SERVING from the start of Shutdown.
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
  // The port of `health_listen`; 0 without one.
  virtual int health_port() const = 0;
  // Where the audit log's verifier key was written; empty without the audit
  // service.
  virtual std::string verifier_key_path() const = 0;
  // How it serves, for the start line: "insecure", "mutual TLS (development
  // CA in var/tls)", "mutual TLS" or "mutual TLS, CRL /etc/crl.pem (2
  // revoked)".
  virtual std::string transport() const = 0;
  // Entries in the audit log (0 without the audit service).
  virtual uint64_t audit_entries() const = 0;
  // Audit records in this process's outbox not yet delivered (0 with the
  // audit service in process).
  virtual uint64_t undelivered_audit_records() const = 0;
};

}  // namespace sentinel::services

#endif  // SENTINEL_SERVICES_SENTINELD_SENTINEL_SERVER_H_
