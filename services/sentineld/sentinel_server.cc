#include "services/sentineld/sentinel_server.h"

#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <utility>

#include "absl/strings/str_cat.h"
#include "audit/audit_log_layout.h"
#include "audit/audit_reader.h"
#include "audit/ed25519.h"
#include "common/bounded_executor.h"
#include "common/clock.h"
#include "common/rocks_database.h"
#include "common/status_macros.h"
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
#include "services/common/message_limits.h"
#include "services/common/tls_authenticator.h"
#include "services/freeze/freeze_grpc_service.h"
#include "services/intake/intake_grpc_service.h"
#include "services/intake/local_protective_freezer.h"
#include "services/trace/local_candidate_freezer.h"
#include "services/trace/trace_grpc_service.h"
#include "tls/credentials.h"
#include "tls/development_pki.h"
#include "trace/rocksdb_ledger_store.h"
#include "trace/trace_manager.h"

namespace sentinel::services {
namespace {

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
  std::string verifier_key_path() const override { return vkey_path_; }
  uint64_t audit_entries() const override { return audit_log_->size(); }
  std::string transport() const override { return transport_; }

 private:
  // Members are destroyed in reverse order: the gRPC server first, then the
  // executors (running every accepted call), the domains, the database.
  std::unique_ptr<RocksDatabase> database_;
  std::unique_ptr<audit::MerkleAuditLog> audit_log_;
  std::unique_ptr<audit::AuditReader> audit_reader_;
  std::unique_ptr<freeze::RocksDbFreezeStore> freeze_store_;
  std::unique_ptr<freeze::FreezeManager> freezes_;
  std::unique_ptr<incident::RocksDbIncidentStore> incident_store_;
  std::unique_ptr<LocalProtectiveFreezer> protective_freezer_;
  std::unique_ptr<incident::IncidentManager> incidents_;
  std::unique_ptr<trace::RocksDbLedgerStore> ledger_store_;
  std::unique_ptr<trace::TraceManager> traces_;
  std::unique_ptr<LocalCandidateFreezer> candidate_freezer_;
  std::unique_ptr<Authenticator> authenticator_;
  std::unique_ptr<CallGate> gate_;
  std::unique_ptr<BoundedExecutor> writes_, reads_, emergency_, tickets_, desk_,
      ledger_, traces_work_;
  std::unique_ptr<FreezeGrpcService> freeze_service_;
  std::unique_ptr<AuditGrpcService> audit_service_;
  std::unique_ptr<IntakeGrpcService> intake_service_;
  std::unique_ptr<TraceGrpcService> trace_service_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
  std::string vkey_path_;
  std::string transport_;
  bool stopped_ = false;
};

absl::Status Server::Open(const SentinelServerOptions& options) {
  const std::string& data_dir = options.data_dir;
  SENTINEL_RETURN_IF_ERROR(audit::ValidateKeyName(options.audit_origin));
  for (const std::string& directory : {data_dir, data_dir + "/keys"}) {
    SENTINEL_RETURN_IF_ERROR(PrivateDirectory(directory));
  }
  SENTINEL_ASSIGN_OR_RETURN(
      audit::Ed25519PrivateKey audit_key,
      options.audit_key_path.empty()
          ? audit::Ed25519PrivateKey::LoadOrCreate(data_dir +
                                                   "/keys/audit-ed25519.pem")
          : audit::Ed25519PrivateKey::Load(options.audit_key_path));
  SENTINEL_ASSIGN_OR_RETURN(
      database_, RocksDatabase::Open(
                     data_dir + "/db",
                     {audit::kAuditFamily, freeze::kFreezeFamily,
                      incident::kIncidentFamily, trace::kLedgerFamily},
                     /*env=*/nullptr,
                     {{trace::kLedgerFamily, trace::LedgerFamilyOptions()}}));
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

  freeze_store_ =
      std::make_unique<freeze::RocksDbFreezeStore>(*database_, *audit_log_);
  freeze::FreezeOptions freeze_options;
  freeze_options.cooling_off = options.cooling_off;
  SENTINEL_ASSIGN_OR_RETURN(
      freezes_, freeze::FreezeManager::Create(*freeze_store_, SystemClock(),
                                              freeze_options));
  incident_store_ =
      std::make_unique<incident::RocksDbIncidentStore>(*database_, *audit_log_);
  protective_freezer_ = std::make_unique<LocalProtectiveFreezer>(*freezes_);
  SENTINEL_ASSIGN_OR_RETURN(
      incidents_, incident::IncidentManager::Create(
                      *incident_store_, *protective_freezer_, SystemClock(),
                      options.sla, options.evidence));
  ledger_store_ =
      std::make_unique<trace::RocksDbLedgerStore>(*database_, *audit_log_);
  traces_ = std::make_unique<trace::TraceManager>(
      *ledger_store_, SystemClock(), options.max_event_future_skew);
  candidate_freezer_ = std::make_unique<LocalCandidateFreezer>(*freezes_);

  writes_ = std::make_unique<BoundedExecutor>(
      "freeze writes", options.write_threads, options.max_queued_writes);
  reads_ = std::make_unique<BoundedExecutor>("audit reads", 2,
                                             options.max_queued_writes);
  // The fast lane's queue is never the limit: P0 reports are not refused for
  // load (its threads are the bound).
  emergency_ = std::make_unique<BoundedExecutor>(
      "emergency reports", options.emergency_threads, 100000);
  tickets_ = std::make_unique<BoundedExecutor>(
      "ticket reports", options.ticket_threads, options.max_queued_tickets);
  desk_ = std::make_unique<BoundedExecutor>("agent desk", 2,
                                            options.max_queued_writes);
  // One ingest thread: the ledger store serializes ingests anyway; each
  // stream has at most one batch queued.
  ledger_ = std::make_unique<BoundedExecutor>("ledger ingest", 1,
                                              options.max_ingest_streams);
  traces_work_ =
      std::make_unique<BoundedExecutor>("traces", 2, options.max_queued_writes);
  SENTINEL_ASSIGN_OR_RETURN(
      std::shared_ptr<grpc::ServerCredentials> credentials, Transport(options));
  gate_ =
      std::make_unique<CallGate>(*authenticator_, *audit_log_, SystemClock());
  freeze_service_ =
      std::make_unique<FreezeGrpcService>(*freezes_, *gate_, *writes_);
  audit_service_ = std::make_unique<AuditGrpcService>(
      *audit_log_, *audit_reader_, *gate_, *reads_, SystemClock());
  intake_service_ = std::make_unique<IntakeGrpcService>(
      *incidents_, *gate_, IntakeLanes{*emergency_, *tickets_, *desk_},
      options.max_uploads);
  trace_service_ = std::make_unique<TraceGrpcService>(
      *traces_, *candidate_freezer_, *gate_,
      TraceExecutors{*ledger_, *traces_work_}, options.max_ingest_streams);

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  builder.AddListeningPort(options.listen, credentials, &port_);
  builder.SetMaxReceiveMessageSize(kMaxRequestBytes);
  builder.RegisterService(freeze_service_.get());
  builder.RegisterService(audit_service_.get());
  builder.RegisterService(intake_service_.get());
  builder.RegisterService(trace_service_.get());
  server_ = builder.BuildAndStart();
  if (server_ == nullptr || port_ == 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", options.listen));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> Server::Transport(
    const SentinelServerOptions& options) {
  if (options.insecure) {
    authenticator_ = std::make_unique<HeaderAuthenticator>();
    transport_ = "insecure";
    return grpc::InsecureServerCredentials();
  }
  authenticator_ = std::make_unique<TlsAuthenticator>();
  if (!options.tls_cert.empty()) {
    transport_ = "mutual TLS";
    return tls::ServerCredentials(options.tls_cert, options.tls_key,
                                  options.tls_client_ca);
  }
  const std::string tls_dir = options.data_dir + "/tls";
  SENTINEL_ASSIGN_OR_RETURN(tls::DevelopmentPki pki,
                            tls::EnsureDevelopmentPki(tls_dir, absl::Now()));
  transport_ = absl::StrCat("mutual TLS (development CA in ", tls_dir, ")");
  return tls::ServerCredentials(pki.server_cert(), pki.server_key(),
                                pki.ca_cert());
}

void Server::Shutdown(absl::Duration grace) {
  if (stopped_ || server_ == nullptr) return;
  stopped_ = true;
  // Watch streams never end on their own: close them first so Shutdown only
  // waits for calls that are really in flight.
  freezes_->feed().Close();
  incidents_->feed().Close();
  audit_log_->feed().Close();
  server_->Shutdown(absl::ToChronoTime(absl::Now() + grace));
  server_->Wait();
  // Each executor runs every accepted call before the database closes.
  emergency_.reset();
  tickets_.reset();
  desk_.reset();
  writes_.reset();
  reads_.reset();
  ledger_.reset();
  traces_work_.reset();
}

}  // namespace

absl::StatusOr<std::unique_ptr<SentinelServer>> SentinelServer::Start(
    const SentinelServerOptions& options) {
  auto server = std::make_unique<Server>();
  SENTINEL_RETURN_IF_ERROR(server->Open(options));
  return std::unique_ptr<SentinelServer>(std::move(server));
}

}  // namespace sentinel::services
