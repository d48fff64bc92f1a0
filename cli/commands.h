// sentinelctl's subcommands: their syntax, the options each accepts, and
// finding the one a command line names.
#ifndef SENTINEL_CLI_COMMANDS_H_
#define SENTINEL_CLI_COMMANDS_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "cli/command_line.h"
#include "cli/session.h"

namespace sentinel::cli {

// What a subcommand runs with.
struct CommandEnv {
  Session& session;
  // Print responses as JSON.
  bool json;
  // The positional arguments after the subcommand's words, their count
  // already checked.
  std::vector<std::string> args;
  // The flags given on the command line, for options whose empty value must
  // not be mistaken for their absence (an empty --vkey is an error, not
  // "skip verification").
  GivenFlags given;
};

struct Command {
  // One to three words: "freeze", "unfreeze request", "trace kinds set".
  absl::string_view name;
  // What follows the name, for usage text: "ACCOUNT --scopes=...".
  absl::string_view syntax;
  // The subcommand options it accepts (flag names); global flags are always
  // accepted.
  std::vector<absl::string_view> options;
  size_t min_args;
  size_t max_args;
  // Makes the calls and prints; returns the exit code (see report.h).
  int (*run)(const CommandEnv& env);
};

// A command line resolved to a subcommand.
struct Invocation {
  const Command* command;
  std::vector<std::string> args;
};

// Finds the subcommand named by the leading words of `positional` (the
// positional arguments, without the program name), the one with the most
// words when several match ("trace kinds set" over "trace"), and checks its
// argument count and that `given` holds no subcommand option it does not
// accept. kInvalidArgument with a one-line message for the user otherwise,
// also when the words begin only longer names ("trace kinds" is incomplete,
// not `trace` of an account "kinds").
absl::StatusOr<Invocation> ResolveCommand(
    const std::vector<std::string>& positional, const GivenFlags& given);

// The usage text --help shows above the flags.
std::string UsageText();

}  // namespace sentinel::cli

#endif  // SENTINEL_CLI_COMMANDS_H_
