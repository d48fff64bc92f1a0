// SHA-256 through OpenSSL's EVP API.
#ifndef SENTINEL_AUDIT_SHA256_H_
#define SENTINEL_AUDIT_SHA256_H_

#include <string>

#include "absl/strings/string_view.h"

namespace sentinel::audit {

inline constexpr size_t kSha256Bytes = 32;

// The 32-byte SHA-256 digest of the concatenation of `parts`.
std::string Sha256(std::initializer_list<absl::string_view> parts);

}  // namespace sentinel::audit

#endif  // SENTINEL_AUDIT_SHA256_H_
