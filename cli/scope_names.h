// Freeze scopes as operators type them: short names such as "withdraw" or
// "TRANSFER_OUT", case-insensitive; and the states of unfreeze requests.
#ifndef SENTINEL_CLI_SCOPE_NAMES_H_
#define SENTINEL_CLI_SCOPE_NAMES_H_

#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "cli/enum_names.h"
#include "sentinel/v1/freeze.pb.h"

namespace sentinel::cli {

// The scope named `name` (WITHDRAW, TRANSFER_OUT, TRADE, LOGIN, API_KEYS, in
// any case). kInvalidArgument naming `name` and listing the valid names
// otherwise, including for UNSPECIFIED.
absl::StatusOr<v1::FreezeScope> ParseScopeName(absl::string_view name);

// A comma-separated list of scope names, in the order given; spaces around
// names are ignored. An empty list gives no scopes (the server says they are
// required). kInvalidArgument for an empty or unknown name.
//
// Example:
//   ParseScopeList("withdraw,TRANSFER_OUT")
//     -> {FREEZE_SCOPE_WITHDRAW, FREEZE_SCOPE_TRANSFER_OUT}
absl::StatusOr<std::vector<v1::FreezeScope>> ParseScopeList(
    absl::string_view list);

// Unfreeze request states by short name ("pending", "EXPIRED").
EnumNames UnfreezeStates();

}  // namespace sentinel::cli

#endif  // SENTINEL_CLI_SCOPE_NAMES_H_
