// The global flags every subcommand runs with, read and checked once.
#ifndef SENTINEL_CLI_GLOBAL_OPTIONS_H_
#define SENTINEL_CLI_GLOBAL_OPTIONS_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/principal.h"

namespace sentinel::cli {

struct GlobalOptions {
  // host:port, a loopback address.
  std::string server;
  // Who the calls are made as.
  Principal principal;
  // Deadline of each call; positive.
  absl::Duration timeout;
  // Print responses as JSON instead of tables.
  bool json = false;
};

// Reads --server, --as, --timeout, --json and --insecure. Returns
// kInvalidArgument with a message for the user when --insecure is missing
// (mutual TLS is not implemented yet), --server is not a loopback address,
// --as is not ROLE/NAME, or --timeout is not positive.
absl::StatusOr<GlobalOptions> ReadGlobalOptions();

}  // namespace sentinel::cli

#endif  // SENTINEL_CLI_GLOBAL_OPTIONS_H_
