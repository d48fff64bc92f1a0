// sentinel-freeze: The freeze service alone; audit entries go to sentinel-audit
// through its outbox.
#include "services/sentineld/server_main.h"

int main(int argc, char** argv) {
  return sentinel::services::ServerMain(
      argc, argv,
      {.name = "sentinel-freeze",
       .description = "The freeze service alone; audit entries go to "
                      "sentinel-audit through its outbox.",
       .services =
           {.audit = false, .freeze = true, .intake = false, .trace = false},
       .default_listen = "127.0.0.1:7452"});
}
