// How sentinelctl reports: results on stdout (JSON or human text), failures
// as exactly one line on stderr, and the exit codes.
#ifndef SENTINEL_CLI_REPORT_H_
#define SENTINEL_CLI_REPORT_H_

#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "grpcpp/support/status.h"

namespace sentinel::cli {

// The call succeeded (a denied `check` is a success: denial is an answer).
inline constexpr int kExitOk = 0;
// The server refused or failed the call, or the output could not be written.
inline constexpr int kExitFailure = 1;
// The command line is wrong.
inline constexpr int kExitUsage = 2;

// Prints "sentinelctl: <message> (see --help)"; returns kExitUsage.
int UsageFailure(absl::string_view message);

// Prints "sentinelctl: <CODE_NAME>: <message>", e.g.
// "sentinelctl: INVALID_ARGUMENT: reason: required"; returns kExitFailure.
// When the status carries a google.rpc.RetryInfo detail (an overloaded
// server), the line ends in " (retry after <delay>)", e.g. "(retry after
// 500ms)".
int RpcFailure(const grpc::Status& status);

// The same for a status that arose in sentinelctl itself.
int Failure(const absl::Status& status);

// Prints `message` as indented JSON when `json`, otherwise the text `human`
// returns (which ends in a newline). Returns kExitOk, or kExitFailure after
// reporting it when the JSON cannot be made or stdout cannot be written.
int PrintResult(const google::protobuf::Message& message, bool json,
                absl::FunctionRef<std::string()> human);

// Writes `text` to stdout and flushes it, so that a stream's lines reach a
// pipe at once. Returns kExitOk, or kExitFailure after reporting it.
int WriteOut(absl::string_view text);

}  // namespace sentinel::cli

#endif  // SENTINEL_CLI_REPORT_H_
