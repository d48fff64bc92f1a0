// The connection to one Sentinel server and what every call carries: the
// caller's principal and a deadline.
#ifndef SENTINEL_CLI_SESSION_H_
#define SENTINEL_CLI_SESSION_H_

#include <memory>
#include <string>

#include "absl/time/time.h"
#include "common/principal.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/status.h"
#include "sentinel/v1/audit.grpc.pb.h"
#include "sentinel/v1/freeze.grpc.pb.h"
#include "sentinel/v1/incident.grpc.pb.h"
#include "sentinel/v1/trace.grpc.pb.h"

namespace sentinel::cli {

// Not thread-safe; sentinelctl makes one call at a time.
class Session final {
 public:
  // To `server` (host:port) with `credentials`; connects on the first call.
  // With `send_principal` (plain text), every call carries `principal` in
  // the x-sentinel-principal header; over mutual TLS the certificate says
  // who calls.
  Session(const std::string& server,
          std::shared_ptr<grpc::ChannelCredentials> credentials,
          Principal principal, bool send_principal, absl::Duration timeout);

  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  v1::FreezeService::StubInterface& freeze() { return *freeze_; }
  v1::AuditService::StubInterface& audit() { return *audit_; }
  v1::IncidentService::StubInterface& incident() { return *incident_; }
  v1::TraceService::StubInterface& trace() { return *trace_; }

  // Readies `context` for one call: the principal header (plain text only)
  // and a deadline `timeout` from now.
  void Prepare(grpc::ClientContext* context) const;

  // No deadline, for a stream meant to run until interrupted. Call
  // WaitForConnection first so an unreachable server still fails in time.
  void PrepareOpenEnded(grpc::ClientContext* context) const;

  // OK once the channel is connected; UNAVAILABLE naming the server if that
  // does not happen within the timeout.
  grpc::Status WaitForConnection() const;

  absl::Duration timeout() const { return timeout_; }

 private:
  const std::string server_;
  const Principal principal_;
  const bool send_principal_;
  const absl::Duration timeout_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::FreezeService::StubInterface> freeze_;
  std::unique_ptr<v1::AuditService::StubInterface> audit_;
  std::unique_ptr<v1::IncidentService::StubInterface> incident_;
  std::unique_ptr<v1::TraceService::StubInterface> trace_;
};

}  // namespace sentinel::cli

#endif  // SENTINEL_CLI_SESSION_H_
