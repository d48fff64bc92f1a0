#include "common/principal.h"

#include <algorithm>
#include <array>
#include <iterator>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace sentinel {
namespace {

constexpr absl::string_view kUriPrefix = "spiffe://sentinel/role/";
constexpr absl::string_view kServiceUriPrefix = "spiffe://sentinel/service/";

constexpr std::array<std::pair<v1::Role, absl::string_view>, 6> kRoleNames = {{
    {v1::ROLE_AGENT, "agent"},
    {v1::ROLE_SECURITY, "security"},
    {v1::ROLE_INTERNAL, "internal"},
    {v1::ROLE_AUDITOR, "auditor"},
    {v1::ROLE_ADMIN, "admin"},
    {v1::ROLE_SERVICE, "service"},
}};

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '@' || c == '-';
}

absl::StatusOr<Principal> MakePrincipal(absl::string_view role,
                                        absl::string_view name) {
  absl::StatusOr<v1::Role> parsed_role = ParseRole(role);
  if (!parsed_role.ok()) return parsed_role.status();
  if (name.empty() || name.size() > kMaxPrincipalNameBytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        "principal name must be 1 to ", kMaxPrincipalNameBytes, " bytes"));
  }
  for (char c : name) {
    if (!IsNameChar(c)) {
      return absl::InvalidArgumentError(
          "principal name may contain only [A-Za-z0-9._@-]");
    }
  }
  if (*parsed_role == v1::ROLE_SERVICE &&
      std::find(std::begin(kServiceNames), std::end(kServiceNames), name) ==
          std::end(kServiceNames)) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown Sentinel service \"", name,
                     "\" (expected audit, freeze, intake, trace or console)"));
  }
  return Principal{*parsed_role, std::string(name)};
}

}  // namespace

std::string Principal::ToString() const {
  return absl::StrCat(RoleName(role), "/", name);
}

std::string Principal::ToUri() const {
  if (role == v1::ROLE_SERVICE) return absl::StrCat(kServiceUriPrefix, name);
  return absl::StrCat(kUriPrefix, RoleName(role), "/user/", name);
}

std::string Principal::PersonId() const {
  if (role == v1::ROLE_SERVICE) return ToString();
  return absl::AsciiStrToLower(name);
}

absl::string_view RoleName(v1::Role role) {
  for (const auto& [value, name] : kRoleNames) {
    if (value == role) return name;
  }
  return "unspecified";
}

absl::StatusOr<v1::Role> ParseRole(absl::string_view name) {
  for (const auto& [value, role_name] : kRoleNames) {
    if (role_name == name) return value;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "unknown role \"", name,
      "\" (expected agent, security, internal, auditor, admin or service)"));
}

absl::StatusOr<Principal> ParsePrincipalUri(absl::string_view uri) {
  if (absl::ConsumePrefix(&uri, kServiceUriPrefix)) {
    return MakePrincipal("service", uri);
  }
  if (!absl::ConsumePrefix(&uri, kUriPrefix)) {
    return absl::InvalidArgumentError(
        "principal must have the form "
        "spiffe://sentinel/role/<role>/user/<name>");
  }
  const std::vector<absl::string_view> parts = absl::StrSplit(uri, '/');
  if (parts.size() != 3 || parts[1] != "user") {
    return absl::InvalidArgumentError(
        "principal must have the form "
        "spiffe://sentinel/role/<role>/user/<name>");
  }
  if (parts[0] == "service") {
    return absl::InvalidArgumentError(
        "a Sentinel service's principal has the form "
        "spiffe://sentinel/service/<name>");
  }
  return MakePrincipal(parts[0], parts[2]);
}

absl::StatusOr<Principal> ParsePrincipalShort(absl::string_view text) {
  const std::vector<absl::string_view> parts = absl::StrSplit(text, '/');
  if (parts.size() != 2) {
    return absl::InvalidArgumentError(
        "principal must have the form <role>/<name>, e.g. security/alice");
  }
  return MakePrincipal(parts[0], parts[1]);
}

bool IsSamePerson(absl::string_view recorded, const Principal& caller) {
  absl::StatusOr<Principal> parsed = ParsePrincipalShort(recorded);
  return parsed.ok() && parsed->PersonId() == caller.PersonId();
}

}  // namespace sentinel
