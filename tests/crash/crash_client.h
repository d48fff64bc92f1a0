// The crash harness's client: stubs for the four services, each at its own
// address (all the same for sentineld), with the roles the harness acts
// as, over mutual TLS with the development PKI the servers share.
#ifndef SENTINEL_TESTS_CRASH_CRASH_CLIENT_H_
#define SENTINEL_TESTS_CRASH_CRASH_CLIENT_H_

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "grpcpp/client_context.h"
#include "sentinel/v1/audit.grpc.pb.h"
#include "sentinel/v1/freeze.grpc.pb.h"
#include "sentinel/v1/incident.grpc.pb.h"
#include "sentinel/v1/trace.grpc.pb.h"

namespace sentinel::crash {

// host:port of each service.
struct ServiceAddresses {
  std::string freeze;
  std::string intake;
  std::string trace;
  std::string audit;
};

// Ledger events per recorded batch.
inline constexpr int kLedgerBatch = 20;

// Thread-safe (gRPC stubs are).
class CrashClient {
 public:
  // kInvalidArgument / kNotFound when the PKI in `tls_dir` is unusable.
  static absl::StatusOr<std::unique_ptr<CrashClient>> Connect(
      const ServiceAddresses& addresses, const std::string& tls_dir);

  // A context whose deadline is 5 s from now.
  static std::unique_ptr<grpc::ClientContext> Context();

  v1::FreezeService::Stub& freeze_as_agent() { return *freeze_as_agent_; }
  v1::FreezeService::Stub& freeze_as_security() { return *freeze_as_security_; }
  v1::IncidentService::Stub& incident_as_internal() {
    return *incident_as_internal_;
  }
  v1::IncidentService::Stub& incident_as_security() {
    return *incident_as_security_;
  }
  v1::TraceService::Stub& trace_as_internal() { return *trace_as_internal_; }
  v1::AuditService::Stub& audit_as_security() { return *audit_as_security_; }

  // Sends `events` in one IngestLedger stream as the ledger feed.
  grpc::Status Ingest(const std::vector<v1::LedgerEvent>& events,
                      v1::IngestSummary* summary);

 private:
  CrashClient() = default;

  // One channel per (address, role).
  std::map<std::pair<std::string, int>, std::shared_ptr<grpc::Channel>>
      channels_;
  std::unique_ptr<v1::FreezeService::Stub> freeze_as_agent_;
  std::unique_ptr<v1::FreezeService::Stub> freeze_as_security_;
  std::unique_ptr<v1::IncidentService::Stub> incident_as_internal_;
  std::unique_ptr<v1::IncidentService::Stub> incident_as_security_;
  std::unique_ptr<v1::TraceService::Stub> trace_as_internal_;
  std::unique_ptr<v1::AuditService::Stub> audit_as_security_;
};

// The ledger batch recorded as `first`: kLedgerBatch deposits to `first`
// (an account of its own), the same content every time it is rebuilt.
std::vector<v1::LedgerEvent> LedgerBatch(const std::string& first);

}  // namespace sentinel::crash

#endif  // SENTINEL_TESTS_CRASH_CRASH_CLIENT_H_
