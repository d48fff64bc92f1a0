// sentinel-trace: The asset trace service alone; freezes through
// sentinel-freeze, audit entries to sentinel-audit.
#include "services/sentineld/server_main.h"

int main(int argc, char** argv) {
  return sentinel::services::ServerMain(
      argc, argv,
      {.name = "sentinel-trace",
       .description = "The asset trace service alone; freezes through "
                      "sentinel-freeze, audit entries to sentinel-audit.",
       .services =
           {.audit = false, .freeze = false, .intake = false, .trace = true},
       .default_listen = "127.0.0.1:7454"});
}
