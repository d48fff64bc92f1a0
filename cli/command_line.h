// Checks sentinelctl's command line before absl::ParseCommandLine sees it,
// so that unknown options and bad values are usage errors in the tool's own
// one-line format (exit 2) rather than absl's, and so that each subcommand
// can refuse options it does not use.
#ifndef SENTINEL_CLI_COMMAND_LINE_H_
#define SENTINEL_CLI_COMMAND_LINE_H_

#include <set>
#include <string>

#include "absl/status/statusor.h"

namespace sentinel::cli {

// Names (without dashes) of the flags given on a command line.
using GivenFlags = std::set<std::string>;

// True when argv asks for help (--help, --helpfull, --helpshort, --helpon,
// --helpmatch, --helppackage, --version, --only_check_args); absl handles
// those, so CheckCommandLine is not needed then.
bool WantsHelp(int argc, char** argv);

// Reads argv[1..] up to a "--" the way absl does: --name=value, --name value
// for non-bool flags, --name and --noname for bool flags; anything else is
// a positional argument. Returns the names of the flags given, or
// kInvalidArgument naming the first unknown option, missing value or value
// its flag cannot parse.
//
// Example:
//   absl::StatusOr<GivenFlags> given = CheckCommandLine(argc, argv);
//   if (!given.ok()) return UsageFailure(given.status().message());
absl::StatusOr<GivenFlags> CheckCommandLine(int argc, char** argv);

}  // namespace sentinel::cli

#endif  // SENTINEL_CLI_COMMAND_LINE_H_
