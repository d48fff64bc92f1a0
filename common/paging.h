// Paged listings: the page-size check and the opaque page tokens every
// listing RPC shares.
#ifndef SENTINEL_COMMON_PAGING_H_
#define SENTINEL_COMMON_PAGING_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace sentinel {

// The page size to use for a requested one: 0 means `default_size`,
// 1..`max_size` is taken as is. kInvalidArgument "<field>: N is outside
// 0..max" otherwise.
absl::StatusOr<size_t> PageSize(absl::string_view field, int32_t requested,
                                int32_t default_size, int32_t max_size);

// An opaque token resuming a listing at `number`: web-safe base64 of
// "<kind>:<number>".
std::string NumberPageToken(absl::string_view kind, uint64_t number);

// The number in a token made by NumberPageToken(kind, ...), or 0 for an
// empty token (the first page). kInvalidArgument "page_token: malformed
// (pass next_page_token unchanged)" for anything else.
absl::StatusOr<uint64_t> ParseNumberPageToken(absl::string_view kind,
                                              absl::string_view token);

// An opaque token resuming an id-ordered listing after `id`: web-safe base64
// of the id.
std::string IdPageToken(absl::string_view id);

// The id in a token made by IdPageToken, or "" for an empty token (the first
// page). MalformedPageToken() for anything else, including a token whose
// content is not an identifier (common/identifiers.h).
absl::StatusOr<std::string> ParseIdPageToken(absl::string_view token);

// The error for a page token that does not decode.
absl::Status MalformedPageToken();

}  // namespace sentinel

#endif  // SENTINEL_COMMON_PAGING_H_
