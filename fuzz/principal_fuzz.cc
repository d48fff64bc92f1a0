// Fuzzes the principal parsers of common/principal.h with arbitrary bytes.
// Whatever parses must print back to the same text and parse back to the
// same principal: ParsePrincipalUri against ToUri(), ParsePrincipalShort
// against ToString(), ParseRole against RoleName(). A principal that parses
// has a known role and a 1..64-byte name of [A-Za-z0-9._@-].
#include <cstddef>
#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/principal.h"
#include "fuzz/fuzz_check.h"

namespace {

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '@' || c == '-';
}

void CheckWellFormed(const sentinel::Principal& principal) {
  SENTINEL_FUZZ_CHECK(sentinel::RoleName(principal.role) != "unspecified");
  SENTINEL_FUZZ_CHECK(!principal.name.empty() &&
                      principal.name.size() <=
                          sentinel::kMaxPrincipalNameBytes);
  for (char c : principal.name) SENTINEL_FUZZ_CHECK(IsNameChar(c));
}

void CheckParsedPrincipal(const sentinel::Principal& principal) {
  CheckWellFormed(principal);
  const absl::StatusOr<sentinel::Principal> from_uri =
      sentinel::ParsePrincipalUri(principal.ToUri());
  SENTINEL_FUZZ_CHECK(from_uri.ok() && *from_uri == principal);
  const absl::StatusOr<sentinel::Principal> from_short =
      sentinel::ParsePrincipalShort(principal.ToString());
  SENTINEL_FUZZ_CHECK(from_short.ok() && *from_short == principal);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view input(reinterpret_cast<const char*>(data), size);

  const absl::StatusOr<sentinel::Principal> uri =
      sentinel::ParsePrincipalUri(input);
  SENTINEL_FUZZ_CHECK(uri.ok() || absl::IsInvalidArgument(uri.status()));
  if (uri.ok()) {
    CheckParsedPrincipal(*uri);
    SENTINEL_FUZZ_CHECK(uri->ToUri() == input);
  }

  const absl::StatusOr<sentinel::Principal> short_form =
      sentinel::ParsePrincipalShort(input);
  SENTINEL_FUZZ_CHECK(short_form.ok() ||
                      absl::IsInvalidArgument(short_form.status()));
  if (short_form.ok()) {
    CheckParsedPrincipal(*short_form);
    SENTINEL_FUZZ_CHECK(short_form->ToString() == input);
  }

  const absl::StatusOr<sentinel::v1::Role> role = sentinel::ParseRole(input);
  SENTINEL_FUZZ_CHECK(role.ok() || absl::IsInvalidArgument(role.status()));
  if (role.ok()) SENTINEL_FUZZ_CHECK(sentinel::RoleName(*role) == input);
  return 0;
}
