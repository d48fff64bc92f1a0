// The global flags every subcommand runs with, read and checked once.
#ifndef SENTINEL_CLI_GLOBAL_OPTIONS_H_
#define SENTINEL_CLI_GLOBAL_OPTIONS_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/principal.h"
#include "grpcpp/security/credentials.h"

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
  // Plain text with the principal header (--insecure), else mutual TLS.
  bool insecure = false;
  std::shared_ptr<grpc::ChannelCredentials> credentials;
};

// Reads --server, --as, --timeout, --json, --insecure, --data_dir and the
// --tls_ flags, and builds the channel credentials: plain text (--insecure,
// loopback --server only), the three --tls_ files, or the development CA in
// <data_dir>/tls/ with a client certificate for --as (minted there on first
// use). Returns an error with a message for the user for a non-loopback
// --insecure server, an incomplete set of --tls_ flags, a missing
// development CA, --as not ROLE/NAME, or a non-positive --timeout.
absl::StatusOr<GlobalOptions> ReadGlobalOptions();

}  // namespace sentinel::cli

#endif  // SENTINEL_CLI_GLOBAL_OPTIONS_H_
