// Validation of the identifiers and free text that cross Sentinel's API.
//
// Every check names the offending field and the reason, so that callers can
// return the status to a client unchanged (kInvalidArgument).
#ifndef SENTINEL_COMMON_IDENTIFIERS_H_
#define SENTINEL_COMMON_IDENTIFIERS_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace sentinel {

// Longest identifier (account id, incident id, idempotency key), in bytes.
inline constexpr size_t kMaxIdentifierBytes = 128;

// Checks that `value` is 1..kMaxIdentifierBytes bytes of [A-Za-z0-9._:@-].
// An empty value is accepted when `required` is false.
absl::Status ValidateIdentifier(absl::string_view field,
                                absl::string_view value, bool required);

// Checks that `value` is 1..max_bytes bytes (0 allowed when not required)
// without control characters other than tab, line feed and carriage return.
absl::Status ValidateText(absl::string_view field, absl::string_view value,
                          size_t max_bytes, bool required);

// The longest prefix of `text` of at most `max_bytes` bytes that does not
// split a UTF-8 character (protobuf strings must stay valid UTF-8): for
// cutting messages that echo client input down to a documented limit.
std::string Utf8Prefix(absl::string_view text, size_t max_bytes);

// The number of a server-assigned id "<prefix><n>" ("inc-12", "frz-3"): n
// is 1..2^64-1 in decimal digits without a sign or leading zeros. nullopt
// for anything else.
std::optional<uint64_t> ParseNumberedId(absl::string_view prefix,
                                        absl::string_view id);

}  // namespace sentinel

#endif  // SENTINEL_COMMON_IDENTIFIERS_H_
