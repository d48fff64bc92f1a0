// Who is calling: a role and a name, established by authentication, and the
// Sentinel service that carried the call when a service acts for a person.
#ifndef SENTINEL_COMMON_PRINCIPAL_H_
#define SENTINEL_COMMON_PRINCIPAL_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "sentinel/v1/common.pb.h"

namespace sentinel {

// Longest principal name accepted, in bytes.
inline constexpr size_t kMaxPrincipalNameBytes = 64;

// The names of Sentinel's own services, the only names a ROLE_SERVICE
// principal can have.
inline constexpr absl::string_view kServiceNames[] = {
    "audit", "freeze", "intake", "trace", "console"};

struct Principal {
  v1::Role role = v1::ROLE_UNSPECIFIED;
  // 1..64 bytes of [A-Za-z0-9._@-]; for ROLE_SERVICE one of kServiceNames.
  std::string name;
  // The service that carried this principal's call ("service/intake"), when
  // a Sentinel service acts on the principal's behalf; empty otherwise.
  // Recorded in audit entries; not part of the principal's identity.
  std::string via;

  // "<role>/<name>", e.g. "security/alice" or "service/intake": the form
  // stored in records.
  std::string ToString() const;
  // The URI form carried by certificates and the x-sentinel-principal header:
  // "spiffe://sentinel/role/<role>/user/<name>" for people and outside
  // systems, "spiffe://sentinel/service/<name>" for Sentinel's services.
  std::string ToUri() const;
  // What identifies the person (or system) acting, whatever role they
  // act in: the name, ASCII-lowercased, so that "security/Bob" and
  // "agent/bob" are one person for the two-person rule and share one
  // idempotency-key namespace. A service is "service/<name>", which no
  // person's name can be (names have no '/').
  std::string PersonId() const;

  // Role and name; `via` says how the call arrived, not who made it.
  friend bool operator==(const Principal& a, const Principal& b) {
    return a.role == b.role && a.name == b.name;
  }
};

// Parses "spiffe://sentinel/role/<role>/user/<name>" (a person or outside
// system; the role may not be "service") or
// "spiffe://sentinel/service/<name>" (one of kServiceNames). Returns
// kInvalidArgument saying what is wrong for anything else, including unknown
// roles and names with characters outside [A-Za-z0-9._@-].
absl::StatusOr<Principal> ParsePrincipalUri(absl::string_view uri);

// Parses "<role>/<name>" (the command line's --as form and the
// x-sentinel-on-behalf-of header), including "service/<name>".
absl::StatusOr<Principal> ParsePrincipalShort(absl::string_view text);

// Whether the stored principal `recorded` ("<role>/<name>", as in
// requested_by or set_by) is the same person as `caller`, whatever role each
// acted in and however the name is cased (Principal::PersonId): the test of
// every two-person rule. A record that does not parse is never the caller.
bool IsSamePerson(absl::string_view recorded, const Principal& caller);

// "agent", "security", "internal", "auditor", "admin", "service";
// "unspecified" otherwise.
absl::string_view RoleName(v1::Role role);

// The inverse of RoleName; kInvalidArgument for an unknown role name.
absl::StatusOr<v1::Role> ParseRole(absl::string_view name);

}  // namespace sentinel

#endif  // SENTINEL_COMMON_PRINCIPAL_H_
