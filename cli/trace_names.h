// TraceService enum values as operators type and read them (enum_names.h):
// "fifo", "market_maker" on input, "FIFO", "OMNIBUS", "FROZEN" on output.
#ifndef SENTINEL_CLI_TRACE_NAMES_H_
#define SENTINEL_CLI_TRACE_NAMES_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "sentinel/v1/trace.pb.h"

namespace sentinel::cli {

// The taint model called `name` without its proto prefix, in any case: FIFO,
// HAIRCUT or POISON. kInvalidArgument naming `name` and listing the valid
// names otherwise, including for UNSPECIFIED.
//
// Example:
//   ParseTaintModelName("haircut") -> TAINT_MODEL_HAIRCUT
//   ParseTaintModelName("lifo")
//     -> kInvalidArgument: unknown model "lifo" (expected one of POISON,
//        HAIRCUT, FIFO)
absl::StatusOr<v1::TaintModel> ParseTaintModelName(absl::string_view name);

// The account kind called `name` likewise: USER, OMNIBUS, FEE or
// MARKET_MAKER.
//
// Example:
//   ParseAccountKindName("market_maker") -> ACCOUNT_KIND_MARKET_MAKER
absl::StatusOr<v1::AccountKind> ParseAccountKindName(absl::string_view name);

// Short upper-case names; "-" for UNSPECIFIED, the number for a value this
// build does not know.
std::string ModelName(int model);
std::string AccountKindName(int kind);
std::string CandidateOutcomeName(int outcome);

}  // namespace sentinel::cli

#endif  // SENTINEL_CLI_TRACE_NAMES_H_
