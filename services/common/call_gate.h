// The gate every call passes first: authentication, acting on behalf of a
// person, the authorization table, and an audit entry for every call it
// refuses.
//
// On behalf of: a Sentinel service in DelegatingServices() may name the
// person it carries a call for in the x-sentinel-on-behalf-of header
// ("<role>/<name>", any role but service). The call is then authorized for
// that person and the principal returned is the person, with `via` naming
// the service. The header from anyone else, twice, or naming a service or a
// malformed principal is refused (kPermissionDenied) and the refusal
// recorded.
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

  // The principal acting in this call of `method` (its full gRPC name):
  // the authenticated caller, or the person a delegating service carries the
  // call for (with `via` set), allowed by the authorization table.
  // kUnauthenticated saying why there is no identity, or kPermissionDenied
  // naming the role and the method, or why the on-behalf-of header is
  // refused; each is recorded in the audit log before it is returned.
  absl::StatusOr<Principal> Admit(const grpc::ServerContextBase& context,
                                  absl::string_view method) const;

  // Records a refusal decided after Admit (by a handler or the domain: a
  // security officer approving their own unfreeze, an agent changing an
  // incident not theirs), through the same bounded recording. `principal`
  // is the one Admit returned.
  void RecordRefusal(const Principal& principal, absl::string_view method,
                     const absl::Status& refusal) const;

  // Returns `outcome`, the end of `principal`'s call of `method`, after
  // recording it with RecordRefusal when it is a refusal (kPermissionDenied)
  // decided past the gate. Handlers pass every domain write's status
  // through it, so that no refusal leaves no trail.
  absl::Status Outcome(const Principal& principal, absl::string_view method,
                       absl::Status outcome) const;

 private:
  // The person named by the on-behalf-of header for `caller`, or `caller`
  // when there is no header.
  absl::StatusOr<Principal> ActingPrincipal(
      const grpc::ServerContextBase& context, const Principal& caller) const;

  void Record(const std::string& principal, const std::string& via,
              absl::string_view method, const absl::Status& refusal) const;

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
