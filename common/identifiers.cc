#include "common/identifiers.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace sentinel {
namespace {

bool IsIdentifierChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '.' || c == '_' || c == ':' ||
         c == '@' || c == '-';
}

absl::Status CheckLength(absl::string_view field, absl::string_view value,
                         size_t max_bytes, bool required) {
  if (value.empty()) {
    if (required)
      return absl::InvalidArgumentError(absl::StrCat(field, ": required"));
    return absl::OkStatus();
  }
  if (value.size() > max_bytes) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": ", value.size(),
                     " bytes, longer than the limit of ", max_bytes));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateIdentifier(absl::string_view field,
                                absl::string_view value, bool required) {
  if (absl::Status status =
          CheckLength(field, value, kMaxIdentifierBytes, required);
      !status.ok()) {
    return status;
  }
  for (char c : value) {
    if (!IsIdentifierChar(c)) {
      return absl::InvalidArgumentError(absl::StrCat(
          field, ": may contain only letters, digits and . _ : @ -"));
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateText(absl::string_view field, absl::string_view value,
                          size_t max_bytes, bool required) {
  if (absl::Status status = CheckLength(field, value, max_bytes, required);
      !status.ok()) {
    return status;
  }
  for (char c : value) {
    const unsigned char byte = static_cast<unsigned char>(c);
    if ((byte < 0x20 && c != '\t' && c != '\n' && c != '\r') || byte == 0x7f) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ": contains a control character"));
    }
  }
  return absl::OkStatus();
}

std::string Utf8Prefix(absl::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xc0) == 0x80) {
    --end;
  }
  return std::string(text.substr(0, end));
}

std::optional<uint64_t> ParseNumberedId(absl::string_view prefix,
                                        absl::string_view id) {
  uint64_t number = 0;
  if (!absl::ConsumePrefix(&id, prefix) || id.empty() || id[0] == '0' ||
      !std::all_of(id.begin(), id.end(), absl::ascii_isdigit) ||
      !absl::SimpleAtoi(id, &number)) {
    return std::nullopt;
  }
  return number;
}

}  // namespace sentinel
