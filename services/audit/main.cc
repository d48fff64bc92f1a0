// sentinel-audit: The audit service alone: the audit log, and where the other
// services deliver their audit entries.
#include "services/sentineld/server_main.h"

int main(int argc, char** argv) {
  return sentinel::services::ServerMain(
      argc, argv,
      {.name = "sentinel-audit",
       .description = "The audit service alone: the audit log, and where the "
                      "other services deliver their audit entries.",
       .services =
           {.audit = true, .freeze = false, .intake = false, .trace = false},
       .default_listen = "127.0.0.1:7451"});
}
