// Order-preserving encodings for RocksDB keys.
#ifndef SENTINEL_COMMON_KEY_CODEC_H_
#define SENTINEL_COMMON_KEY_CODEC_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace sentinel {

// `prefix` followed by `value` as 8 big-endian bytes, so that keys sort in
// numeric order.
std::string KeyWithNumber(absl::string_view prefix, uint64_t value);

// The number encoded after `prefix` in `key`, or nullopt when `key` does not
// have the form KeyWithNumber(prefix, n).
std::optional<uint64_t> NumberFromKey(absl::string_view prefix,
                                      absl::string_view key);

}  // namespace sentinel

#endif  // SENTINEL_COMMON_KEY_CODEC_H_
