// A real gRPC server on 127.0.0.1 port 0 serving the four services over a
// real RocksDB and audit log, with stubs that call it as any principal.
#ifndef SENTINEL_TESTS_SERVICES_SERVER_FIXTURE_H_
#define SENTINEL_TESTS_SERVICES_SERVER_FIXTURE_H_

#include <memory>
#include <string>

#include "common/bounded_executor.h"
#include "grpcpp/client_context.h"
#include "grpcpp/server.h"
#include "sentinel/v1/audit.grpc.pb.h"
#include "sentinel/v1/freeze.grpc.pb.h"
#include "sentinel/v1/incident.grpc.pb.h"
#include "sentinel/v1/trace.grpc.pb.h"
#include "services/audit/audit_grpc_service.h"
#include "services/common/authenticator.h"
#include "services/common/call_gate.h"
#include "services/freeze/freeze_grpc_service.h"
#include "services/freeze/local_account_freezer.h"
#include "services/intake/intake_grpc_service.h"
#include "services/trace/trace_grpc_service.h"
#include "tests/testing/freeze_fixture.h"

namespace sentinel::testing {

class ServerFixture {
 public:
  // `max_queued_writes` bounds the write executor's queue and
  // `max_queued_tickets` the P1..P3 report lane (0 refuses every call there
  // with RESOURCE_EXHAUSTED).
  // With `mutual_tls`, the server serves the development PKI created in the
  // fixture's directory and callers are identified by certificates only
  // (ChannelAs); otherwise plain text with the x-sentinel-principal header.
  explicit ServerFixture(size_t max_queued_writes = 64,
                         size_t max_queued_tickets = 64,
                         bool mutual_tls = false);
  ~ServerFixture();

  v1::FreezeService::Stub& stub() { return *stub_; }
  v1::AuditService::Stub& audit_stub() { return *audit_stub_; }
  // The audit service's executor of reads, to saturate in tests.
  BoundedExecutor& audit_reads() { return reads_; }
  v1::IncidentService::Stub& intake_stub() { return *intake_stub_; }
  v1::TraceService::Stub& trace_stub() { return *trace_stub_; }
  std::shared_ptr<grpc::Channel> channel() { return channel_; }
  // "127.0.0.1:<port>".
  const std::string& address() const { return address_; }
  FreezeFixture& domain() { return domain_; }
  grpc::Server& server() { return *server_; }

  // A client context calling as `principal` ("<role>/<name>"; empty sends no
  // identity) with a 10 s deadline. Plain-text servers only.
  static std::unique_ptr<grpc::ClientContext> As(const std::string& principal);

  // A mutual-TLS channel presenting a development certificate for
  // `principal` ("<role>/<name>"). Mutual-TLS servers only.
  std::shared_ptr<grpc::Channel> ChannelAs(const std::string& principal);

 private:
  FreezeFixture domain_;
  const bool mutual_tls_;
  std::unique_ptr<services::Authenticator> authenticator_;
  services::CallGate gate_;
  BoundedExecutor writes_;
  services::FreezeGrpcService service_;
  BoundedExecutor reads_;
  BoundedExecutor deliveries_;
  services::AuditGrpcService audit_service_;
  BoundedExecutor emergency_;
  BoundedExecutor tickets_;
  BoundedExecutor desk_;
  services::IntakeGrpcService intake_service_;
  services::LocalAccountFreezer candidate_freezer_;
  BoundedExecutor ledger_;
  BoundedExecutor traces_work_;
  services::TraceGrpcService trace_service_;
  std::unique_ptr<grpc::Server> server_;
  std::string address_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::FreezeService::Stub> stub_;
  std::unique_ptr<v1::AuditService::Stub> audit_stub_;
  std::unique_ptr<v1::IncidentService::Stub> intake_stub_;
  std::unique_ptr<v1::TraceService::Stub> trace_stub_;
};

}  // namespace sentinel::testing

#endif  // SENTINEL_TESTS_SERVICES_SERVER_FIXTURE_H_
