#include "common/key_codec.h"

#include "absl/strings/match.h"
#include "absl/strings/strip.h"

namespace sentinel {

std::string KeyWithNumber(absl::string_view prefix, uint64_t value) {
  std::string key(prefix);
  for (int shift = 56; shift >= 0; shift -= 8) {
    key.push_back(static_cast<char>((value >> shift) & 0xff));
  }
  return key;
}

std::optional<uint64_t> NumberFromKey(absl::string_view prefix,
                                      absl::string_view key) {
  if (!absl::ConsumePrefix(&key, prefix) || key.size() != 8) {
    return std::nullopt;
  }
  uint64_t value = 0;
  for (char byte : key) {
    value = (value << 8) | static_cast<unsigned char>(byte);
  }
  return value;
}

}  // namespace sentinel
