#include "common/paging.h"

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/identifiers.h"

namespace sentinel {

absl::StatusOr<size_t> PageSize(absl::string_view field, int32_t requested,
                                int32_t default_size, int32_t max_size) {
  if (requested < 0 || requested > max_size) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": ", requested, " is outside 0..", max_size));
  }
  return static_cast<size_t>(requested == 0 ? default_size : requested);
}

std::string NumberPageToken(absl::string_view kind, uint64_t number) {
  return absl::WebSafeBase64Escape(absl::StrCat(kind, ":", number));
}

absl::StatusOr<uint64_t> ParseNumberPageToken(absl::string_view kind,
                                              absl::string_view token) {
  if (token.empty()) return 0;
  std::string decoded;
  absl::string_view view;
  uint64_t number = 0;
  if (absl::WebSafeBase64Unescape(token, &decoded)) view = decoded;
  if (!absl::ConsumePrefix(&view, kind) || !absl::ConsumePrefix(&view, ":") ||
      !absl::SimpleAtoi(view, &number)) {
    return MalformedPageToken();
  }
  return number;
}

std::string IdPageToken(absl::string_view id) {
  return absl::WebSafeBase64Escape(id);
}

absl::StatusOr<std::string> ParseIdPageToken(absl::string_view token) {
  std::string id;
  if (token.empty()) return id;
  if (!absl::WebSafeBase64Unescape(token, &id) ||
      !ValidateIdentifier("page_token", id, true).ok()) {
    return MalformedPageToken();
  }
  return id;
}

absl::Status MalformedPageToken() {
  return absl::InvalidArgumentError(
      "page_token: malformed (pass next_page_token unchanged)");
}

}  // namespace sentinel
