// The shared main() of Sentinel's server binaries: every binary takes the
// same flags (services/sentineld/server_main.cc) and hosts its own set of
// services through SentinelServer.
#ifndef SENTINEL_SERVICES_SENTINELD_SERVER_MAIN_H_
#define SENTINEL_SERVICES_SENTINELD_SERVER_MAIN_H_

#include "services/sentineld/sentinel_server.h"

namespace sentinel::services {

// What one binary is.
struct ProgramSpec {
  // "sentinel-freeze": log lines, the audit outbox's origin, usage text.
  const char* name;
  // One line for --help.
  const char* description;
  HostedServices services;
  // --listen when the flag is not given.
  const char* default_listen;
};

// Parses flags, serves until SIGTERM or SIGINT, and returns the exit code:
// 0 after a clean stop, 1 when the server cannot start, 2 for bad flags.
int ServerMain(int argc, char** argv, const ProgramSpec& spec);

}  // namespace sentinel::services

#endif  // SENTINEL_SERVICES_SENTINELD_SERVER_MAIN_H_
