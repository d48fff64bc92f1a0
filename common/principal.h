// Who is calling: a role and a name, established by authentication.
#ifndef SENTINEL_COMMON_PRINCIPAL_H_
#define SENTINEL_COMMON_PRINCIPAL_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "sentinel/v1/common.pb.h"

namespace sentinel {

// Longest principal name accepted, in bytes.
inline constexpr size_t kMaxPrincipalNameBytes = 64;

struct Principal {
  v1::Role role = v1::ROLE_UNSPECIFIED;
  // 1..64 bytes of [A-Za-z0-9._@-].
  std::string name;

  // "<role>/<name>", e.g. "security/alice": the form stored in records.
  std::string ToString() const;
  // The URI form carried by certificates and the x-sentinel-principal header:
  // "spiffe://sentinel/role/<role>/user/<name>".
  std::string ToUri() const;

  friend bool operator==(const Principal& a, const Principal& b) {
    return a.role == b.role && a.name == b.name;
  }
};

// Parses "spiffe://sentinel/role/<role>/user/<name>". Returns
// kInvalidArgument saying what is wrong for anything else, including unknown
// roles and names with characters outside [A-Za-z0-9._@-].
absl::StatusOr<Principal> ParsePrincipalUri(absl::string_view uri);

// Parses "<role>/<name>" (the command line's --as form).
absl::StatusOr<Principal> ParsePrincipalShort(absl::string_view text);

// "agent", "security", "internal", "auditor", "admin"; "unspecified" otherwise.
absl::string_view RoleName(v1::Role role);

// The inverse of RoleName; kInvalidArgument for an unknown role name.
absl::StatusOr<v1::Role> ParseRole(absl::string_view name);

}  // namespace sentinel

#endif  // SENTINEL_COMMON_PRINCIPAL_H_
