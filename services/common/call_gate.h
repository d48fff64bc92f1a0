// The gate every call passes first: authentication, the authorization table,
// and an audit entry for every call it refuses.
//
// A refused call is recorded (principal if known, method, code and reason)
// durably before the refusal is returned, so a stolen credential probing
// what it may do leaves a trail. The recording happens on the calling
// thread; to keep a flood of bogus calls from tying up the server's threads
// in audit writes, at most kMaxRecordingRefusals refusals are recorded at
// once. Refusals beyond that are still refused, counted, and the count is
// written into the next refusal that is recorded ("... (and 12 more
// refusals not recorded)").
#ifndef SENTINEL_SERVICES_COMMON_CALL_GATE_H_
#define SENTINEL_SERVICES_COMMON_CALL_GATE_H_

#include <atomic>
#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "audit/audit_sink.h"
#include "common/clock.h"
#include "common/principal.h"
#include "grpcpp/server_context.h"
#include "services/common/authenticator.h"

namespace sentinel::services {

inline constexpr int kMaxRecordingRefusals = 64;

// Thread-safe.
class CallGate final {
 public:
  // All must outlive the gate.
  CallGate(const Authenticator& authenticator, audit::AuditSink& audit,
           const Clock& clock);

  // The caller of `method` (its full gRPC name), authenticated and allowed
  // by the authorization table. kUnauthenticated saying why there is no
  // identity, or kPermissionDenied naming the role and the method; either
  // is recorded in the audit log before it is returned.
  absl::StatusOr<Principal> Admit(const grpc::ServerContextBase& context,
                                  absl::string_view method) const;

 private:
  void RecordRefusal(const std::string& principal, absl::string_view method,
                     const absl::Status& refusal) const;

  const Authenticator& authenticator_;
  audit::AuditSink& audit_;
  const Clock& clock_;
  mutable std::atomic<int> recording_{0};
  mutable std::atomic<uint64_t> unrecorded_{0};
};

// "FreezeService.FreezeAccount" for "/sentinel.v1.FreezeService/FreezeAccount":
// the action name audit entries use.
std::string AuditActionName(absl::string_view method);

}  // namespace sentinel::services

#endif  // SENTINEL_SERVICES_COMMON_CALL_GATE_H_
