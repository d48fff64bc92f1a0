// sentineld: Hosts all four services in one process on one embedded RocksDB
// database (the single-machine default).
#include "services/sentineld/server_main.h"

int main(int argc, char** argv) {
  return sentinel::services::ServerMain(
      argc, argv,
      {.name = "sentineld",
       .description = "Hosts all four services in one process on one embedded "
                      "RocksDB database (the single-machine default).",
       .services =
           {.audit = true, .freeze = true, .intake = true, .trace = true},
       .default_listen = "127.0.0.1:7443"});
}
