#include "services/sentineld/sentinel_server.h"

#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "audit/audit_inbox.h"
#include "audit/audit_log_layout.h"
#include "audit/audit_outbox.h"
#include "audit/audit_reader.h"
#include "audit/ed25519.h"
#include "common/bounded_executor.h"
#include "common/clock.h"
#include "common/rocks_database.h"
#include "common/status_macros.h"
#include "freeze/freeze_manager.h"
#include "freeze/rocksdb_freeze_store.h"
#include "grpc/grpc.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/generic/async_generic_service.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/impl/server_builder_option.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "incident/incident_manager.h"
#include "incident/rocksdb_incident_store.h"
#include "services/audit/audit_grpc_service.h"
#include "services/audit/audit_peer_client.h"
#include "services/common/authenticator.h"
#include "common/listen_address.h"
#include "services/common/message_limits.h"
#include "services/common/tls_authenticator.h"
#include "services/freeze/freeze_grpc_service.h"
#include "services/freeze/freeze_service_client.h"
#include "services/freeze/local_account_freezer.h"
#include "services/freeze/unfreeze_expiry_sweeper.h"
#include "services/intake/incident_protective_freezer.h"
#include "services/intake/intake_grpc_service.h"
#include "services/intake/protective_freeze_retrier.h"
#include "services/trace/trace_grpc_service.h"
#include "tls/credentials.h"
#include "tls/crl_watcher.h"
#include "tls/development_clients.h"
#include "tls/development_pki.h"
#include "trace/rocksdb_ledger_store.h"
#include "trace/trace_manager.h"

namespace sentinel::services {
namespace {

// How calls to a peer back off, and how soon its channel tries to reconnect
// after the peer was down: at most every 500 ms, so that the first call after
// a peer restarts finds the channel ready within its peer_timeout (2 s by
// default) instead of failing while the channel still waits out a longer
// backoff.
client::BackoffPolicy PeerBackoff() {
  client::BackoffPolicy backoff;
  backoff.initial = absl::Milliseconds(100);
  backoff.max = absl::Milliseconds(500);
  return backoff;
}

// The plain-text health port serves health and nothing else: no caller
// identity reaches it, so it must not describe the API either.
// InitProtoReflectionServerBuilderPlugin adds reflection to every
// ServerBuilder of the process; this option takes it out again.
class WithoutReflection final : public grpc::ServerBuilderOption {
 public:
  void UpdateArguments(grpc::ChannelArguments* /*args*/) override {}
  void UpdatePlugins(std::vector<std::unique_ptr<grpc::ServerBuilderPlugin>>*
                         plugins) override {
    std::erase_if(*plugins, [](const auto& plugin) {
      return dynamic_cast<grpc::reflection::ProtoServerReflectionPlugin*>(
                 plugin.get()) != nullptr;
    });
  }
};

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

// The health-check name of each service.
constexpr char kAuditServiceName[] = "sentinel.v1.AuditService";
constexpr char kFreezeServiceName[] = "sentinel.v1.FreezeService";
constexpr char kIncidentServiceName[] = "sentinel.v1.IncidentService";
constexpr char kTraceServiceName[] = "sentinel.v1.TraceService";

class Server final : public SentinelServer {
 public:
  absl::Status Open(const SentinelServerOptions& options);
  // Chooses how calls arrive and who makes them: the credentials to listen
  // with, and authenticator_ and transport_ to match.
  absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> Transport(
      const SentinelServerOptions& options);
  void Shutdown(absl::Duration grace) override;
  ~Server() override { Shutdown(absl::Seconds(10)); }

  int port() const override { return port_; }
  int health_port() const override { return health_port_; }
  std::string verifier_key_path() const override { return vkey_path_; }
  uint64_t audit_entries() const override {
    return audit_log_ != nullptr ? audit_log_->size() : 0;
  }
  uint64_t undelivered_audit_records() const override {
    return outbox_ != nullptr ? outbox_->undelivered() : 0;
  }
  std::string transport() const override { return transport_; }

 private:
  // The audit log in this process, or the outbox to the audit service.
  absl::Status OpenAudit(const SentinelServerOptions& options,
                         const std::string& data_dir);
  // How this process calls its peers.
  absl::StatusOr<client::ServerConnection> PeerConnection(
      const SentinelServerOptions& options, const std::string& address) const;
  absl::Status OpenDomains(const SentinelServerOptions& options);
  absl::Status Serve(const SentinelServerOptions& options,
                     std::shared_ptr<grpc::ServerCredentials> credentials);
  void SetServing(bool serving);

  // Members are destroyed in reverse order: the gRPC server first, then the
  // executors (running every accepted call), the domains, the database.
  std::unique_ptr<RocksDatabase> database_;
  std::unique_ptr<audit::MerkleAuditLog> audit_log_;
  std::unique_ptr<audit::AuditReader> audit_reader_;
  std::unique_ptr<audit::AuditInbox> audit_inbox_;
  std::unique_ptr<AuditPeerClient> audit_peer_;
  std::unique_ptr<audit::AuditOutbox> outbox_;
  // audit_log_ or outbox_.
  audit::AuditSink* audit_sink_ = nullptr;
  std::unique_ptr<freeze::RocksDbFreezeStore> freeze_store_;
  std::unique_ptr<freeze::FreezeManager> freezes_;
  std::unique_ptr<UnfreezeExpirySweeper> expiry_sweeper_;
  // In process (LocalAccountFreezer) or the freeze service.
  std::unique_ptr<freeze::AccountFreezer> account_freezer_;
  std::unique_ptr<incident::RocksDbIncidentStore> incident_store_;
  std::unique_ptr<IncidentProtectiveFreezer> protective_freezer_;
  std::unique_ptr<incident::IncidentManager> incidents_;
  std::unique_ptr<ProtectiveFreezeRetrier> freeze_retrier_;
  std::unique_ptr<trace::RocksDbLedgerStore> ledger_store_;
  std::unique_ptr<trace::TraceManager> traces_;
  std::unique_ptr<Authenticator> authenticator_;
  std::unique_ptr<CallGate> gate_;
  std::unique_ptr<BoundedExecutor> writes_, reads_, deliveries_, emergency_,
      tickets_, desk_, ledger_, traces_work_;
  std::unique_ptr<FreezeGrpcService> freeze_service_;
  std::unique_ptr<AuditGrpcService> audit_service_;
  std::unique_ptr<IntakeGrpcService> intake_service_;
  std::unique_ptr<TraceGrpcService> trace_service_;
  std::unique_ptr<grpc::Server> server_;
  grpc::CallbackGenericService health_only_;
  std::unique_ptr<grpc::Server> health_server_;
  std::vector<std::string> health_names_;
  int port_ = 0;
  int health_port_ = 0;
  std::string vkey_path_;
  std::string transport_;
  std::string tls_dir_;
  bool stopped_ = false;
};

absl::Status Server::Open(const SentinelServerOptions& options) {
  const std::string& data_dir = options.data_dir;
  const HostedServices& hosted = options.services;
  if (!hosted.audit && !hosted.freeze && !hosted.intake && !hosted.trace) {
    return absl::InvalidArgumentError("no service to host");
  }
  tls_dir_ = options.tls_dir.empty() ? data_dir + "/tls" : options.tls_dir;
  for (const std::string& directory : {data_dir, data_dir + "/keys"}) {
    SENTINEL_RETURN_IF_ERROR(PrivateDirectory(directory));
  }
  std::vector<std::string> families;
  if (hosted.audit) {
    families = {audit::kAuditFamily, audit::kInboxFamily};
  } else {
    families = {audit::kOutboxFamily};
  }
  if (hosted.freeze) families.push_back(freeze::kFreezeFamily);
  if (hosted.intake) families.push_back(incident::kIncidentFamily);
  if (hosted.trace) families.push_back(trace::kLedgerFamily);
  SENTINEL_ASSIGN_OR_RETURN(
      database_, RocksDatabase::Open(
                     data_dir + "/db", families,
                     /*env=*/nullptr,
                     {{trace::kLedgerFamily, trace::LedgerFamilyOptions()}}));
  SENTINEL_RETURN_IF_ERROR(OpenAudit(options, data_dir));
  SENTINEL_RETURN_IF_ERROR(OpenDomains(options));
  SENTINEL_ASSIGN_OR_RETURN(
      std::shared_ptr<grpc::ServerCredentials> credentials, Transport(options));
  return Serve(options, std::move(credentials));
}

absl::Status Server::OpenAudit(const SentinelServerOptions& options,
                               const std::string& data_dir) {
  if (!options.services.audit) {
    SENTINEL_ASSIGN_OR_RETURN(client::ServerConnection connection,
                              PeerConnection(options, options.audit_address));
    audit_peer_ = std::make_unique<AuditPeerClient>(
        std::move(connection), options.peer_timeout, PeerBackoff());
    audit::AuditOutboxOptions outbox_options;
    outbox_options.origin = OutboxOrigin(PeerIdentity(options.services));
    outbox_options.log = options.log;
    SENTINEL_ASSIGN_OR_RETURN(
        outbox_, audit::AuditOutbox::Open(*database_, *audit_peer_,
                                          std::move(outbox_options)));
    audit_sink_ = outbox_.get();
    return absl::OkStatus();
  }
  SENTINEL_RETURN_IF_ERROR(audit::ValidateKeyName(options.audit_origin));
  SENTINEL_ASSIGN_OR_RETURN(
      audit::Ed25519PrivateKey audit_key,
      options.audit_key_path.empty()
          ? audit::Ed25519PrivateKey::LoadOrCreate(data_dir +
                                                   "/keys/audit-ed25519.pem")
          : audit::Ed25519PrivateKey::Load(options.audit_key_path));
  audit::AuditLogOptions audit_options;
  audit_options.origin = options.audit_origin;
  audit_options.max_batch_entries = options.audit_batch_max;
  audit_options.max_batch_delay = options.audit_batch_delay;
  audit_options.published_checkpoint_path = data_dir + "/audit-checkpoint";
  SENTINEL_ASSIGN_OR_RETURN(
      audit_log_, audit::MerkleAuditLog::Open(*database_, std::move(audit_key),
                                              audit_options));
  // Public: auditors verify checkpoints with it.
  vkey_path_ = data_dir + "/audit.vkey";
  SENTINEL_RETURN_IF_ERROR(
      WriteFile(vkey_path_, audit_log_->verifier_key() + "\n"));
  audit_reader_ = std::make_unique<audit::AuditReader>(*database_);
  audit_inbox_ = std::make_unique<audit::AuditInbox>(
      *database_, *audit_log_, SystemClock(), options.log);
  audit_sink_ = audit_log_.get();
  return absl::OkStatus();
}

absl::StatusOr<client::ServerConnection> Server::PeerConnection(
    const SentinelServerOptions& options, const std::string& address) const {
  client::ServerConnection connection;
  connection.address = address;
  const Principal identity = PeerIdentity(options.services);
  if (options.insecure) {
    // The identity travels as a plain-text header: never off this machine.
    if (!IsLoopbackAddress(address)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--insecure: peer ", address,
          " is not on a loopback address (127.0.0.1, localhost, [::1]); "
          "identities would cross the network in plain text"));
    }
    connection.credentials = grpc::InsecureChannelCredentials();
    connection.metadata.emplace_back(std::string(kPrincipalHeader),
                                     identity.ToUri());
    return connection;
  }
  if (!options.peer_cert.empty()) {
    SENTINEL_ASSIGN_OR_RETURN(
        connection.credentials,
        tls::ChannelCredentials(options.peer_ca, options.peer_cert,
                                options.peer_key));
    return connection;
  }
  SENTINEL_ASSIGN_OR_RETURN(tls::DevelopmentPki pki,
                            tls::EnsureDevelopmentPki(tls_dir_, absl::Now()));
  SENTINEL_ASSIGN_OR_RETURN(
      tls::ClientCertificateFiles files,
      tls::EnsureDevelopmentClient(pki, identity, absl::Now()));
  SENTINEL_ASSIGN_OR_RETURN(
      connection.credentials,
      tls::ChannelCredentials(pki.ca_cert(), files.certificate, files.key));
  return connection;
}

absl::Status Server::OpenDomains(const SentinelServerOptions& options) {
  const HostedServices& hosted = options.services;
  if (hosted.intake) {
    incident_store_ = std::make_unique<incident::RocksDbIncidentStore>(
        *database_, *audit_sink_);
  }
  if (hosted.freeze) {
    freeze_store_ =
        std::make_unique<freeze::RocksDbFreezeStore>(*database_, *audit_sink_);
    freeze::FreezeOptions freeze_options;
    freeze_options.cooling_off = options.cooling_off;
    freeze_options.unfreeze_request_ttl = options.unfreeze_request_ttl;
    if (incident_store_ != nullptr) {
      freeze_options.incident_exists =
          incident::IncidentExistence(*incident_store_);
    }
    SENTINEL_ASSIGN_OR_RETURN(
        freezes_, freeze::FreezeManager::Create(*freeze_store_, SystemClock(),
                                                freeze_options));
    expiry_sweeper_ = std::make_unique<UnfreezeExpirySweeper>(
        *freezes_, kUnfreezeExpirySweepInterval, options.log);
  }
  if (hosted.intake || hosted.trace) {
    if (hosted.freeze) {
      account_freezer_ = std::make_unique<LocalAccountFreezer>(*freezes_);
    } else {
      SENTINEL_ASSIGN_OR_RETURN(
          client::ServerConnection connection,
          PeerConnection(options, options.freeze_address));
      account_freezer_ = std::make_unique<FreezeServiceClient>(
          std::move(connection), options.peer_timeout, PeerBackoff());
    }
  }
  if (hosted.intake) {
    protective_freezer_ =
        std::make_unique<IncidentProtectiveFreezer>(*account_freezer_);
    SENTINEL_ASSIGN_OR_RETURN(
        incidents_, incident::IncidentManager::Create(
                        *incident_store_, *protective_freezer_, SystemClock(),
                        options.sla, options.evidence));
    freeze_retrier_ = std::make_unique<ProtectiveFreezeRetrier>(
        *incidents_, Principal{v1::ROLE_SERVICE, "intake"},
        options.freeze_retry_interval, options.log);
  }
  if (hosted.trace) {
    ledger_store_ =
        std::make_unique<trace::RocksDbLedgerStore>(*database_, *audit_sink_);
    traces_ = std::make_unique<trace::TraceManager>(
        *ledger_store_, SystemClock(), options.max_event_future_skew);
  }
  return absl::OkStatus();
}

absl::Status Server::Serve(
    const SentinelServerOptions& options,
    std::shared_ptr<grpc::ServerCredentials> credentials) {
  const HostedServices& hosted = options.services;
  gate_ =
      std::make_unique<CallGate>(*authenticator_, *audit_sink_, SystemClock());
  reads_ = std::make_unique<BoundedExecutor>("audit reads", 2,
                                             options.max_queued_writes);
  deliveries_ = std::make_unique<BoundedExecutor>("audit deliveries", 2,
                                                  options.max_queued_writes);
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  builder.AddListeningPort(options.listen, credentials, &port_);
  builder.SetMaxReceiveMessageSize(kMaxRequestBytes);
  // Keepalive: a peer that vanished without closing (its streams still
  // holding slots and watchers) is found within 80 s of the server's pings;
  // a connection without calls is closed after 10 min (clients reconnect by
  // themselves); a client pinging more often than every 5 min without data
  // is closed after 2 strikes (gRPC's defaults, stated here on purpose).
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS, 60 * 1000);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 20 * 1000);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_IDLE_MS, 10 * 60 * 1000);
  builder.AddChannelArgument(
      GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS, 5 * 60 * 1000);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MAX_PING_STRIKES, 2);
  if (hosted.freeze) {
    writes_ = std::make_unique<BoundedExecutor>(
        "freeze writes", options.write_threads, options.max_queued_writes);
    freeze_service_ =
        std::make_unique<FreezeGrpcService>(*freezes_, *gate_, *writes_);
    builder.RegisterService(freeze_service_.get());
    health_names_.push_back(kFreezeServiceName);
  }
  if (hosted.audit) {
    audit_service_ = std::make_unique<AuditGrpcService>(
        *audit_log_, *audit_reader_, *audit_inbox_, *gate_,
        AuditExecutors{*reads_, *deliveries_}, SystemClock());
    builder.RegisterService(audit_service_.get());
    health_names_.push_back(kAuditServiceName);
  }
  if (hosted.intake) {
    // The fast lane's queue is never the limit: P0 reports are not refused
    // for load (its threads are the bound).
    emergency_ = std::make_unique<BoundedExecutor>(
        "emergency reports", options.emergency_threads, 100000);
    tickets_ = std::make_unique<BoundedExecutor>(
        "ticket reports", options.ticket_threads, options.max_queued_tickets);
    desk_ = std::make_unique<BoundedExecutor>("agent desk", 2,
                                              options.max_queued_writes);
    intake_service_ = std::make_unique<IntakeGrpcService>(
        *incidents_, *gate_, IntakeLanes{*emergency_, *tickets_, *desk_},
        options.max_uploads);
    builder.RegisterService(intake_service_.get());
    health_names_.push_back(kIncidentServiceName);
  }
  if (hosted.trace) {
    // One ingest thread: the ledger store serializes ingests anyway; each
    // stream has at most one batch queued.
    ledger_ = std::make_unique<BoundedExecutor>("ledger ingest", 1,
                                                options.max_ingest_streams);
    traces_work_ = std::make_unique<BoundedExecutor>("traces", 2,
                                                     options.max_queued_writes);
    trace_service_ = std::make_unique<TraceGrpcService>(
        *traces_, *account_freezer_, *gate_,
        TraceExecutors{*ledger_, *traces_work_}, options.max_ingest_streams);
    builder.RegisterService(trace_service_.get());
    health_names_.push_back(kTraceServiceName);
  }
  server_ = builder.BuildAndStart();
  if (server_ == nullptr || port_ == 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", options.listen));
  }
  if (!options.health_listen.empty()) {
    grpc::ServerBuilder health_builder;
    health_builder.SetOption(std::make_unique<WithoutReflection>());
    // A server needs one service of its own to start (gRPC adds health at
    // start); this one answers every other method UNIMPLEMENTED.
    health_builder.RegisterCallbackGenericService(&health_only_);
    health_builder.AddListeningPort(options.health_listen,
                                    grpc::InsecureServerCredentials(),
                                    &health_port_);
    health_server_ = health_builder.BuildAndStart();
    if (health_server_ == nullptr || health_port_ == 0) {
      return absl::UnavailableError(absl::StrCat(
          "cannot listen on ", options.health_listen, " (--health_listen)"));
    }
  }
  // Everything is open and checked: ready.
  SetServing(true);
  return absl::OkStatus();
}

void Server::SetServing(bool serving) {
  for (grpc::Server* server : {server_.get(), health_server_.get()}) {
    if (server == nullptr) continue;
    grpc::HealthCheckServiceInterface* health = server->GetHealthCheckService();
    if (health == nullptr) continue;
    health->SetServingStatus(serving);
    for (const std::string& name : health_names_) {
      health->SetServingStatus(name, serving);
    }
  }
}

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> Server::Transport(
    const SentinelServerOptions& options) {
  if (!options.tls_crl.empty() &&
      (options.insecure || options.tls_cert.empty() ||
       options.tls_client_ca.empty())) {
    return absl::InvalidArgumentError(
        "tls_crl needs tls_cert, tls_key and tls_client_ca (not insecure): "
        "its CRLs are checked against tls_client_ca");
  }
  if (options.insecure) {
    authenticator_ = std::make_unique<HeaderAuthenticator>();
    transport_ = "insecure";
    return grpc::InsecureServerCredentials();
  }
  if (!options.tls_crl.empty()) {
    tls::CrlWatcherOptions crl_options;
    crl_options.crl_path = options.tls_crl;
    crl_options.client_ca_path = options.tls_client_ca;
    crl_options.log = options.log;
    absl::StatusOr<std::shared_ptr<tls::CrlWatcher>> crl =
        tls::CrlWatcher::Start(std::move(crl_options));
    if (!crl.ok()) {
      return absl::Status(crl.status().code(),
                          absl::StrCat("tls_crl: ", crl.status().message()));
    }
    authenticator_ = std::make_unique<TlsAuthenticator>(*crl);
    transport_ = absl::StrCat("mutual TLS, CRL ", options.tls_crl, " (",
                              (*crl)->current()->size(), " revoked)");
    return tls::ServerCredentials(options.tls_cert, options.tls_key,
                                  options.tls_client_ca, *crl);
  }
  authenticator_ = std::make_unique<TlsAuthenticator>();
  if (!options.tls_cert.empty()) {
    transport_ = "mutual TLS";
    return tls::ServerCredentials(options.tls_cert, options.tls_key,
                                  options.tls_client_ca);
  }
  SENTINEL_ASSIGN_OR_RETURN(tls::DevelopmentPki pki,
                            tls::EnsureDevelopmentPki(tls_dir_, absl::Now()));
  transport_ = absl::StrCat("mutual TLS (development CA in ", tls_dir_, ")");
  return tls::ServerCredentials(pki.server_cert(), pki.server_key(),
                                pki.ca_cert());
}

void Server::Shutdown(absl::Duration grace) {
  if (stopped_ || server_ == nullptr) return;
  stopped_ = true;
  // Orchestrators stop routing here first.
  SetServing(false);
  // Watch streams never end on their own: close them first so Shutdown only
  // waits for calls that are really in flight.
  if (freezes_ != nullptr) freezes_->feed().Close();
  if (incidents_ != nullptr) incidents_->feed().Close();
  if (audit_log_ != nullptr) audit_log_->feed().Close();
  server_->Shutdown(absl::ToChronoTime(absl::Now() + grace));
  server_->Wait();
  if (health_server_ != nullptr) {
    health_server_->Shutdown(absl::ToChronoTime(absl::Now()));
    health_server_->Wait();
  }
  // Each executor runs every accepted call before the database closes.
  emergency_.reset();
  tickets_.reset();
  desk_.reset();
  writes_.reset();
  reads_.reset();
  deliveries_.reset();
  ledger_.reset();
  traces_work_.reset();
}

}  // namespace

Principal PeerIdentity(const HostedServices& hosted) {
  const char* name = hosted.intake   ? "intake"
                     : hosted.trace  ? "trace"
                     : hosted.freeze ? "freeze"
                                     : "audit";
  return Principal{v1::ROLE_SERVICE, name};
}

absl::StatusOr<std::unique_ptr<SentinelServer>> SentinelServer::Start(
    const SentinelServerOptions& options) {
  auto server = std::make_unique<Server>();
  SENTINEL_RETURN_IF_ERROR(server->Open(options));
  return std::unique_ptr<SentinelServer>(std::move(server));
}

}  // namespace sentinel::services
