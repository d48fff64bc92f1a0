// sentinel-intake: The incident intake service alone; freezes through
// sentinel-freeze, audit entries to sentinel-audit.
#include "services/sentineld/server_main.h"

int main(int argc, char** argv) {
  return sentinel::services::ServerMain(
      argc, argv,
      {.name = "sentinel-intake",
       .description = "The incident intake service alone; freezes through "
                      "sentinel-freeze, audit entries to sentinel-audit.",
       .services =
           {.audit = false, .freeze = false, .intake = true, .trace = false},
       .default_listen = "127.0.0.1:7453"});
}
