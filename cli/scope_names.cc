// Implements parsing of scope names typed on the command line.
#include "cli/scope_names.h"

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "freeze/scope_set.h"

namespace sentinel::cli {
namespace {

std::string ValidNames() {
  std::vector<std::string> names;
  for (int value = v1::FreezeScope_MIN; value <= v1::FreezeScope_MAX; ++value) {
    if (v1::FreezeScope_IsValid(value) &&
        value != v1::FREEZE_SCOPE_UNSPECIFIED) {
      names.push_back(freeze::ScopeName(static_cast<v1::FreezeScope>(value)));
    }
  }
  return absl::StrJoin(names, ", ");
}

}  // namespace

absl::StatusOr<v1::FreezeScope> ParseScopeName(absl::string_view name) {
  v1::FreezeScope scope = v1::FREEZE_SCOPE_UNSPECIFIED;
  const std::string full =
      absl::StrCat("FREEZE_SCOPE_", absl::AsciiStrToUpper(name));
  if (!v1::FreezeScope_Parse(full, &scope) ||
      scope == v1::FREEZE_SCOPE_UNSPECIFIED) {
    return absl::InvalidArgumentError(absl::StrCat(
        "unknown scope \"", name, "\" (expected one of ", ValidNames(), ")"));
  }
  return scope;
}

absl::StatusOr<std::vector<v1::FreezeScope>> ParseScopeList(
    absl::string_view list) {
  std::vector<v1::FreezeScope> scopes;
  if (absl::StripAsciiWhitespace(list).empty()) return scopes;
  for (absl::string_view name : absl::StrSplit(list, ',')) {
    name = absl::StripAsciiWhitespace(name);
    if (name.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("empty scope name in \"", list, "\""));
    }
    absl::StatusOr<v1::FreezeScope> scope = ParseScopeName(name);
    if (!scope.ok()) return scope.status();
    scopes.push_back(*scope);
  }
  return scopes;
}

EnumNames UnfreezeStates() {
  return {v1::UnfreezeRequestState_descriptor(), "UNFREEZE_REQUEST_STATE_",
          "unfreeze request state"};
}

}  // namespace sentinel::cli
